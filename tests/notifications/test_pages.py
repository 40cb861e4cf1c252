"""/beskeder/ per role (own municipality only, national read-only, others empty) and the
outbox for coordinators and admins."""

from datetime import timedelta

import pytest

from portal.auth.models import Role
from portal.db import db, utcnow
from portal.notifications.models import Notification
from portal.notifications.services import notify, unread_count
from tests.conftest import municipality
from tests.notifications.test_delivery import queue

ROUND = "Digital træning 2025–2027"


@pytest.fixture
def notices(make_user):
    """One notice for Copenhagen, one for Aarhus; returns them by municipality code."""
    kk = notify([municipality(101).id], "application_submitted", {"round": ROUND}, link="/a/1")[0]
    aarhus = notify(
        [municipality(751).id],
        "application_decided",
        {"round": ROUND, "decision": "rejected", "reason": "Hemmelig begrundelse"},
        link="/a/2",
    )[0]
    db.session.commit()
    return {101: kk, 751: aarhus}


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.LEADERSHIP])
def test_a_municipality_reads_its_own_notices_only(client, make_user, login, notices, role):
    login(make_user(role, code=101))
    page = client.get("/beskeder/").get_data(as_text=True)
    assert f"Ansøgningen til {ROUND} er indsendt." in page
    assert 'href="/a/1"' in page and "Markér som læst" in page and "Markér alle som læst" in page
    assert "afvist" not in page and 'href="/a/2"' not in page


def test_marking_read_one_and_all(client, make_user, login, notices):
    user = make_user(Role.MUNICIPAL, code=101)
    second = notify([municipality(101).id], "application_withdrawn", {"round": ROUND})[0]
    db.session.commit()
    login(user)
    assert unread_count(user) == 2
    response = client.post(f"/beskeder/{notices[101].id}/laest", data={"page": "1"})
    assert response.status_code == 302 and response.location.endswith("/beskeder/?page=1")
    assert db.session.get(Notification, notices[101].id).read_at is not None
    assert unread_count(user) == 1
    client.post("/beskeder/laest", follow_redirects=True)
    assert db.session.get(Notification, second.id).read_at is not None
    assert db.session.get(Notification, notices[751].id).read_at is None  # Aarhus untouched
    assert unread_count(user) == 0
    page = client.get("/beskeder/").get_data(as_text=True)
    assert "Markér alle som læst" not in page and "Læst" in page


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.LEADERSHIP])
def test_another_municipalitys_notice_is_not_found(client, make_user, login, notices, role):
    login(make_user(role, code=101))
    for ident in (notices[751].id, 999_999, 2**40):
        assert client.post(f"/beskeder/{ident}/laest").status_code == 404
    client.post("/beskeder/laest")
    assert db.session.get(Notification, notices[751].id).read_at is None


@pytest.mark.parametrize(("role", "code"), [(Role.COORDINATOR, None), (Role.LEADERSHIP, None)])
def test_national_users_read_every_notice_but_leave_the_marks(
    client, make_user, login, notices, role, code
):
    user = make_user(role, code=code)
    login(user)
    page = client.get("/beskeder/").get_data(as_text=True)
    assert "København" in page and "Aarhus" in page
    assert f"Ansøgningen til {ROUND} er afvist." in page
    assert "Markér som læst" not in page and "Markér alle som læst" not in page
    assert client.post(f"/beskeder/{notices[101].id}/laest").status_code == 403
    assert client.post("/beskeder/laest").status_code == 403
    assert db.session.get(Notification, notices[101].id).read_at is None
    assert unread_count(user) == 0


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_reviewers_and_admins_have_no_notices(client, make_user, login, notices, role):
    login(make_user(role))
    page = client.get("/beskeder/").get_data(as_text=True)
    assert "Din rolle har ingen kommunes beskeder." in page and "/a/1" not in page
    assert client.post(f"/beskeder/{notices[101].id}/laest").status_code == 404
    assert client.post("/beskeder/laest").status_code == 403


def test_a_reviewer_of_a_municipality_has_none_either(client, make_user, login, notices):
    login(make_user(Role.REVIEWER, code=101))
    assert "/a/1" not in client.get("/beskeder/").get_data(as_text=True)
    assert client.post(f"/beskeder/{notices[101].id}/laest").status_code == 404


