"""The rules of applying: drafts, completeness, the deadline to the minute, extensions, joint
applications, one application per municipality per round, withdrawal and reopening."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.applications import checks, membership, services
from portal.applications.data import ApplicationData
from portal.applications.models import ApplicationStatus
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.errors import Conflict, InvalidInput, NotAllowed, RuleViolations
from portal.notifications.models import Notification, OutboxMessage
from portal.programmes.models import ProgrammeGoal
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round

# 12:00 Copenhagen on 1 Oct 2025 is 10:00 UTC (summer time).
DEADLINE = datetime(2025, 10, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def round_():
    programme = create_programme()
    programme.goals = [
        ProgrammeGoal(position=0, text_da="At komme i gang"),
        ProgrammeGoal(position=1, text_da="At udbrede til flere borgere"),
    ]
    db.session.flush()
    return create_round(programme, opens_at=DEADLINE - timedelta(days=60), deadline_at=DEADLINE)


@pytest.fixture
def aarhus():
    return municipality(751)


def complete(round_, **overrides) -> ApplicationData:
    data = ApplicationData(
        role="participant",
        experience="none",
        goal_ids=[round_.programme.goals[0].id],
        motivation="Vi vil frigøre tid.",
        project_lead_name="Pia",
        project_lead_email="Pia@Aarhus.dk",
        project_owner_name="Carsten",
        project_owner_title="Ældrechef",
        backing_board=True,
        backing_management=True,
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


BEFORE = DEADLINE - timedelta(days=1)


def test_a_draft_may_be_incomplete_and_submit_lists_what_is_missing(round_, aarhus, make_user):
    actor = make_user(Role.MUNICIPAL, code=751)
    application = services.start_application(
        round_, aarhus, ApplicationData(), actor=actor, now=BEFORE
    )
    assert application.status == ApplicationStatus.DRAFT
    with pytest.raises(RuleViolations) as refused:
        services.submit(application, actor=actor, now=BEFORE)
    fields = {f for f, _m in refused.value.problems}
    assert fields == {
        "experience",
        "goal_ids",
        "motivation",
        "project_lead_name",
        "project_lead_email",
        "project_owner_name",
        "project_owner_title",
        "backing_board",
        "backing_management",
    }
    assert application.status == ApplicationStatus.DRAFT


def test_a_lead_states_competence_and_capacity_instead_of_a_situation(round_, aarhus):
    application = services.start_application(
        round_, aarhus, complete(round_, role="lead", experience=""), actor=None, now=BEFORE
    )
    fields = {f for f, _m in checks.missing_for_submission(application)}
    assert fields == {"competence_statement", "capacity_statement"}


def test_leadership_backing_at_board_and_management_level_is_required(round_, aarhus):
    data = complete(round_, backing_management=False, backing_political=True)
    application = services.start_application(round_, aarhus, data, actor=None, now=BEFORE)
    assert [f for f, _m in checks.missing_for_submission(application)] == ["backing_management"]


def test_submit_locks_the_application_audits_and_normalises(round_, aarhus):
    application = services.start_application(
        round_, aarhus, complete(round_), actor=None, now=BEFORE
    )
    services.submit(application, actor=None, now=BEFORE)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at == BEFORE
    assert application.project_lead_email == "pia@aarhus.dk"
    with pytest.raises(NotAllowed):
        services.save_draft(application, complete(round_, motivation="Ny"), actor=None)
    actions = set(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.application_id == application.id)
        )
    )
    assert {"application_created", "application_submitted"} <= actions


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (DEADLINE - timedelta(minutes=1), True),
        (DEADLINE, True),
        (DEADLINE + timedelta(seconds=59, microseconds=999_999), True),  # 12:00:59 counts
        (DEADLINE + timedelta(minutes=1), False),  # 12:01 does not
    ],
)
def test_the_deadline_minute_counts_and_the_next_does_not(round_, aarhus, moment, accepted):
    application = services.start_application(
        round_, aarhus, complete(round_), actor=None, now=BEFORE
    )
    if accepted:
        services.submit(application, actor=None, now=moment)
        assert application.status == ApplicationStatus.SUBMITTED
    else:
        with pytest.raises(NotAllowed) as refused:
            services.submit(application, actor=None, now=moment)
        assert "01.10.2025 12:00" in str(refused.value.message)
        assert application.status == ApplicationStatus.DRAFT


def test_no_new_application_after_the_deadline(round_, aarhus):
    with pytest.raises(NotAllowed):
        services.start_application(
            round_, aarhus, complete(round_), actor=None, now=DEADLINE + timedelta(hours=1)
        )


def test_an_extension_lets_one_municipality_submit_later(round_, aarhus, make_user):
    coordinator = make_user(Role.COORDINATOR)
    later = DEADLINE + timedelta(days=3)
    application = services.start_application(
        round_, aarhus, complete(round_), actor=None, now=BEFORE
    )
    services.extend_deadline(round_, aarhus, later, "Byrådsmøde", actor=coordinator)
    assert services.deadline_for(round_, aarhus.id) == later
    assert services.deadline_for(round_, municipality(461).id) == DEADLINE
    assert not services.accepts_from(round_, municipality(461).id, DEADLINE + timedelta(days=1))
    services.submit(application, actor=None, now=later)
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_extension_must_be_later_than_the_deadline_and_give_a_reason(round_, aarhus):
    with pytest.raises(InvalidInput) as refused:
        services.extend_deadline(round_, aarhus, DEADLINE, "x", actor=None)
    assert refused.value.field == "until_date"
    with pytest.raises(InvalidInput) as refused:
        services.extend_deadline(round_, aarhus, DEADLINE + timedelta(days=1), " ", actor=None)
    assert refused.value.field == "reason"


def test_one_application_per_municipality_per_round_counting_joint_ones(round_, aarhus):
    odense = municipality(461)
    services.start_application(
        round_, aarhus, complete(round_, member_ids=[odense.id]), actor=None, now=BEFORE
    )
    with pytest.raises(NotAllowed):
        services.start_application(round_, aarhus, complete(round_), actor=None, now=BEFORE)
    with pytest.raises(NotAllowed):  # Odense is a co-applicant already
        services.start_application(round_, odense, complete(round_), actor=None, now=BEFORE)
    with pytest.raises(RuleViolations) as refused:  # nor can a third invite Odense
        services.start_application(
            round_,
            municipality(851),
            complete(round_, member_ids=[odense.id]),
            actor=None,
            now=BEFORE,
        )
    assert "Odense indgår allerede" in str(refused.value.problems[0][1])


def test_joint_application_counts_once_every_co_applicant_confirms(round_, aarhus, make_user):
    odense, aalborg = municipality(461), municipality(851)
    application = services.start_application(
        round_,
        aarhus,
        complete(round_, member_ids=[odense.id, aalborg.id]),
        actor=None,
        now=BEFORE,
    )
    missing = dict(checks.missing_for_submission(application))
    assert "Odense" in str(missing["member_ids"]) and "Aalborg" in str(missing["member_ids"])
    membership.confirm_membership(application, odense.id, actor=make_user(Role.MUNICIPAL, code=461))
    membership.decline_membership(
        application, aalborg.id, actor=make_user(Role.MUNICIPAL, code=851)
    )
    assert application.municipality_ids == [aarhus.id, odense.id]
    services.submit(application, actor=None, now=BEFORE)
    assert application.status == ApplicationStatus.SUBMITTED


def test_changing_a_joint_application_asks_the_co_applicants_again(round_, aarhus):
    odense = municipality(461)
    data = complete(round_, member_ids=[odense.id])
    application = services.start_application(round_, aarhus, data, actor=None, now=BEFORE)
    membership.confirm_membership(application, odense.id, actor=None)
    services.save_draft(application, data, actor=None)  # unchanged: the confirmation stays
    assert application.members[0].confirmed_at is not None
    data.motivation = "En anden motivation"
    services.save_draft(application, data, actor=None)
    assert application.members[0].confirmed_at is None


def asked_again(municipality_id: int) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(
            Notification.municipality_id == municipality_id,
            Notification.kind == "joint_reconfirm",
        )
    ).all()


def test_a_co_applicant_whose_confirmation_a_change_resets_is_told_once(round_, aarhus, make_user):
    odense = municipality(461)
    make_user(Role.MUNICIPAL, code=461)  # someone in Odense to receive the e-mail
    data = complete(round_, member_ids=[odense.id])
    application = services.start_application(round_, aarhus, data, actor=None, now=BEFORE)
    services.save_draft(application, data, actor=None)  # not confirmed yet: nothing to reset
    assert asked_again(odense.id) == []
    membership.confirm_membership(application, odense.id, actor=None)
    services.save_draft(application, data, actor=None)  # nothing changed: nothing sent
    assert asked_again(odense.id) == []
    data.motivation = "En anden motivation"
    services.save_draft(application, data, actor=None)
    data.motivation = "Og en tredje"  # still waiting for Odense: not told twice
    services.save_draft(application, data, actor=None)
    notices = asked_again(odense.id)
    assert len(notices) == 1 and notices[0].params["applicant"] == "Aarhus"
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.subject.contains("Bekræft den fælles"))
    ).all()
    assert len(mails) == 1 and "Aarhus har ændret" in mails[0].body


def test_a_municipality_not_invited_cannot_confirm(round_, aarhus):
    application = services.start_application(
        round_, aarhus, complete(round_), actor=None, now=BEFORE
    )
    with pytest.raises(NotAllowed):
        membership.confirm_membership(application, municipality(461).id, actor=None)


def test_a_user_answers_only_for_their_own_municipality(round_, aarhus, make_user):
    odense = municipality(461)
    application = services.start_application(
        round_, aarhus, complete(round_, member_ids=[odense.id]), actor=None, now=BEFORE
    )
    for actor in (make_user(Role.MUNICIPAL, code=851), make_user(Role.LEADERSHIP, code=461)):
        with pytest.raises(NotAllowed):
            membership.confirm_membership(application, odense.id, actor=actor)
        with pytest.raises(NotAllowed):
            membership.decline_membership(application, odense.id, actor=actor)
    assert application.members[0].confirmed_at is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"member_ids": "own"}, "member_ids"),
        ({"project_lead_email": "ikke-en-adresse"}, "project_lead_email"),
        ({"motivation": "Borgeren 010203-1234 fik besøg"}, "motivation"),
        ({"goal_ids": [10**6]}, "goal_ids"),
        ({"experience": "meget"}, "experience"),
        ({"role": "boss"}, "role"),
    ],
)
def test_wrong_values_are_refused_at_their_field(round_, aarhus, overrides, field):
    if overrides.get("member_ids") == "own":  # the applicant itself as co-applicant
        overrides = {"member_ids": [aarhus.id]}
    with pytest.raises(RuleViolations) as refused:
        services.start_application(
            round_, aarhus, complete(round_, **overrides), actor=None, now=BEFORE
        )
    assert refused.value.problems[0][0] == field


def test_withdraw_before_a_decision_and_resume_while_open(round_, aarhus):
    application = services.start_application(
        round_, aarhus, complete(round_), actor=None, now=BEFORE
    )
    services.submit(application, actor=None, now=BEFORE)
    services.withdraw(application, actor=None)
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(NotAllowed):
        services.resume(application, actor=None, now=DEADLINE + timedelta(hours=1))
    services.resume(application, actor=None, now=BEFORE)
    assert application.status == ApplicationStatus.DRAFT


def test_no_withdrawal_after_a_decision(round_, aarhus):
    application = create_application(round_, aarhus.id, status="approved")
    with pytest.raises(NotAllowed):
        services.withdraw(application, actor=None)


def test_a_coordinator_reopens_a_submitted_application_with_a_reason(round_, aarhus, make_user):
    coordinator = make_user(Role.COORDINATOR)
    application = create_application(round_, aarhus.id, status="submitted")
    with pytest.raises(InvalidInput):
        services.reopen(application, "  ", actor=coordinator)
    services.reopen(application, "Ret budgettet", actor=coordinator)
    assert application.status == ApplicationStatus.DRAFT
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application_reopened"))
    assert event.details["status"] == ["submitted", "draft"]
    assert event.round_id == round_.id and event.application_id == application.id


def test_an_approved_application_is_not_reopened(round_, aarhus):
    application = create_application(round_, aarhus.id, status="approved")
    with pytest.raises(NotAllowed):
        services.reopen(application, "x", actor=None)


def test_a_stale_version_is_a_conflict(round_, aarhus):
    application = services.start_application(
        round_, aarhus, complete(round_), actor=None, now=BEFORE
    )
    with pytest.raises(Conflict):
        services.save_draft(
            application, complete(round_), actor=None, version=application.version - 1
        )


def test_submission_and_joint_steps_notify_the_municipalities(round_, aarhus, make_user):
    from portal.notifications.models import Notification

    odense = municipality(461)
    data = complete(round_, member_ids=[odense.id])
    application = services.start_application(round_, aarhus, data, actor=None, now=BEFORE)
    for members in ([], [odense.id], [], [odense.id]):
        data.member_ids = members
        services.save_draft(application, data, actor=None)
    invitations = db.session.scalars(
        select(Notification).where(
            Notification.municipality_id == odense.id, Notification.kind == "joint_invitation"
        )
    ).all()
    assert len(invitations) == 1
    assert [m.municipality_id for m in application.members] == [odense.id]
