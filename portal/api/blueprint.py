"""The API's blueprint (``flask-openapi3``'s, on the portal's own Flask app) and what every
route of it shares: the scope it needs, checked before the request is read; problem
documents for every error; the responses every operation declares."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_openapi3 import APIBlueprint, Tag
from werkzeug.exceptions import HTTPException

from portal.api import problems
from portal.api.auth import authenticate
from portal.api.limits import check_size
from portal.api.problems import Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_response(description: str, headers: dict | None = None) -> dict:
    answer = {
        "description": description,
        "content": {problems.MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }
    if headers:
        answer["headers"] = headers
    return answer


RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
COMMON = {
    "405": problem_response("Method not allowed"),
    "413": problem_response("Body too large"),
    "422": problem_response("The request does not fit the contract"),
}
WITH_TOKEN = {
    **COMMON,
    "400": problem_response("A cursor that is not one of ours"),
    "401": problem_response("No valid token"),
    "403": problem_response("The token lacks the scope"),
    "429": problem_response("Too many requests", RETRY_AFTER),
}
NOT_FOUND = {"404": problem_response("Not found, or not the token's to read")}
NOT_MODIFIED = {"304": {"description": "Not modified (If-None-Match)"}}
SECURITY = [{"bearer": []}]

bp = APIBlueprint("api", __name__, url_prefix="/api/v1")
TAGS = {
    "catalogue": Tag(name="catalogue", description="Programmes, rounds, indicators, funding"),
    "participations": Tag(name="participations", description="The token's participations"),
    "figures": Tag(name="figures", description="Baselines, targets, measurements and costs"),
}

# endpoint → the scope it needs (None: public)
SCOPE_OF: dict[str, str | None] = {}


def needs(scope: str | None) -> Callable:
    """Name the scope a route needs (outermost decorator)."""

    def decorator(view: Callable) -> Callable:
        SCOPE_OF[f"{bp.name}.{view.__name__}"] = scope
        return view

    return decorator


def operation(
    scope: str | None, ok, *, tag: str, found: bool = True, read: bool = True, **more
) -> dict:
    """The keyword arguments of ``bp.get``/``bp.post`` for a route needing ``scope`` that
    answers ``ok`` (a model) when it succeeds."""
    responses: dict = {"200": ok, **(WITH_TOKEN if scope else COMMON)}
    if found:
        responses.update(NOT_FOUND)
    if read:
        responses.update(NOT_MODIFIED)
    return {
        "tags": [TAGS[tag]],
        "security": SECURITY if scope else [],
        "responses": {**responses, **more},
    }


@bp.before_request
def before() -> None:
    check_size()
    scope = SCOPE_OF.get(request.endpoint or "")
    if scope is not None:
        authenticate(scope)


@bp.errorhandler(Problem)
def on_problem(problem: Problem):
    return problems.of(problem)


@bp.errorhandler(HTTPException)
def on_http(error: HTTPException):
    if error.response is not None and error.code == 422:
        return error.response  # a validation problem already made (``problems.of_validation``)
    return problems.of_http(error.code or 500)
