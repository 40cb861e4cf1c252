"""The committed ``openapi.json`` is what the code generates and serves; it is OpenAPI 3.1,
names every API route, and its docs page is served by the portal itself."""

from __future__ import annotations

import json

from portal.api.contract import ROOT_FILE, text


def test_the_committed_contract_is_the_served_one(app, client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    with app.test_request_context():
        generated = text()
    committed = ROOT_FILE.read_text(encoding="utf-8")
    assert committed == generated, (
        "openapi.json is out of date: python -c 'from portal.api.contract import write; write()'"
    )
    assert json.loads(committed) == served.json


def test_the_contract_is_openapi_3_1_with_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    documented = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    routed = {
        (method, rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and rule.endpoint not in ("api.openapi_json", "api.docs")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routed == documented
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_docs_page_lists_the_operations_without_a_cdn(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "POST /api/v1/participations/{participation_id}/figures" in page
    assert "problem-invalid-items" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
