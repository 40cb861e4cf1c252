"""A sweep generated from ``app.url_map``: every route that takes an id or a slug, for every
role, with the objects of the user's own municipality and of another, by GET and by POST.

- another municipality's object answers 403 or 404 to a user tied to a municipality;
- nothing answers with a server error;
- an anonymous request is sent to the login;
- every state-changing route refuses a request without a CSRF token;
- no GET commits a change to the database (an audit record of a download excepted: the
  design asks for exports and downloads to be logged).

A new route is in the sweep without anyone remembering it; a route argument the world below
cannot fill fails the sweep, so whoever adds one adds an object to ``tests/world.py``.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.world import OTHER, OWN, OWNED_ARGUMENTS, USERS, build_world

# Municipality-tied users: another municipality's objects are out of their reach.
TIED = [key for key, (_role, code) in USERS.items() if code is not None]
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC = {"static", "auth.login", "auth.set_language", "home.accessibility", "health.healthz"}
# Single sign-on's routes are where an anonymous person starts and finishes a login (without
# single sign-on configured they answer 404).
PUBLIC_PREFIXES = ("sso.", "sso_")


def public(endpoint: str) -> bool:
    return endpoint in PUBLIC or endpoint.startswith(PUBLIC_PREFIXES)


# The open results and open data: for everyone, no login (``portal.openresults``).
PUBLIC |= {
    "openresults.index",
    "openresults.round_page",
    "openresults.open_data",
    "openresults.indicators_file",
    "openresults.key_figures_file",
    "openresults.open_data_zip",
    "openresults.catalogue",
    "openresults.version_file",
}

# The identity provider's cross-site POST to SAML's assertion consumer carries no CSRF token:
# the answer is bound to the browser's request by InResponseTo and the provider's signature.
CSRF_EXEMPT = {"sso_saml.acs"}
# The integration API (``portal.api``): a Bearer token or 401 problem JSON, never a session,
# a login redirect or a CSRF check; these few answer without a token.
API_PUBLIC = {"api.open_rounds", "api.openapi_json", "api.docs"}
PUBLIC |= API_PUBLIC


def is_api(rule) -> bool:
    return rule.endpoint.startswith("api.")


# What the sweep did, for the closing note: printed at the end of the run.
SIZE: Counter = Counter()


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def swept_rules(app) -> list:
    """Every rule with an argument (an id, a slug, a file format)."""
    return sorted(
        (r for r in app.url_map.iter_rules() if r.arguments and r.endpoint != "static"),
        key=lambda r: (r.rule, r.endpoint),
    )


def _slug_kind(rule) -> str:
    # /indsatser/<slug>/… names a programme; every other slug in the portal names a round.
    return "programme_slug" if rule.rule.startswith("/indsatser/<slug>") else "round_slug"


def fill(rule, values: dict) -> str:
    args = {}
    for name in rule.arguments:
        key = _slug_kind(rule) if name == "slug" else name
        if key not in values:
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}): the sweep cannot fill <{name}>; add an object "
                "to tests/world.py"
            )
        args[name] = values[key]
    return rule.build(args)[1]


def owns(rule) -> bool:
    return bool(set(rule.arguments) & OWNED_ARGUMENTS)


class _Typesetless:
    """WeasyPrint's ``HTML`` without the typesetting: the sweep is about who gets which page
    (the templates still render); the reports' own tests read real PDFs. Keeps a sweep of
    the national zip of every municipality's PDF to milliseconds."""

    def __init__(self, string: str, **_kwargs) -> None:
        self.string = string

    def write_pdf(self, **_kwargs) -> bytes:
        return b"%PDF-1.7 sweep"


@pytest.fixture
def world(app, monkeypatch):
    monkeypatch.setattr("portal.pdf.HTML", _Typesetless)
    return build_world()


@pytest.fixture
def writes():
    """Counts commits that wrote something other than audit records, per request method."""
    seen: list[tuple[str, str]] = []
    state = {"request": None}

    def before_flush(session, _context, _instances):
        changed = [o for o in (*session.new, *session.dirty, *session.deleted)]
        if state["request"] and any(not isinstance(o, AuditEvent) for o in changed):
            seen.append((state["request"], ", ".join(sorted({type(o).__name__ for o in changed}))))

    event.listen(Session, "before_flush", before_flush)
    try:
        yield seen, state
    finally:
        event.remove(Session, "before_flush", before_flush)


def _request(client, method: str, path: str, query: dict | None = None):
    started = time.perf_counter()
    response = client.open(
        path, method=method, data={} if method != "GET" else None, query_string=query
    )
    SIZE["requests"] += 1
    SIZE["seconds"] += time.perf_counter() - started

    return response


