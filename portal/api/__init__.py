"""The integration API for the municipalities' systems (``/api/v1/``): scoped tokens acting
with their creator's reach through the access gate, an OpenAPI 3.1 contract generated from
pydantic models, problem details, cursor pages, ETags, per-token rate limits; and the
portal's pages where people make and revoke their tokens (``/api-noegler/``).

Rooms: ``tokens`` (lifecycle), ``auth`` (Bearer → user), ``problems``, ``pagination``,
``etags``, ``limits``, ``idempotency``, ``blueprint`` (what every route shares), the
resources (``catalogue``, ``participations``, ``figures``), ``contract`` (the document and
its page) and ``pages`` (the token pages)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.api import contract, limits, pages, problems
    from portal.extensions import csrf

    limits.init_app(app)
    # flask-openapi3's request validation asks the app how to answer a body that does not fit
    app.validation_error_callback = problems.of_validation
    app.register_blueprint(contract.bp)
    csrf.exempt(contract.bp)  # a Bearer token only (``auth``): no session, no CSRF
    app.register_blueprint(pages.bp)
    from portal.api.tokens import may_hold_tokens

    app.jinja_env.globals["may_hold_api_tokens"] = may_hold_tokens


def is_api_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.path.startswith("/api/")
