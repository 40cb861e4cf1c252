"""The contract: the OpenAPI 3.1 document generated from the routes' pydantic models by
``flask-openapi3`` (on a spec-only ``OpenAPI`` app, so the portal's own app stays a plain
Flask app with its CSRF and logins), served at ``/api/v1/openapi.json`` and committed as
``openapi.json``; and a page of the operations, rendered from it by the portal itself."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Response, render_template

from portal.api import catalogue, figures, participations, schemas  # noqa: F401 (their routes)
from portal.api.blueprint import bp
from portal.api.problems import KINDS

ROOT_FILE = Path(__file__).resolve().parents[2] / "openapi.json"
DESCRIPTION = (
    "Skaleringsportalen's integration API for the municipalities' systems: read programmes, "
    "rounds, participations and the progress of their figures; post baselines, targets, "
    "measurements and costs through the same rules as the file import. Errors are RFC 9457 "
    "problem details in Danish or English (Accept-Language)."
)


@lru_cache(maxsize=1)
def spec() -> dict:
    from flask_openapi3 import Info, OpenAPI

    maker = OpenAPI(
        __name__,
        info=Info(title="Skaleringsportalen API", version="1.0.0", description=DESCRIPTION),
        security_schemes={"bearer": {"type": "http", "scheme": "bearer"}},
        validation_error_model=schemas.Problem,
        validation_error_status=422,
        doc_ui=False,
    )
    maker.register_api(bp)
    document = json.loads(json.dumps(maker.api_doc))
    # the portal's own pages in the url map of the spec-only app are not the API's
    document["paths"] = {p: v for p, v in document["paths"].items() if p.startswith("/api/")}
    return document


def text() -> str:
    return json.dumps(spec(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@bp.get("/openapi.json", doc_ui=False)
def openapi_json():
    return Response(text(), mimetype="application/json")


@bp.get("/docs", doc_ui=False)
def docs():
    document = spec()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "description": op.get("description", ""),
            "parameters": op.get("parameters", []),
            "body": "requestBody" in op,
            "token": bool(op.get("security")),
            "statuses": sorted(op.get("responses", {})),
        }
        for path, item in document["paths"].items()
        for method, op in item.items()
    ]
    problems = [(kind, status, str(title)) for kind, (status, title) in KINDS.items()]
    return render_template("api/docs.html", operations=operations, problems=problems)


def write() -> None:
    """Write ``openapi.json`` at the repository's root from the code:
    ``python -c 'from portal.api.contract import write; write()'``."""
    from portal import create_app

    with create_app({"TESTING": True}).test_request_context():
        ROOT_FILE.write_text(text(), encoding="utf-8")