@pytest.mark.parametrize("key", list(USERS))
def test_every_route_for_every_role_with_own_and_other_objects(
    app, client, login, world, writes, key
):
    user = world.users[key]
    login(user)
    seen, state = writes
    rules = swept_rules(app)
    SIZE["rules"] = len(rules)
    SIZE["roles"] += 1
    problems = []
    # Another municipality's objects first (nothing may change), then the user's own.
    for code in (OTHER, OWN):
        for rule in rules:
            path = fill(rule, world.values[code])
            for method in _methods(rule):
                state["request"] = f"{method} {path}" if method == "GET" else None
                try:
                    status = _request(client, method, path).status_code
                except Exception as error:  # noqa: BLE001 (every failure listed at once)
                    status = f"{type(error).__name__}: {error}"
                state["request"] = None
                if not isinstance(status, int) or status >= 500:
                    problems.append((method, path, status))
                elif is_api(rule):
                    if status != 401 and rule.endpoint not in API_PUBLIC:
                        problems.append((method, path, status, "the API took a session"))
                elif code == OTHER and key in TIED and owns(rule) and status not in (403, 404):
                    problems.append((method, path, status, "another municipality's object"))
    # A report's scope is named in the query string: another municipality's, or a community
    # it is not a member of, is refused like an id in the path.
    for rule in app.url_map.iter_rules() if key in TIED else ():
        # (the reports' list, ``reports.index``, names no scope: it lists the user's own)
        if rule.endpoint.startswith("reports.") and rule.endpoint != "reports.index":
            for query in world.values[OTHER]["query_scopes"]:
                path = fill(rule, world.values[OTHER])
                state["request"] = f"GET {path} {query}"
                status = _request(client, "GET", path, query).status_code
                state["request"] = None
                if status not in (403, 404):
                    problems.append(("GET", path, query, status))
    # Every page without arguments too (the home page, the lists): none may write on GET.
    for rule in app.url_map.iter_rules():
        if not rule.arguments and "GET" in rule.methods and rule.endpoint not in PUBLIC:
            state["request"] = f"GET {rule.rule}"
            status = _request(client, "GET", rule.rule).status_code
            state["request"] = None
            if status >= 500:
                problems.append(("GET", rule.rule, status))
    assert not problems, problems
    assert not seen, f"GET requests that write: {seen}"


def test_anonymous_requests_go_to_the_login(app, client, world):
    for rule in app.url_map.iter_rules():
        if public(rule.endpoint):
            continue
        path = fill(rule, world.values[OTHER])
        for method in _methods(rule):
            response = _request(client, method, path)
            if is_api(rule):
                assert response.status_code == 401, (method, path, response.status_code)
                assert response.mimetype == "application/problem+json", (method, path)
                continue
            assert response.status_code == 302, (method, path, response.status_code)
            assert "/login" in response.headers["Location"], (method, path)


def test_every_state_changing_route_refuses_a_missing_csrf_token(app, client, world):
    """As a logged-in coordinator (the role with the most forms), every POST of the URL map,
    with or without arguments: the CSRF check runs before the route, so none can forget it."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        user = world.users["coordinator"]
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
        for rule in app.url_map.iter_rules():
            if rule.endpoint in CSRF_EXEMPT:
                continue
            for method in sorted(rule.methods & STATE_CHANGING):
                path = fill(rule, world.values[OWN])
                response = _request(client, method, path)
                if is_api(rule):  # no CSRF: a Bearer token only, and a session is none
                    assert response.status_code == 401, (method, path, response.status_code)
                    continue
                assert response.status_code == 400, (method, path, response.status_code)
                # refused by the CSRF check, not by the form: the page says the form expired
                assert "Siden var udløbet" in response.get_data(as_text=True), (method, path)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_sweep_reports_its_size(app, capsys):
    """Runs last in this file: the numbers for the closing note, shown in every run."""
    rules = swept_rules(app)
    pages = [r for r in app.url_map.iter_rules() if not r.arguments and "GET" in r.methods]
    requests_per_role = 2 * sum(len(_methods(r)) for r in rules)
    with capsys.disabled():
        print(
            f"\nURL-map sweep: {len(rules)} rules with arguments × {len(USERS)} roles × 2"
            f" municipalities = {requests_per_role} requests per role (+ {len(pages)} pages"
            f" without arguments), {SIZE['requests']} requests in all in {SIZE['seconds']:.1f} s"
        )
    assert requests_per_role > 0


@pytest.mark.parametrize("key", [k for k in TIED if k != "reviewer"])
def test_every_api_route_with_a_token_of_every_role(app, client, world, writes, key):
    """The API's routes with a token of each municipality-tied role that may hold one,
    with the objects of its own municipality and of another: another's answer 403 or 404,
    none a server error, and no GET writes (but the token's last use)."""
    from portal.api import tokens
    from portal.api.models import ApiToken

    user = world.users[key]
    scopes = tokens.allowed_scopes(user)
    if not scopes:  # a role the gate grants no scope holds no token at all
        from portal.errors import NotAllowed

        with pytest.raises(NotAllowed):
            tokens.issue(user, "sweep", list(tokens.SCOPES), None)
        return
    issued = tokens.issue(user, "sweep", scopes, None)
    from portal.db import db

    db.session.commit()
    headers = {"Authorization": f"Bearer {issued.secret}"}
    app.config["API_RATE_LIMIT"] = "100000/minute"
    from portal.api import limits

    limits.init_app(app)
    seen, state = writes
    problems = []
    for code in (OTHER, OWN):
        for rule in (r for r in swept_rules(app) if is_api(r)):
            path = fill(rule, world.values[code])
            for method in _methods(rule):
                state["request"] = f"{method} {path}" if method == "GET" else None
                body = {
                    "items": [
                        {
                            "kind": "measurement",
                            "indicator": "screen_visits",
                            "date": "2025-10-01",
                            "value": 1,
                        }
                    ]
                }
                response = client.open(
                    path, method=method, headers=headers, json=body if method == "POST" else None
                )
                state["request"] = None
                status = response.status_code
                if status >= 500:
                    problems.append((method, path, status))
                elif code == OTHER and owns(rule) and status not in (403, 404):
                    problems.append((method, path, status, "another municipality's object"))
    assert not problems, problems
    assert not [s for s in seen if s[1] != ApiToken.__name__], seen
