"""notify(): a notice per municipality, one Danish e-mail per address in the outbox, in the
caller's transaction."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.auth.services import set_active
from portal.db import db
from portal.notifications import texts
from portal.notifications.models import Notification, OutboxMessage
from portal.notifications.services import notify
from tests.conftest import municipality

ROUND = "Skærmbesøg 2025–2027"


def outbox():
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def notices():
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


@pytest.fixture
def people(make_user):
    """Copenhagen: two active municipal users, one deactivated, one leader; Aarhus: one."""
    a = make_user(Role.MUNICIPAL, code=101, email="anne@kk.dk")
    b = make_user(Role.MUNICIPAL, code=101, email="bo@kk.dk")
    gone = make_user(Role.MUNICIPAL, code=101, email="gone@kk.dk")
    admin = make_user(Role.ADMIN)
    set_active(gone, False, actor=admin)
    db.session.commit()
    leader = make_user(Role.LEADERSHIP, code=101, email="chef@kk.dk")
    other = make_user(Role.MUNICIPAL, code=751, email="ole@aarhus.dk")
    return {"a": a, "b": b, "gone": gone, "leader": leader, "other": other}


def test_notify_writes_a_notice_and_one_email_per_address(people):
    kk = municipality(101)
    notify(
        [kk.id],
        "application_submitted",
        {"round": ROUND},
        link="/ansoegninger/5",
        extra_emails=["Pia@Kommune.dk", " pia@kommune.dk ", "ikke en adresse", "ANNE@kk.dk"],
    )
    [notice] = notices()
    assert (notice.municipality_id, notice.kind, notice.params, notice.link) == (
        kk.id,
        "application_submitted",
        {"round": ROUND},
        "/ansoegninger/5",
    )
    assert notice.read_at is None
    messages = outbox()
    # active municipal users of the municipality and the valid extra address, once each:
    # not the deactivated user, not the leader (no municipal role), not Aarhus
    assert sorted(m.to_address for m in messages) == ["anne@kk.dk", "bo@kk.dk", "pia@kommune.dk"]
    assert {m.municipality_id for m in messages} == {kk.id}
    assert all(m.sent_at is None and m.attempts == 0 for m in messages)


def test_the_email_is_danish_and_ends_with_the_link(people, app, monkeypatch):
    with force_locale("en"):  # the acting user reads English; the municipality gets Danish
        notify([municipality(101).id], "application_submitted", {"round": ROUND}, link="/a/5")
    message = outbox()[0]
    assert message.subject == f"Ansøgning indsendt: {ROUND}"
    assert message.body.startswith(f"Jeres ansøgning til {ROUND} er indsendt og modtaget.")
    assert message.body.rstrip().endswith("Se mere i Skaleringsportalen:\n/a/5")

    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://skalering.example.dk")
    notify([municipality(751).id], "application_withdrawn", {"round": ROUND}, link="/a/6")
    aarhus = [m for m in outbox() if m.to_address == "ole@aarhus.dk"][0]
    assert aarhus.subject == f"Ansøgning trukket tilbage: {ROUND}"
    assert aarhus.body.rstrip().endswith("\nhttps://skalering.example.dk/a/6")


def test_without_a_link_the_body_is_the_text_alone(people):
    notify([municipality(101).id], "application_reopened", {"round": ROUND, "reason": "Ret budget"})
    body = outbox()[0].body
    assert "genåbnet" in body and "Begrundelse: Ret budget" in body
    assert "Se mere" not in body


@pytest.mark.parametrize(
    ("decision", "words"),
    [
        ("approved", "er godkendt"),
        ("waitlisted", "på venteliste"),
        ("rejected", "er desværre afvist"),
    ],
)
def test_decisions_have_their_own_words_and_the_reason(people, decision, words):
    notify(
        [municipality(101).id],
        "application_decided",
        {"round": ROUND, "decision": decision, "reason": "Stærk ledelsesforankring."},
    )
    message = outbox()[0]
    assert message.subject == f"Afgørelse om jeres ansøgning: {ROUND}"
    assert words in message.body
    assert "\n\nBegrundelse: Stærk ledelsesforankring." in message.body


def test_joint_application_reaches_each_municipality(people):
    kk, aarhus = municipality(101), municipality(751)
    notify(
        [aarhus.id, kk.id, aarhus.id],
        "joint_invitation",
        {"round": ROUND, "applicant": "Odense"},
        link="/ansoegninger/9",
    )
    assert [n.municipality_id for n in notices()] == [aarhus.id, kk.id]
    by_address = {m.to_address: m.municipality_id for m in outbox()}
    assert by_address == {"ole@aarhus.dk": aarhus.id, "anne@kk.dk": kk.id, "bo@kk.dk": kk.id}
    assert outbox()[0].subject == f"Bekræft fælles ansøgning: {ROUND}"
    assert "Odense har skrevet jeres kommune på som medansøger" in outbox()[0].body


def test_a_municipality_without_users_gets_the_notice_only(people):
    notify([municipality(147).id], "community_placed", {"round": ROUND, "community": "Nord"})
    assert len(notices()) == 1 and outbox() == []
    text = texts.notice_text("community_placed", notices()[0].params)
    assert text == f"I er placeret i fællesskabet Nord i {ROUND}."


def test_dates_are_stored_as_text_and_shown_in_danish_time(people):
    until = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)  # 12:00 in Copenhagen (summer time)
    notify([municipality(101).id], "deadline_extended", {"round": ROUND, "until": until})
    notice = notices()[0]
    assert notice.params["until"] == "2025-10-08T10:00:00+00:00"
    assert texts.notice_text(notice.kind, notice.params) == (
        f"Ansøgningsfristen for {ROUND} er forlænget for jer til 08.10.2025 12:00."
    )
    assert "til 08.10.2025 12:00." in outbox()[0].body


def test_every_kind_renders_in_danish(app):
    params = {
        "round": ROUND,
        "decision": "approved",
        "reason": "Fin",
        "community": "Syd",
        "applicant": "Vejle",
        "municipality": "Kolding",
        "until": "2025-10-08T10:00:00+00:00",
        "due": "2026-01-15",
        "report": "statusrapporten for 4. kvartal 2025",
        "file": "fremdrift-skaermbesoeg-2025-kommuner.zip",
        "summary": "3 rækker læst: 3 nye, 0 ændret, 0 uændret.",
        "thread": "report",  # the conversations' (each variant is rendered in their tests)
        "version": 2,
    }
    for kind in texts.KINDS:
        notice = texts.notice_text(kind, params)
        subject, body = texts.email_texts(kind, params)
        assert ROUND in notice and ROUND in subject and ROUND in body, kind
        assert "%(" not in notice + subject + body, kind


def test_unknown_kinds_and_missing_params_fail_loudly_in_tests(people):
    with pytest.raises(texts.UnknownNotification):
        notify([municipality(101).id], "application_exploded", {"round": ROUND})
    with pytest.raises(texts.UnknownNotification):
        notify([municipality(101).id], "community_placed", {"round": ROUND})
    with pytest.raises(texts.UnknownNotification):
        notify([municipality(101).id], "application_decided", {"round": ROUND, "decision": "x"})
    with pytest.raises(ValueError):
        notify([municipality(101).id], "application_submitted", {"round": ROUND}, link="https://x")


def test_in_production_an_unknown_kind_gets_a_generic_text(people, app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "TESTING", False)
    notify([municipality(101).id], "application_exploded", {"round": ROUND}, link="//evil.example")
    notice = notices()[0]
    assert notice.link == ""  # never a link out of the portal
    assert texts.notice_text(notice.kind, notice.params) == "Der er nyt i Skaleringsportalen."
    assert outbox()[0].subject == "Nyt fra Skaleringsportalen"
    assert "application_exploded" in caplog.text


def test_notify_only_flushes(people):
    notify([municipality(101).id], "application_submitted", {"round": ROUND})
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
    db.session.rollback()  # the caller's transaction fails: nothing was committed
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_a_notice_names_the_round_in_the_readers_language(people):
    round_ = SimpleNamespace(name_da="Skærmbesøg 2026", name_en="Screen visits 2026")
    notify([municipality(101).id], "application_submitted", texts.round_names(round_))
    notice = notices()[0]
    with force_locale("en"):
        assert "Screen visits 2026" in texts.notice_text(notice.kind, notice.params)
    with force_locale("da"):
        assert "Skærmbesøg 2026" in texts.notice_text(notice.kind, notice.params)
    assert "Skærmbesøg 2026" in outbox()[0].subject  # the e-mail is Danish


def test_a_community_named_fallesskab_is_not_named_twice(people, app):
    from portal.i18n import bare_community

    notify(
        [municipality(101).id],
        "community_placed",
        {"round": ROUND, "community": "Fællesskab Odense"},
    )
    text = texts.notice_text("community_placed", notices()[0].params)
    assert text == f"I er placeret i fællesskabet Odense i {ROUND}."
    assert "fællesskabet Odense" in outbox()[0].body
    assert bare_community("Nord") == "Nord" and bare_community("Fællesskabet Syd") == "Syd"
