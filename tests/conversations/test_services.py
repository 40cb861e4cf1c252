"""Posting, reading and asking for a correction, at the service level."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.applications.models import ApplicationStatus
from portal.audit.models import AuditEvent
from portal.conversations import services
from portal.conversations.models import Attachment, Message, ThreadKind
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed
from portal.notifications.models import Notification, OutboxMessage
from tests.conversations.helpers import PDF


def _subject(case, kind=ThreadKind.APPLICATION):
    obj = {
        ThreadKind.APPLICATION: case.application,
        ThreadKind.PARTICIPATION: case.participation,
        ThreadKind.REPORT: case.report,
    }[kind]
    return services.Subject(kind, obj)


def _post(case, actor, body="Hej", uploads=(), kind=ThreadKind.APPLICATION, **kwargs):
    message = services.post_message(
        _subject(case, kind), body, list(uploads), actor=actor, **kwargs
    )
    db.session.commit()
    return message


def _unread(user, message) -> int:
    return services.unread_counts(user, [message.thread_id]).get(message.thread_id, 0)


def test_read_and_unread_are_kept_per_person(case):
    question = _post(case, case.lead, "Hvornår får vi svar?")
    assert _unread(case.lead, question) == 0  # one's own message is read
    assert _unread(case.coordinator, question) == 1
    answer = _post(case, case.coordinator, "I næste uge.")
    assert _unread(case.coordinator, answer) == 0  # answering reads the thread
    assert _unread(case.lead, answer) == 1
    assert _unread(case.colleague, answer) == 2  # the colleague has read nothing yet
    services.mark_read(answer.thread, actor=case.lead)
    db.session.commit()
    assert _unread(case.lead, answer) == 0
    assert _unread(case.colleague, answer) == 2


def test_a_coordinators_message_tells_the_municipality_by_notice_and_email(case):
    _post(case, case.coordinator, "Vi mangler budgettet.", kind=ThreadKind.PARTICIPATION)
    notice = db.session.scalars(
        select(Notification).where(Notification.kind == "message_to_municipality")
    ).one()
    assert notice.municipality_id == case.application.municipality_id
    assert notice.params["thread"] == "participation"
    assert notice.link == f"/samtaler/deltagelse/{case.participation.id}"
    mails = db.session.scalars(
        select(OutboxMessage.to_address).where(OutboxMessage.subject.like("Ny besked%"))
    ).all()
    assert {case.lead.email, case.colleague.email} <= set(mails)
    assert case.odense.email not in mails and case.coordinator.email not in mails


def test_a_municipalitys_message_tells_each_coordinator_personally(case, make_user):
    from portal.auth.models import Role

    other = make_user(Role.COORDINATOR)
    _post(case, case.lead, "Et spørgsmål", kind=ThreadKind.REPORT)
    notices = db.session.scalars(
        select(Notification).where(Notification.kind == "message_to_coordinators")
    ).all()
    assert {n.user_id for n in notices} == {case.coordinator.id, other.id}
    assert all(n.municipality_id is None for n in notices)
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert {m.to_address for m in mails} == {case.coordinator.email, other.email}
    assert "Aarhus" in mails[0].subject


def test_everything_posted_and_downloaded_is_in_the_audit_log(case):
    message = _post(case, case.lead, "Se bilaget", [services.Upload(io.BytesIO(PDF), "b.pdf")])
    services.record_download(message.attachments[0], actor=case.coordinator)
    db.session.commit()
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.application_id == case.application.id)
    ).all()
    assert "message_posted" in actions and "attachment_downloaded" in actions
    posted = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "message_posted")
    ).one()
    assert posted.municipality_id == case.application.municipality_id
    assert posted.details["attachments"] == f"b.pdf ({len(PDF)} B)"


def test_asking_for_a_correction_reopens_the_application_with_the_message_as_reason(case):
    reason = "Motivationen mangler jeres mål for det første år. Ret den og indsend igen."
    message = _post(case, case.coordinator, reason, ask_correction=True)
    assert message.asks_correction
    assert case.application.status == ApplicationStatus.DRAFT
    reopened = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "application_reopened")
    ).one()
    assert reopened.details["reason"] == reason
    notice = db.session.scalars(
        select(Notification).where(Notification.kind == "application_reopened")
    ).one()
    assert notice.params["reason"] == reason
    # one notice about it, not two
    assert not db.session.scalars(
        select(Notification).where(Notification.kind == "message_to_municipality")
    ).all()


def test_asking_for_a_correction_reopens_a_submitted_report(case):
    case.report.what_worked = "Meget"
    case.report.submitted_at = utcnow()
    db.session.commit()
    _post(
        case,
        case.coordinator,
        "Tallene for marts mangler.",
        kind=ThreadKind.REPORT,
        ask_correction=True,
    )
    assert case.report.submitted_at is None and case.report.reopened_at is not None
    notice = db.session.scalars(
        select(Notification).where(Notification.kind == "message_to_municipality")
    ).one()
    assert notice.params["correction"]
    assert (
        db.session.scalar(select(func.count()).where(AuditEvent.action == "correction_requested"))
        == 1
    )


def test_only_a_coordinator_asks_for_a_correction_and_not_of_a_participation(case):
    with pytest.raises(NotAllowed):
        services.post_message(_subject(case), "Ret selv", actor=case.lead, ask_correction=True)
    db.session.rollback()
    with pytest.raises(NotAllowed):
        services.post_message(
            _subject(case, ThreadKind.PARTICIPATION),
            "Ret",
            actor=case.coordinator,
            ask_correction=True,
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(Message.id))) == 0
    assert case.application.status == ApplicationStatus.SUBMITTED


def test_another_municipality_cannot_write_in_the_thread(case):
    with pytest.raises(NotAllowed):
        services.post_message(_subject(case), "Hej", actor=case.odense)


def test_an_empty_message_and_a_cpr_number_are_refused(case):
    with pytest.raises(InvalidInput) as empty:
        services.post_message(_subject(case), "   ", actor=case.lead)
    assert empty.value.field == "body"
    with pytest.raises(InvalidInput) as cpr:
        services.post_message(_subject(case), "Borgeren 010190-1234 klager", actor=case.lead)
    assert cpr.value.field == "body"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


@pytest.mark.parametrize("thread", ["application", "participation", "report"])
def test_each_kind_of_thread_has_its_own_words_in_danish_and_english(app, thread):
    from flask_babel import force_locale

    from portal.notifications import texts

    params = {"round": "Skærmbesøg 2025", "round_en": "Screen visits 2025", "thread": thread}
    words = {"application": "ansøgning", "participation": "deltagelse", "report": "rapport"}
    with app.test_request_context():
        subject, body = texts.email_texts("message_to_municipality", params)
        assert words[thread] in subject.lower() and "Skærmbesøg 2025" in body
        _, asked = texts.email_texts("message_to_municipality", {**params, "correction": "1"})
        assert asked.endswith("Koordinatoren beder jer rette og indsende igen.")
        with force_locale("en"):
            assert "Screen visits 2025" in texts.notice_text("message_to_municipality", params)
