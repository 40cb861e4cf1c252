"""Nothing made for a logged-in user is kept by a shared browser or a proxy (issue 20,
item 7): over the URL map's pages (every GET route, with the user's own objects), each
response says ``no-store``, or ``private`` where the page answers 304 by its ETag, and
``Vary: Cookie``. An anonymous page and the static files are not touched."""

from __future__ import annotations

import pytest

from tests.test_url_map_sweep import PUBLIC, _Typesetless, fill
from tests.world import OWN, build_world


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setattr("portal.pdf.HTML", _Typesetless)
    return build_world()


def personal(response) -> bool:
    cache_control = response.headers.get("Cache-Control", "")
    kept = "no-store" in cache_control or "private" in cache_control
    return kept and "Cookie" in response.headers.get("Vary", "")


@pytest.mark.parametrize("key", ["municipal", "coordinator"])
def test_every_page_to_a_logged_in_user_says_no_store_or_private(
    app,
    client,
    login,
    world,
    key,
):
    login(world.users[key])
    checked, private, problems = 0, 0, []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in PUBLIC:
            continue
        path = fill(rule, world.values[OWN])
        response = client.get(path)
        checked += 1
        if not personal(response):
            problems.append((path, response.status_code, response.headers.get("Cache-Control")))
        if "private" in response.headers.get("Cache-Control", "") and response.headers.get("ETag"):
            private += 1
            again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
            if again.status_code == 304 and not personal(again):
                problems.append((path, 304, again.headers.get("Cache-Control")))
    assert not problems, problems
    assert checked > 50 and private > 0  # the pages with an ETag keep their 304


def test_downloads_are_no_store(app, client, login, world):
    login(world.users["coordinator"])
    slug = world.values[OWN]["round_slug"]
    for path in (f"/gevinster/forloeb/{slug}/tal.xlsx", f"/gevinster/forloeb/{slug}/tal.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert "Cookie" in response.headers["Vary"]


def test_anonymous_pages_and_static_files_are_left_alone(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/static/portal.css").headers.get("Cache-Control", "")
