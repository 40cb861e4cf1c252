"""schemathesis against the portal's WSGI app, in-process: every operation of the contract
with generated requests (a token that may read and write, a participation of its own and
another municipality's in the world), bounded; no server error, and every answer — status,
content type, headers and body — as the contract says."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.auth.models import Role
from tests.api.helpers import make_token, round_with_two

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 12  # per operation: the whole run stays well under a minute per database


def test_every_operation_answers_as_the_contract_says(app, make_user):
    app.config["API_RATE_LIMIT"] = "100000/minute"
    from portal.api import limits

    limits.init_app(app)
    round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    started = time.perf_counter()
    failures = []
    statuses: dict[str, set[int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
            response = case.call_and_validate(checks=CHECKS)
            statuses.setdefault(case.operation.path, set()).add(response.status_code)

        try:
            run()
        except Exception as error:  # noqa: BLE001 (every operation's failure listed)
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
    # the requests reached the routes: each operation answered, most with a success too
    assert len(statuses) == len({o.path for o in operations})
    assert sum(200 in found for found in statuses.values()) >= 4, statuses
    assert time.perf_counter() - started < 90


@pytest.fixture(autouse=True)
def _restore_limit(app):
    kept = app.config["API_RATE_LIMIT"]
    yield
    app.config["API_RATE_LIMIT"] = kept
    from portal.api import limits

    limits.init_app(app)


def test_stateful_runs_follow_the_links_from_a_page_to_its_participations(app, make_user):
    """schemathesis's stateful run: from the list of participations along its links to one
    participation, its figures, its progress and a post of figures, with the same checks;
    the links lead to the token's real participations."""
    app.config["API_RATE_LIMIT"] = "100000/minute"
    from portal.api import limits

    limits.init_app(app)
    round_with_two()
    secret, _token = make_token(make_user(Role.MUNICIPAL, 101))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    machine = schema.as_state_machine()
    reached: dict[str, set[int]] = {}

    class Workflow(machine):
        def get_call_kwargs(self, case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
            return super().get_call_kwargs(case)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            reached.setdefault(case.operation.label, set()).add(response.status_code)
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=4,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    # a linked operation reached a real participation of the token's: found, not 404
    followed = {
        label
        for label, found in reached.items()
        if "{participation_id}" in label and found - {401, 403, 404}
    }
    assert followed, reached