def test_empty_state_and_login_required(client, make_user, login):
    assert client.get("/beskeder/").status_code == 302
    login(make_user(Role.MUNICIPAL, code=147))
    assert "Ingen beskeder endnu." in client.get("/beskeder/").get_data(as_text=True)


def test_newest_first_paginated_in_a_fixed_number_of_queries(
    client, make_user, login, count_queries
):
    kk = municipality(101).id
    start = utcnow() - timedelta(days=40)
    db.session.add_all(
        Notification(
            municipality_id=kk,
            kind="community_placed",
            params={"round": ROUND, "community": f"Fællesskab {n:02d}"},
            created_at=start + timedelta(days=n),
        )
        for n in range(30)
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    with count_queries() as counter:
        page = client.get("/beskeder/").get_data(as_text=True)
    assert counter.count <= 5, counter.statements
    assert page.index("fællesskabet 29 i") < page.index("fællesskabet 28 i")
    assert "fællesskabet 04 i" not in page and "Side 1 af 2" in page
    assert "fællesskabet 04 i" in client.get("/beskeder/?page=2").get_data(as_text=True)


def test_unread_count_is_one_query(make_user, count_queries, notices):
    user = make_user(Role.MUNICIPAL, code=101)
    coordinator = make_user(Role.COORDINATOR)
    with count_queries() as counter:
        assert unread_count(user) == 1
    assert counter.count == 1
    with count_queries() as counter:  # the coordinator's own notices (a file is ready)
        assert unread_count(coordinator) == 0
    assert counter.count == 1


def test_an_unknown_kind_shows_a_generic_text_in_production(
    client, make_user, login, app, monkeypatch
):
    db.session.add(Notification(municipality_id=municipality(101).id, kind="gammel", params={}))
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    monkeypatch.setitem(app.config, "TESTING", False)
    page = client.get("/beskeder/")
    assert page.status_code == 200
    assert "Der er nyt i Skaleringsportalen." in page.get_data(as_text=True)


# The outbox ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_read_the_outbox(client, make_user, login, role, smtp):
    sent, failed, waiting = queue("sendt@kk.dk", "fejl@kk.dk", "venter@kk.dk")
    sent.sent_at = utcnow()
    failed.attempts, failed.last_error = 2, "ConnectionRefusedError: [Errno 111] nej"
    db.session.commit()
    login(make_user(role))
    page = client.get("/beskeder/udbakke").get_data(as_text=True)
    assert "sendt@kk.dk" in page and "Sendt" in page
    assert "Fejlet 2 gange" in page and "[Errno 111] nej" in page
    assert "venter@kk.dk" in page and "København" in page
    only_failed = client.get("/beskeder/udbakke?status=failed").get_data(as_text=True)
    assert "fejl@kk.dk" in only_failed and "venter@kk.dk" not in only_failed

    response = client.post("/beskeder/udbakke/send", data={"status": "failed"})
    assert response.status_code == 302 and response.location.endswith("?status=failed")
    flashed = client.get("/beskeder/udbakke").get_data(as_text=True)
    assert "Sendt: 2. Fejlede: 0. Venter nu: 0." in flashed
    assert sorted(e["To"] for e in smtp.sent) == ["fejl@kk.dk", "venter@kk.dk"]


def test_send_now_without_a_mail_server_says_so(client, make_user, login):
    queue("a@kk.dk")
    db.session.commit()
    login(make_user(Role.COORDINATOR))
    page = client.get("/beskeder/udbakke").get_data(as_text=True)
    assert "Der er ingen mailserver sat op" in page
    page = client.post("/beskeder/udbakke/send", follow_redirects=True).get_data(as_text=True)
    assert "Der er ingen mailserver sat op: 1 e-mail er skrevet i loggen" in page
    assert "ingen mailserver; skrevet i loggen" in page


def test_outbox_empty_state(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert "Ingen e-mails her." in client.get("/beskeder/udbakke").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.MUNICIPAL, 101), (Role.LEADERSHIP, 101), (Role.LEADERSHIP, None), (Role.REVIEWER, None)],
)
def test_others_may_not_see_or_send_the_outbox(client, make_user, login, role, code):
    queue("a@kk.dk")
    db.session.commit()
    login(make_user(role, code=code))
    assert client.get("/beskeder/udbakke").status_code == 403
    assert client.post("/beskeder/udbakke/send").status_code == 403
