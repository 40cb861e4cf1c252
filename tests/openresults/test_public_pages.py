"""The public results pages: no login, the same figures for every role as for the public,
nothing of a municipality that did not agree to publish, the reports' disclosure, and
cacheable by proxies with the data's version."""

from __future__ import annotations

import re

import pytest

from portal.auth.models import Role
from portal.db import db
from portal.openresults.consent import set_published
from tests.openresults.conftest import AAR, FRB, KBH


def _main(html: str) -> str:
    """The page's content without the header (which names a logged-in user)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_an_anonymous_visitor_reads_the_rounds_results(client, published):
    slug = published.round.slug
    index = client.get("/resultater/")
    assert index.status_code == 200
    assert f"/resultater/{slug}" in index.get_data(as_text=True)
    page = client.get(f"/resultater/{slug}")
    assert page.status_code == 200
    html = _main(page.get_data(as_text=True))
    assert "København" in html and "Aarhus" in html
    # 3 municipalities take part: the round's totals are shown
    assert "Deltagende kommuner" in html and "færre end 3 kommuner" in html  # a community of 2
    assert "Sådan er tallene målt og beregnet" in html and "Formel" in html


def test_a_municipality_that_did_not_agree_is_nowhere(client, published):
    for path in ("/resultater/", f"/resultater/{published.round.slug}", "/aabne-data/"):
        assert "Frederiksberg" not in client.get(path).get_data(as_text=True), path


def test_nothing_is_shown_of_a_round_before_anyone_agrees(client, progress_round):
    html = _main(client.get(f"/resultater/{progress_round.round.slug}").get_data(as_text=True))
    for name in ("København", "Frederiksberg", "Aarhus"):
        assert name not in html
    assert "Ingen kommuner i forløbet har endnu valgt" in html


def test_a_small_count_is_shown_as_under_five(client, published):
    """København's citizens with screen visits, a count, are 3: "< 5" as in the reports."""
    html = _main(client.get(f"/resultater/{published.round.slug}").get_data(as_text=True))
    section = html.split('id="kommune-101"', 1)[1].split("</section>", 1)[0]
    row = next(r for r in section.split("<tr>") if "borgere" in r.lower())
    assert "&lt; 5" in row


USERS = [
    (Role.COORDINATOR, None),
    (Role.ADMIN, None),
    (Role.LEADERSHIP, None),
    (Role.LEADERSHIP, FRB),
    (Role.MUNICIPAL, FRB),
    (Role.MUNICIPAL, KBH),
    (Role.REGIONAL, FRB),
    (Role.REVIEWER, None),
]


@pytest.mark.parametrize(("role", "code"), USERS)
def test_every_role_reads_exactly_what_the_public_reads(
    app, client, login, published, make_user, role, code
):
    paths = ["/resultater/", f"/resultater/{published.round.slug}", "/aabne-data/"]
    public = {p: _main(client.get(p).get_data(as_text=True)) for p in paths}
    files = {
        p: client.get(p).data
        for p in (
            "/aabne-data/indikatorer.csv",
            "/aabne-data/noegletal.json",
            "/aabne-data/alle.zip",
        )
    }
    login(make_user(role, code))
    for path in paths:
        response = client.get(path)
        assert _main(response.get_data(as_text=True)) == public[path], path
        assert "no-store" in response.headers["Cache-Control"]  # the header names the user
        assert "Frederiksberg" not in public[path]
    for path, body in files.items():
        assert client.get(path).data == body, path


def test_english_by_link(client, published):
    html = client.get(f"/resultater/{published.round.slug}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "Participating municipalities" in html
    assert "?lang=da" in html  # the way back to Danish


def test_cacheable_by_proxies_with_the_datas_version(client, published, make_user):
    path = f"/resultater/{published.round.slug}"
    first = client.get(path)
    assert first.status_code == 200
    assert re.fullmatch(r"public, max-age=\d+", first.headers["Cache-Control"])
    assert "Set-Cookie" not in first.headers  # nothing personal a proxy could keep
    assert "Cookie" in first.headers["Vary"]
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag
    # a consent withdrawn changes the version
    set_published(published.aar, False, actor=published.leaders[AAR])
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Aarhus" not in _main(changed.get_data(as_text=True))


def test_the_login_page_links_to_the_results(client):
    assert "/resultater/" in client.get("/login").get_data(as_text=True)


def test_a_draft_or_unknown_round_is_not_found(client, published):
    from portal.programmes.models import RoundStatus
    from tests.factories import create_programme, create_round

    draft = create_round(create_programme(), status=RoundStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/resultater/{draft.slug}").status_code == 404
    assert client.get("/resultater/findes-ikke").status_code == 404
