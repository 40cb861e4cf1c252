"""Who gets which progress report: role × scope × own/other municipality (the funding
round's communities, see conftest), the ZIP of every municipality's PDF for national users
only, and no other municipality's name or small counts where they do not belong."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.reports import progress_municipality
from tests.reports.conftest import AAR, FRB, GLO, KBH
from tests.reports.test_access import USERS

SLUG = "vagtplanlaegning-2026"
BASE = f"/rapporter/fremdrift/{SLUG}"
ALL = ("coordinator", "national_leadership")
OWN_NORTH = ("municipal_frb", "leadership_frb")
NEVER = ("admin", "reviewer", "reviewer_frb")


def expect(ok: tuple, missing: tuple, forbidden: tuple = NEVER) -> dict:
    return {
        **dict.fromkeys(ok, 200),
        **dict.fromkeys(missing, 404),
        **dict.fromkeys(forbidden, 403),
    }


MATRIX = {
    BASE: {**expect(ALL, (), NEVER + OWN_NORTH + ("municipal_aar", "municipal_glo"))},
    "/rapporter/fremdrift": {**expect(ALL, (), NEVER + OWN_NORTH + ("municipal_aar",))},
    f"{BASE}?kommune={FRB}": expect(ALL + OWN_NORTH, ("municipal_aar", "municipal_glo")),
    # another member of Frederiksberg's community: its own report is not Frederiksberg's
    f"{BASE}?kommune={KBH}": expect(("coordinator",), OWN_NORTH + ("municipal_glo",), ()),
    f"{BASE}?faellesskab={{north}}": expect(ALL + OWN_NORTH, ("municipal_aar", "municipal_glo")),
    f"{BASE}?faellesskab={{mid}}": expect(("coordinator", "municipal_aar"), OWN_NORTH, ()),
    "/rapporter/fremdrift?faellesskab={north}": expect(("municipal_frb",), ("municipal_aar",), ()),
    # a municipality's progress report is of one round
    f"/rapporter/fremdrift?kommune={FRB}": expect((), ("coordinator", "municipal_frb"), ()),
    "/rapporter/fremdrift/ingen-runde": expect((), ("coordinator", "municipal_frb"), ()),
    f"{BASE}?kommune=999": expect((), ("coordinator", "municipal_frb"), ()),
    f"{BASE}?faellesskab=987654": expect((), ("coordinator", "municipal_frb"), ()),
    f"{BASE}?format=doc": expect((), ("coordinator",), ()),
    f"{BASE}/kommuner.zip": expect(ALL, (), NEVER + OWN_NORTH + ("municipal_aar", "municipal_glo")),
    "/rapporter/fremdrift/ingen-runde/kommuner.zip": expect(
        (), ("coordinator",), ("municipal_frb",)
    ),
}

CASES = [
    (url, user, status) for url, statuses in MATRIX.items() for user, status in statuses.items()
]


@pytest.fixture
def no_pdfs(monkeypatch):
    """The ZIP's PDFs as their file names: WeasyPrint is slow, and the access is the point."""
    monkeypatch.setattr(
        progress_municipality, "report_pdf", lambda report: report.filename.encode()
    )


@pytest.mark.parametrize(("url", "user", "status"), CASES)
def test_access_matrix(client, make_user, login, funding_round, no_pdfs, url, user, status):
    role, code = USERS[user]
    login(make_user(role, code=code))
    url = url.format(north=funding_round.north.id, mid=funding_round.mid.id)
    assert client.get(url).status_code == status


def test_downloads_follow_the_same_rules(client, make_user, login, funding_round):
    login(make_user(Role.LEADERSHIP, code=AAR))
    assert client.get(f"{BASE}?format=csv").status_code == 403
    assert client.get(f"{BASE}?kommune={FRB}&format=xlsx").status_code == 404
    assert client.get(f"{BASE}?faellesskab={funding_round.north.id}&format=csv").status_code == 404
    assert client.get(f"{BASE}?kommune={AAR}&format=csv").status_code == 200
    assert client.get(f"{BASE}?faellesskab={funding_round.mid.id}&format=csv").status_code == 200


def test_a_members_community_report_names_no_one_else(client, make_user, login, progress_round):
    """Frederiksberg's user reads its community: København's small count is "< 5", its own
    figures are exact, Aarhus (not a member) is nowhere — on the page and in the CSV."""
    login(make_user(Role.MUNICIPAL, code=FRB))
    slug = progress_round.round.slug
    url = f"/rapporter/fremdrift/{slug}?faellesskab={progress_round.community.id}"
    page = client.get(url).get_data(as_text=True)
    assert "København" in page and "Frederiksberg" in page
    assert "Aarhus" not in page and "421.002" not in page
    assert "&lt; 5" in page
    csv_text = client.get(f"{url}&format=csv").data.decode("utf-8-sig")
    assert "Aarhus" not in csv_text
    assert "København;101;Hovedstaden;Citizens screen;borgere;;;;< 5;" in csv_text
    assert "Frederiksberg;147;Hovedstaden;Citizens screen;borgere;;;;12;" in csv_text
    # its own municipality's report, but not a fellow member's
    assert client.get(f"/rapporter/fremdrift/{slug}?kommune={FRB}").status_code == 200
    assert client.get(f"/rapporter/fremdrift/{slug}?kommune={KBH}").status_code == 404
    assert client.get(f"/rapporter/fremdrift/{slug}?kommune={AAR}").status_code == 404


def test_the_reports_page_lists_the_progress_reports(client, make_user, login, funding_round):
    login(make_user(Role.MUNICIPAL, code=FRB))
    page = client.get("/rapporter/").get_data(as_text=True)
    assert f"{BASE}?kommune={FRB}" in page
    assert f"{BASE}?faellesskab={funding_round.north.id}" in page
    assert "kommuner.zip" not in page and f'href="{BASE}"' not in page


def test_the_reports_page_for_national_users(client, make_user, login, funding_round):
    login(make_user(Role.LEADERSHIP))
    page = client.get("/rapporter/").get_data(as_text=True)
    assert f'href="{BASE}"' in page and 'href="/rapporter/fremdrift"' in page
    assert f'href="{BASE}/kommuner.zip"' in page
    assert f"{BASE}?faellesskab={funding_round.mid.id}" in page


def test_a_glostrup_user_has_no_community_report(client, make_user, login, funding_round):
    login(make_user(Role.MUNICIPAL, code=GLO))
    page = client.get("/rapporter/").get_data(as_text=True)
    assert f"{BASE}?kommune={GLO}" in page and "faellesskab=" not in page
