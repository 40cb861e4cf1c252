"""Decisions: the transitions, participations, notification, audit, bulk and stale versions."""

import pytest
from sqlalchemy import select

from portal.applications.models import ApplicationStatus
from portal.audit.models import AuditEvent
from portal.db import db
from portal.errors import Conflict, NotAllowed
from portal.notifications.texts import round_names
from portal.participations.models import Participation
from portal.programmes.services import RuleViolations
from portal.review import decisions
from tests.review.conftest import AAL, AAR, CPH, GEN, ODE, apply, mid

A, W, R = ApplicationStatus.APPROVED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED


@pytest.fixture
def notices(monkeypatch):
    sent = []
    monkeypatch.setattr(
        decisions.notifications, "notify", lambda *args, **kwargs: sent.append((args, kwargs))
    )
    return sent


def _participations(application):
    return db.session.scalars(
        select(Participation).where(Participation.application_id == application.id)
    ).all()


def test_approval_creates_participations_notifies_and_audits(app, round_, coordinator, notices):
    application = apply(round_, CPH, role="lead", members=[mid(GEN)])
    with app.test_request_context():
        decisions.decide(
            application, A, " Stærk ansøgning. ", actor=coordinator, version=application.version
        )
    db.session.commit()
    assert application.status == A and application.decision_reason == "Stærk ansøgning."
    assert application.decided_by_id == coordinator.id and application.decided_at
    assert {p.municipality_id for p in _participations(application)} == {mid(CPH), mid(GEN)}
    ((args, kwargs),) = notices
    assert args == (
        [mid(CPH), mid(GEN)],
        "application_decided",
        {**round_names(round_), "decision": "approved", "reason": "Stærk ansøgning."},
    )
    assert kwargs == {
        "link": f"/ansoegninger/{application.id}",
        "extra_emails": ["pia@kommune.dk"],
    }
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application_decided"))
    assert (event.round_id, event.application_id, event.municipality_id) == (
        round_.id,
        application.id,
        mid(CPH),
    )
    assert event.details["before"] == {"status": "submitted", "reason": ""}
    assert event.details["after"] == {"status": "approved", "reason": "Stærk ansøgning."}


def test_changing_an_approval_removes_the_participations(app, round_, coordinator, notices):
    application = apply(round_, AAR, project_lead_email="")
    with app.test_request_context():
        decisions.decide(application, A, "Godkendt.", actor=coordinator)
        decisions.decide(application, A, "Godkendt, ny begrundelse.", actor=coordinator)
        assert len(_participations(application)) == 1
        decisions.decide(application, W, "Der var ikke plads.", actor=coordinator)
    db.session.commit()
    assert application.status == W and _participations(application) == []
    assert notices[-1][1]["extra_emails"] is None
    befores = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "application_decided")
    ).all()
    assert [d["before"]["status"] for d in befores] == ["submitted", "approved", "approved"]
    with app.test_request_context():
        decisions.decide(application, R, "Afvist.", actor=coordinator)
        decisions.decide(application, A, "Alligevel godkendt.", actor=coordinator)
    assert len(_participations(application)) == 1


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_drafts_and_withdrawn_applications_cannot_be_decided(
    app, round_, coordinator, notices, status
):
    application = apply(round_, AAR, status=status)
    with app.test_request_context(), pytest.raises(NotAllowed) as refused:
        decisions.decide(application, A, "Godkendt.", actor=coordinator)
    assert "Aarhus" in refused.value.message
    assert notices == []


def test_a_decision_needs_a_valid_choice_and_a_reason(app, round_, coordinator, notices):
    application = apply(round_, AAR)
    with app.test_request_context():
        with pytest.raises(RuleViolations) as refused:
            decisions.decide(application, "submitted", "  ", actor=coordinator)
        assert {f for f, _m in refused.value.problems} == {"decision", "reason"}
        with pytest.raises(RuleViolations):
            decisions.decide(application, "bogus", "x", actor=coordinator)


def test_a_stale_version_is_a_conflict(app, round_, coordinator, notices):
    application = apply(round_, AAR)
    seen = application.version
    with app.test_request_context():
        decisions.decide(application, W, "Venteliste.", actor=coordinator, version=seen)
        db.session.commit()
        with pytest.raises(Conflict) as conflict:
            decisions.decide(application, R, "Afvist.", actor=coordinator, version=seen)
    assert "ændret af en anden" in conflict.value.message
    assert application.status == W


def test_bulk_decision_is_all_or_nothing(app, round_, coordinator, notices):
    fine = apply(round_, AAR)
    other = apply(round_, ODE)
    withdrawn = apply(round_, AAL, status="withdrawn")
    stale = other.version - 1
    with app.test_request_context(), pytest.raises(RuleViolations) as refused:
        decisions.decide_many(
            [(fine, fine.version), (other, stale), (withdrawn, None)],
            R,
            "Ikke plads.",
            actor=coordinator,
        )
    messages = [str(m) for _f, m in refused.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("Odense:") and "ændret af en anden" in messages[0]
    assert messages[1].startswith("Aalborg:") and "trukket tilbage" in messages[1].lower()
    db.session.rollback()  # what the page does
    assert fine.status == ApplicationStatus.SUBMITTED
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application_decided"))
        is None
    )
    with app.test_request_context():
        done = decisions.decide_many(
            [(fine, fine.version), (other, other.version)], W, "Venteliste.", actor=coordinator
        )
    assert [a.status for a in done] == [W, W]


def test_bulk_decision_refuses_an_empty_choice_and_a_missing_reason(app, round_, coordinator):
    application = apply(round_, AAR)
    with app.test_request_context():
        with pytest.raises(RuleViolations):
            decisions.decide_many([], A, "x", actor=coordinator)
        with pytest.raises(RuleViolations):
            decisions.decide_many([(application, None)], A, "", actor=coordinator)


def test_approving_early_or_with_reviews_missing_is_warned_with_the_counts(app, round_):
    from datetime import timedelta

    from portal.review.services import Progress

    with app.test_request_context():
        early = decisions.approval_warnings(round_, [Progress(1, 3), Progress(0, 0)])
        assert early[0].startswith("Ansøgningsfristen er ikke udløbet")
        assert early[1:] == [
            "2 bedømmelser er ikke afgivet endnu.",
            "1 ansøgning har ingen bedømmere.",
        ]
        one = decisions.approval_warnings(
            round_, [Progress(0, 1)], now=round_.deadline_at + timedelta(minutes=1)
        )
        assert one == ["1 bedømmelse er ikke afgivet endnu."]
        after = round_.deadline_at + timedelta(days=1)
        assert decisions.approval_warnings(round_, [Progress(2, 2)], now=after) == []
