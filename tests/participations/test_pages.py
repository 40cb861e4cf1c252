"""The participation pages per role: what each sees, what each may do, and isolation."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.db import db
from portal.models import Community, Disbursement, Participation
from portal.participations import communities, grants
from tests.participations.helpers import CODES, approve, mid, participation, pool_round

HEADER = "municipality,role,community,grant\n"


@pytest.fixture
def setup():
    """A pool round: Aarhus leads a community with København and Odense; Aalborg and
    Esbjerg approved but not placed; 40.000 kr. paid to København."""
    round_ = pool_round(1_000_000, community_min=2, community_max=3)
    lead = participation(round_, 751, role="lead")
    community = communities.create_community(round_, "Fællesskab Aarhus", actor=None, lead=lead)
    copenhagen = participation(round_, 101)
    odense = participation(round_, 461)
    for p in (copenhagen, odense):
        communities.assign(p, community, actor=None)
    aalborg = participation(round_, 851)
    participation(round_, 561)
    grants.record_disbursement(copenhagen, date(2025, 10, 1), 40_000, "Rate 1", actor=None)
    db.session.commit()
    return {
        "round": round_,
        "community": community,
        "lead": lead,
        "copenhagen": copenhagen,
        "odense": odense,
        "aalborg": aalborg,
    }


@pytest.fixture
def coordinator(make_user, login):
    user = make_user(Role.COORDINATOR)
    login(user)
    return user


def text(response):
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.LEADERSHIP])
def test_members_see_their_community_and_own_grant_only(client, make_user, login, setup, role):
    login(make_user(role, code=101))
    page = text(client.get("/deltagere/mine"))
    assert "Fællesskab Aarhus" in page and "Deltagerkommune" in page
    assert "Aarhus" in page and "Odense" in page and "Region Syddanmark" in page
    assert "250.000 kr." in page  # own grant: 1.000.000 among four
    assert "40.000 kr." in page and "210.000 kr." in page
    assert "Aalborg" not in page  # not in the community
    assert "900.000 kr." not in page  # the lead's grant is not theirs to see
    own = text(client.get(f"/deltagere/{setup['copenhagen'].id}"))
    assert "Rate 1" in own and "Registrér udbetaling" not in own


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.LEADERSHIP])
def test_other_municipalities_ids_are_not_found(client, make_user, login, setup, role):
    login(make_user(role, code=101))
    for key in ("lead", "odense", "aalborg"):
        pid = setup[key].id
        assert client.get(f"/deltagere/{pid}").status_code == 404
    assert client.get("/deltagere/999999").status_code == 404
    own = setup["copenhagen"]
    disbursement = own.disbursements[0]
    other = setup["odense"]
    # Coordinator-only actions: 403 whatever the id.
    for path in (
        f"/deltagere/{other.id}/tilskud",
        f"/deltagere/{other.id}/udbetalinger",
        f"/deltagere/{own.id}/udbetalinger/{disbursement.id}/slet",
        f"/deltagere/{other.id}/faellesskab",
        f"/deltagere/faellesskaber/{setup['community'].id}/slet",
    ):
        assert client.post(path, data={"amount": "1", "reason": "x"}).status_code == 403, path
    assert db.session.get(Disbursement, disbursement.id) is not None


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.MUNICIPAL, 101), (Role.LEADERSHIP, 101), (Role.REVIEWER, None), (Role.REVIEWER, 101)],
)
def test_round_pages_are_for_national_users(client, make_user, login, setup, role, code):
    login(make_user(role, code=code))
    slug = setup["round"].slug
    for path in (
        f"/deltagere/forloeb/{slug}/tilskud",
        f"/deltagere/forloeb/{slug}/faellesskaber",
        f"/deltagere/forloeb/{slug}/faellesskaber/forslag",
        f"/deltagere/forloeb/{slug}/indlaes",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/deltagere/forloeb/{slug}/faellesskaber", data={}).status_code == 403


def test_reviewers_have_no_participation_pages(client, make_user, login, setup):
    login(make_user(Role.REVIEWER, code=101))
    assert client.get("/deltagere/mine").status_code == 403
    assert client.get(f"/deltagere/{setup['copenhagen'].id}").status_code == 403


def test_national_users_are_sent_to_the_overview(client, make_user, login, setup):
    login(make_user(Role.LEADERSHIP))
    response = client.get("/deltagere/mine")
    assert response.status_code == 302 and response.headers["Location"].endswith("/deltagere/")
    page = text(client.get("/deltagere/"))
    assert setup["round"].name_da in page
    grants_page = text(client.get(f"/deltagere/forloeb/{setup['round'].slug}/tilskud"))
    assert "900.000 kr." in grants_page and "Indlæs deltagere" not in grants_page
    # Read-only: no forms for national leadership.
    assert client.post(f"/deltagere/{setup['odense'].id}/tilskud").status_code == 403


def test_a_municipal_user_is_sent_from_the_overview_to_their_own(client, make_user, login, setup):
    login(make_user(Role.MUNICIPAL, code=101))
    response = client.get("/deltagere/")
    assert response.headers["Location"].endswith("/deltagere/mine")
    client.post("/logout")
    login(make_user(Role.MUNICIPAL, code=330))
    assert "deltager ikke i et samarbejdsforløb endnu" in text(client.get("/deltagere/mine"))


def test_grants_page_shows_the_pool_and_totals(client, coordinator, setup, count_queries):
    slug = setup["round"].slug
    with count_queries() as counter:
        page = text(client.get(f"/deltagere/forloeb/{slug}/tilskud"))
    assert "250.000 kr. til hver af 4 deltagerkommuner, rest 0 kr." in page
    assert "1.900.000 kr." in page  # the budget: 900.000 + the pool
    assert "40.000 kr." in page and "1.860.000 kr." in page
    assert counter.count <= 6, counter.statements


def test_coordinator_overrides_and_pays_out(client, coordinator, setup):
    odense = setup["odense"]
    url = f"/deltagere/{odense.id}"
    response = client.post(
        f"{url}/tilskud", data={"amount": "400.000", "reason": "", "version": odense.version}
    )
    assert response.status_code == 400 and "Skriv hvorfor" in text(response)
    assert 'value="400.000"' in text(response)  # what was typed stays
    response = client.post(
        f"{url}/tilskud",
        data={"amount": "400.000", "reason": "Stor kommune", "version": odense.version},
    )
    assert response.status_code == 302
    db.session.refresh(odense)
    assert odense.grant == 400_000
    assert setup["aalborg"].grant == 200_000  # 600.000 among three
    stale = client.post(
        f"{url}/tilskud", data={"amount": "1", "reason": "x", "version": odense.version - 1}
    )
    assert "ændret af en anden" in text(stale)
    too_much = client.post(
        f"{url}/udbetalinger", data={"paid_on": "2025-11-01", "amount": "500.000", "note": ""}
    )
    assert too_much.status_code == 400 and "tilskuddet er 400.000 kr." in text(too_much)
    assert "der resterer 400.000 kr.<" in text(too_much)  # one full stop, not "kr.."
    assert "kr.." not in text(too_much)
    ok = client.post(
        f"{url}/udbetalinger", data={"paid_on": "2025-11-01", "amount": "100.000", "note": "1"}
    )
    assert ok.status_code == 302
    paid = db.session.scalars(
        select(Disbursement).where(Disbursement.participation_id == odense.id)
    ).one()
    assert paid.amount == 100_000 and paid.paid_on == date(2025, 11, 1)
    other = setup["copenhagen"].disbursements[0]
    assert client.post(f"{url}/udbetalinger/{other.id}/slet").status_code == 404
    assert client.post(f"{url}/udbetalinger/{paid.id}/slet").status_code == 302
    assert db.session.get(Disbursement, paid.id) is None


def test_communities_page_shows_sizes_and_moves_members(client, coordinator, setup):
    slug = setup["round"].slug
    page = text(client.get(f"/deltagere/forloeb/{slug}/faellesskaber"))
    assert "2 af 2–3" in page and "Aalborg" in page and "Foreslå placering" in page
    aalborg, community = setup["aalborg"], setup["community"]
    response = client.post(
        f"/deltagere/{aalborg.id}/faellesskab",
        data={"community": community.id, "version": aalborg.version},
        follow_redirects=True,
    )
    assert "Aalborg er placeret i Fællesskab Aarhus" in text(response)
    esbjerg = db.session.scalar(
        select(Participation).where(Participation.municipality_id == mid(561))
    )
    full = client.post(
        f"/deltagere/{esbjerg.id}/faellesskab",
        data={"community": community.id, "version": esbjerg.version},
        follow_redirects=True,
    )
    assert "forløbet tillader højst 3" in text(full)
    # A community of another round is not a choice.
    other = communities.create_community(pool_round(), "Andet", actor=None)
    db.session.commit()
    bad = client.post(
        f"/deltagere/{esbjerg.id}/faellesskab",
        data={"community": other.id, "version": esbjerg.version},
    )
    assert bad.status_code == 400 and esbjerg.community is None


def test_coordinator_creates_and_deletes_a_community(client, coordinator, setup):
    round_ = setup["round"]
    url = f"/deltagere/forloeb/{round_.slug}/faellesskaber"
    duplicate = client.post(url, data={"name": "fællesskab aarhus", "lead": ""})
    assert duplicate.status_code == 400 and "allerede et fællesskab" in text(duplicate)
    assert 'value="fællesskab aarhus"' in text(duplicate)
    assert client.post(url, data={"name": "Nord", "lead": ""}).status_code == 302
    nord = db.session.scalar(select(Community).where(Community.name == "Nord"))
    response = client.post(
        f"/deltagere/faellesskaber/{nord.id}/slet",
        data={"version": nord.version},
        follow_redirects=True,
    )
    assert "Fællesskabet Nord er slettet" in text(response)
    response = client.post(
        f"/deltagere/faellesskaber/{setup['community'].id}/slet",
        data={"version": setup["community"].version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert setup["copenhagen"].community_id is None


def test_suggestion_is_shown_and_accepted(client, coordinator):
    round_ = pool_round(community_min=1, community_max=5)
    approve(round_, 751, role="lead")
    for code in CODES[:3]:
        approve(round_, code)
    db.session.commit()
    url = f"/deltagere/forloeb/{round_.slug}/faellesskaber/forslag"
    page = text(client.get(url))
    assert "Fællesskab Aarhus med skaleringslederen Aarhus" in page
    assert "Placeret i Fællesskab Aarhus: 0 af 5 pladser brugt" in page
    stale = client.post(url, data={"fingerprint": "forkert"})
    assert stale.status_code == 400 and "Forslaget er ændret" in text(stale)
    fingerprint = page.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    response = client.post(url, data={"fingerprint": fingerprint})
    assert response.status_code == 302
    placed = db.session.scalars(
        select(Participation).where(Participation.round_id == round_.id)
    ).all()
    assert all(p.community is not None for p in placed)


def test_upload_page_lists_every_bad_line(client, coordinator, setup):
    url = f"/deltagere/forloeb/{setup['round'].slug}/indlaes"
    assert client.get(url).status_code == 200
    bad = (HEADER + "9999,participant,,\n101,chef,,\n").encode()
    from io import BytesIO

    response = client.post(
        url, data={"file": (BytesIO(bad), "deltagere.csv")}, content_type="multipart/form-data"
    )
    page = text(response)
    assert response.status_code == 400
    assert "ukendt kommune &#39;9999&#39;" in page and "Filen blev afvist: 2 fejl" in page
    good = (HEADER + f"{CODES[5]},participant,,\n").encode()
    response = client.post(
        url, data={"file": (BytesIO(good), "deltagere.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert db.session.scalar(
        select(Participation).where(Participation.municipality_id == mid(CODES[5]))
    )


def test_list_pages_do_not_query_per_row(client, coordinator, setup, count_queries):
    round_ = setup["round"]
    for code in CODES[1:6]:
        participation(round_, code)
    db.session.commit()
    for path in (
        f"/deltagere/forloeb/{round_.slug}/faellesskaber",
        f"/deltagere/forloeb/{round_.slug}/faellesskaber/forslag",
        "/deltagere/",
    ):
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        assert counter.count <= 8, (path, counter.count, counter.statements)


def test_members_page_queries_do_not_grow_with_members(
    client, make_user, login, setup, count_queries
):
    login(make_user(Role.MUNICIPAL, code=101))
    client.get("/deltagere/mine")
    with count_queries() as counter:
        client.get("/deltagere/mine")
    before = counter.count
    round_ = setup["round"]
    extra = participation(round_, CODES[1])
    communities.assign(extra, setup["community"], actor=None)
    db.session.commit()
    with count_queries() as counter:
        page = text(client.get("/deltagere/mine"))
    assert "Frederiksberg" in page and counter.count <= before


def test_the_grant_override_and_the_disbursement_each_label_their_own_amount(
    client, coordinator, setup
):
    """Two forms on one page: every id once, and each label names a field of its own form."""
    import re
    from collections import Counter

    page = text(client.get(f"/deltagere/{setup['odense'].id}"))
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    assert '<label for="grant-override-amount">Fastsat tilskud (kr.)' in page
    assert '<label for="amount">Beløb (kr.)' in page
    assert 'name="amount"' in page and 'id="grant-override-amount"' in page


def test_a_rounds_participant_pages_have_an_index_page(client, coordinator, setup):
    round_ = setup["odense"].round
    page = client.get(f"/deltagere/forloeb/{round_.slug}")
    assert page.status_code == 200
    html = text(page)
    for sub in ("faellesskaber", "tilskud", "indlaes"):
        assert f'href="/deltagere/forloeb/{round_.slug}/{sub}"' in html
    assert client.get("/deltagere/forloeb/findes-ikke").status_code == 404
    assert f'href="/deltagere/forloeb/{round_.slug}"' in text(client.get("/deltagere/"))
