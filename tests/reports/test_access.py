"""Who gets which report: role × scope × own/other municipality, by every URL parameter."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from tests.reports.conftest import AAR, FRB, GLO, KBH

SLUG = "vagtplanlaegning-2026"

# (role, the user's municipality code) — FRB is in "Hovedstaden", AAR leads "Midt", GLO is in
# no community.
USERS = {
    "coordinator": (Role.COORDINATOR, None),
    "national_leadership": (Role.LEADERSHIP, None),
    "municipal_frb": (Role.MUNICIPAL, FRB),
    "leadership_frb": (Role.LEADERSHIP, FRB),
    "municipal_aar": (Role.MUNICIPAL, AAR),
    "municipal_glo": (Role.MUNICIPAL, GLO),
    "admin": (Role.ADMIN, None),
    "reviewer": (Role.REVIEWER, None),
    "reviewer_frb": (Role.REVIEWER, FRB),
}

# the URL (``{north}``/``{mid}`` are the communities' ids) → expected status per user
MATRIX = {
    f"/rapporter/tilskud/{SLUG}": {
        "coordinator": 200, "national_leadership": 200, "municipal_frb": 403,
        "leadership_frb": 403, "municipal_aar": 403, "municipal_glo": 403,
        "admin": 403, "reviewer": 403, "reviewer_frb": 403,
    },
    "/rapporter/tilskud": {
        "coordinator": 200, "national_leadership": 200, "municipal_frb": 403,
        "leadership_frb": 403, "municipal_aar": 403, "municipal_glo": 403,
        "admin": 403, "reviewer": 403, "reviewer_frb": 403,
    },
    f"/rapporter/tilskud/{SLUG}?kommune={FRB}": {
        "coordinator": 200, "national_leadership": 200, "municipal_frb": 200,
        "leadership_frb": 200, "municipal_aar": 404, "municipal_glo": 404,
        "admin": 403, "reviewer": 403, "reviewer_frb": 403,
    },
    f"/rapporter/tilskud?kommune={FRB}": {
        "coordinator": 200, "national_leadership": 200, "municipal_frb": 200,
        "leadership_frb": 200, "municipal_aar": 404, "municipal_glo": 404,
        "admin": 403, "reviewer": 403, "reviewer_frb": 403,
    },
    # another member of Frederiksberg's own community: its row only through the community
    f"/rapporter/tilskud/{SLUG}?kommune={KBH}": {
        "coordinator": 200, "municipal_frb": 404, "leadership_frb": 404, "municipal_glo": 404,
    },
    f"/rapporter/tilskud/{SLUG}?faellesskab={{north}}": {
        "coordinator": 200, "national_leadership": 200, "municipal_frb": 200,
        "leadership_frb": 200, "municipal_aar": 404, "municipal_glo": 404,
        "admin": 403, "reviewer": 403, "reviewer_frb": 403,
    },
    f"/rapporter/tilskud/{SLUG}?faellesskab={{mid}}": {
        "coordinator": 200, "municipal_frb": 404, "leadership_frb": 404, "municipal_aar": 200,
    },
    # a community without the round names its own round
    "/rapporter/tilskud?faellesskab={north}": {"municipal_frb": 200, "municipal_aar": 404},
    # ids that do not exist, or belong elsewhere, are not found for anyone
    "/rapporter/tilskud/ingen-runde": {"coordinator": 404, "municipal_frb": 404},
    f"/rapporter/tilskud/{SLUG}?kommune=999": {"coordinator": 404, "municipal_frb": 404},
    f"/rapporter/tilskud/{SLUG}?kommune=165": {"coordinator": 404},  # not in the round
    f"/rapporter/tilskud/{SLUG}?faellesskab=987654": {"coordinator": 404, "municipal_frb": 404},
    f"/rapporter/tilskud/{SLUG}?faellesskab=x": {"coordinator": 404},
    f"/rapporter/tilskud/{SLUG}?faellesskab={10**20}": {"coordinator": 404},
    f"/rapporter/tilskud?kommune={10**20}": {"coordinator": 404, "municipal_frb": 404},
    f"/rapporter/tilskud/{SLUG}?kommune={FRB}&faellesskab={{north}}": {"coordinator": 404},
    f"/rapporter/tilskud/{SLUG}?format=doc": {"coordinator": 404},
    "/rapporter/": {
        "coordinator": 200, "national_leadership": 200, "municipal_frb": 200,
        "leadership_frb": 200, "admin": 403, "reviewer": 403, "reviewer_frb": 403,
    },
}  # fmt: skip

CASES = [
    (url, user, status) for url, expected in MATRIX.items() for user, status in expected.items()
]


@pytest.mark.parametrize(("url", "user", "status"), CASES)
def test_access_matrix(client, make_user, login, funding_round, url, user, status):
    role, code = USERS[user]
    login(make_user(role, code=code))
    url = url.format(north=funding_round.north.id, mid=funding_round.mid.id)
    assert client.get(url).status_code == status


def test_downloads_follow_the_same_rules(client, make_user, login, funding_round):
    login(make_user(Role.MUNICIPAL, code=AAR))
    base = f"/rapporter/tilskud/{SLUG}"
    assert client.get(f"{base}?format=csv").status_code == 403
    assert client.get(f"{base}?kommune={FRB}&format=xlsx").status_code == 404
    north = funding_round.north.id
    assert client.get(f"{base}?faellesskab={north}&format=pdf").status_code == 404
    assert client.get(f"{base}?kommune={AAR}&format=csv").status_code == 200


def test_anonymous_users_log_in_first(client, funding_round):
    response = client.get(f"/rapporter/tilskud/{SLUG}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_reports_page_lists_what_the_user_may_have(client, make_user, login, funding_round):
    login(make_user(Role.MUNICIPAL, code=FRB))
    page = client.get("/rapporter/").get_data(as_text=True)
    assert f"/rapporter/tilskud/{SLUG}?kommune={FRB}" in page
    assert f"/rapporter/tilskud/{SLUG}?faellesskab={funding_round.north.id}" in page
    assert f"faellesskab={funding_round.mid.id}" not in page
    assert f'href="/rapporter/tilskud/{SLUG}"' not in page
    assert f"/rapporter/tilskud?kommune={FRB}" in page
    assert "format=pdf" in page and "format=xlsx" in page and "format=csv" in page


def test_the_reports_page_for_national_users(client, make_user, login, funding_round):
    login(make_user(Role.COORDINATOR))
    page = client.get("/rapporter/").get_data(as_text=True)
    assert f'href="/rapporter/tilskud/{SLUG}"' in page
    assert 'href="/rapporter/tilskud"' in page
    assert f"faellesskab={funding_round.north.id}" in page
    assert f"faellesskab={funding_round.mid.id}" in page


def test_an_empty_reports_page(client, make_user, login):
    login(make_user(Role.MUNICIPAL, code=GLO))
    page = client.get("/rapporter/").get_data(as_text=True)
    assert "Ingen kommuner er godkendt i et forløb endnu" in page


def test_only_downloads_are_audited(client, make_user, login, funding_round):
    user = make_user(Role.LEADERSHIP, code=FRB)
    login(user)
    base = f"/rapporter/tilskud/{SLUG}?kommune={FRB}"
    client.get(base)
    client.get(f"{base}&format=csv")
    events = list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    )
    assert len(events) == 1
    event = events[0]
    assert event.actor_id == user.id and event.round_id == funding_round.round.id
    assert event.municipality_id is not None
    assert event.details == {
        "report": "funding",
        "format": "csv",
        "scope": "municipality",
        "community_id": None,
    }
