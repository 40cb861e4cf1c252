"""Sweeps over every route: nothing but the public ones (the URL-map sweep's list: the login,
the language switch, the accessibility statement, static files, single sign-on's entry
points, the open results and data) answers without a login — the API answers a token's
absence itself (401, its own sweep) — and the admin area is for admins only."""

import pytest

from portal.auth.models import Role
from tests.test_url_map_sweep import public


def _value(arg: str):
    if "slug" in arg or arg == "lang":
        return "x"
    return "csv" if arg == "fmt" else 1


def _routes(app):
    for rule in app.url_map.iter_rules():
        if public(rule.endpoint) or rule.endpoint.startswith("api."):
            continue
        values = {arg: _value(arg) for arg in rule.arguments}
        path = rule.build(values)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_route_but_the_public_ones_requires_login(app, client):
    routes = list(_routes(app))
    assert len(routes) > 5
    for endpoint, method, path in routes:
        response = client.open(path, method=method)
        assert response.status_code == 302, (endpoint, method, path, response.status_code)
        assert "/login" in response.headers["Location"], (endpoint, path)


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.COORDINATOR, Role.REVIEWER, Role.LEADERSHIP])
def test_admin_area_is_for_admins_only(app, client, make_user, login, role):
    login(make_user(role, code=101 if role == Role.MUNICIPAL else None))
    admin_routes = [r for r in _routes(app) if r[2].startswith("/admin/")]
    assert admin_routes
    for endpoint, method, path in admin_routes:
        response = client.open(path, method=method)
        assert response.status_code == 403, (role, endpoint, method, path, response.status_code)


def test_ids_too_large_for_the_database_are_not_found(client, make_user, login):
    login(make_user(Role.ADMIN))
    huge = 10**20
    assert client.get(f"/admin/brugere/{huge}").status_code == 404
    assert client.get(f"/admin/brugere/?municipality={huge}").status_code == 200
