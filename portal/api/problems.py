"""Errors as RFC 9457 problem details (``application/problem+json``), titled in Danish or
English by the request's ``Accept-Language`` (``portal.i18n.select_locale``)."""

from __future__ import annotations

from flask import Response, json, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.api import reasons

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs#problem-"

# kind → (status, title): the catalogue of problems, listed on the docs page too.
KINDS = {
    "unauthorized": (401, _l("Mangler en gyldig API-nøgle")),
    "forbidden": (403, _l("Nøglen giver ikke adgang til dette")),
    "not-found": (404, _l("Findes ikke")),
    "method-not-allowed": (405, _l("Metoden er ikke tilladt her")),
    "conflict": (409, _l("Idempotency-Key er brugt til en anden forespørgsel")),
    "too-large": (413, _l("Forespørgslen er for stor")),
    "invalid-request": (422, _l("Forespørgslen kan ikke læses")),
    "invalid-items": (422, _l("Nogle af tallene kan ikke gemmes; intet er gemt")),
    "too-many-requests": (429, _l("For mange forespørgsler")),
    "bad-request": (400, _l("Forkert forespørgsel")),
    "unavailable": (503, _l("Tjenesten er midlertidigt utilgængelig")),
    "server-error": (500, _l("Der skete en fejl i portalen")),
}


class Problem(Exception):
    """Raised by the API's code; answered as a problem document."""

    def __init__(self, kind: str, detail: str | None = None, headers=None, **extra) -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def document(kind: str, detail: str | None = None, **extra) -> tuple[int, dict]:
    status, title = KINDS[kind]
    body = {"type": TYPE_BASE + kind, "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    body["instance"] = request.path
    body.update(extra)
    return status, body


def response(kind: str, detail: str | None = None, headers=None, **extra) -> Response:
    status, body = document(kind, detail, **extra)
    answer = Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE, headers=headers
    )
    answer.headers["Content-Language"] = str(get_locale())
    return answer


def of(problem: Problem) -> Response:
    return response(problem.kind, problem.detail, problem.headers, **problem.extra)


HTTP_KINDS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid-request",
    429: "too-many-requests",
    500: "server-error",
    503: "unavailable",
}


def of_http(code: int, headers=None) -> Response:
    """An HTTP error raised in an API route (``abort(404)`` by the gate, say)."""
    return response(HTTP_KINDS.get(code, "bad-request"), headers=headers)


def of_validation(error) -> Response:
    """A body, query, path or header that does not fit the contract (pydantic's errors), each
    in the request's language (``reasons``): an item of ``items`` by its index too, as the
    import's rules name it."""
    found = reasons.entries(error)
    kind = "invalid-items" if any("index" in e for e in found) else "invalid-request"
    return response(kind, errors=found)


def item_errors(errors) -> list[dict]:
    """The import's rules' ``(index, reason)`` per bad item as entries of ``errors``."""
    return [
        {"detail": reason, "pointer": f"#/items/{index}", "index": index, "reason": reason}
        for index, reason in errors
    ]
