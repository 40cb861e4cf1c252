"""Applying to a round: drafts, joint applications, submission before the deadline,
withdrawal, reopening and deadline extensions (a co-applicant's answer:
``applications.membership``). Services flush; the caller commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from portal.applications import versions
from portal.applications.checks import check_data, missing_for_submission
from portal.applications.data import SNAPSHOT_FIELDS, ApplicationData
from portal.applications.deadlines import (  # noqa: F401  (the application services' API)
    accepts_from,
    deadline_for,
    extend_deadline,
    extensions_of_round,
    remove_extension,
    require_open,
)
from portal.applications.models import (
    REOPENABLE,
    WITHDRAWABLE,
    ApplicantRole,
    Application,
    ApplicationMember,
    ApplicationStatus,
    Experience,
)
from portal.applications.queries import application_in_round
from portal.audit import services as audit
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed, RuleViolations, check_version
from portal.links import path_for
from portal.municipalities.models import Municipality
from portal.notifications.services import notify, recently_notified
from portal.notifications.texts import round_names
from portal.programmes.models import ProgrammeGoal, Round


def snapshot(application: Application) -> dict:
    values = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(application, name)
        values[name] = value.value if hasattr(value, "value") else value
    values["goals"] = sorted(g.id for g in application.goals)
    values["members"] = sorted(m.municipality_id for m in application.members)
    return values


# -- writing -------------------------------------------------------------------------------


def _apply(application: Application, data: ApplicationData) -> None:
    application.role = ApplicantRole(data.role)
    application.experience = Experience(data.experience) if data.experience else None
    lead = application.role == ApplicantRole.LEAD
    application.competence_statement = data.competence_statement.strip() if lead else ""
    application.capacity_statement = data.capacity_statement.strip() if lead else ""
    application.motivation = data.motivation.strip()
    application.project_lead_name = data.project_lead_name.strip()
    application.project_lead_email = data.project_lead_email.strip().lower()
    application.project_owner_name = data.project_owner_name.strip()
    application.project_owner_title = data.project_owner_title.strip()
    application.backing_board = bool(data.backing_board)
    application.backing_management = bool(data.backing_management)
    application.backing_political = bool(data.backing_political)
    wanted = set(data.goal_ids)
    application.goals = [g for g in application.round.programme.goals if g.id in wanted]


def _set_members(application: Application, member_ids: list[int]) -> list[int]:
    """Co-applicants as listed; returns the ones newly invited."""
    wanted = set(member_ids)
    application.members = [m for m in application.members if m.municipality_id in wanted]
    present = {m.municipality_id for m in application.members}
    added = sorted(wanted - present)
    for municipality_id in added:
        application.members.append(ApplicationMember(municipality_id=municipality_id))
    return added


# Toggling a co-applicant off and on again is no new invitation: within this window a
# municipality already invited to the application gets no second notice and e-mail.
INVITATION_DEBOUNCE = timedelta(hours=1)


def _invite(application: Application, municipality_ids: list[int]) -> None:
    link = path_for("applications.detail", application_id=application.id)
    invited = recently_notified(municipality_ids, "joint_invitation", link, INVITATION_DEBOUNCE)
    fresh = [m for m in municipality_ids if m not in invited]
    if fresh:
        notify(
            fresh,
            "joint_invitation",
            {**round_names(application.round), "applicant": application.municipality.name},
            link=link,
        )


def start_application(
    round_: Round,
    municipality: Municipality,
    data: ApplicationData,
    *,
    actor,
    now: datetime | None = None,
) -> Application:
    """A new draft for ``municipality``: one application per municipality per round, counting
    joint applications it is part of, and only while the round takes its applications."""
    require_open(round_, municipality.id, now)
    if application_in_round(round_.id, municipality.id) is not None:
        raise NotAllowed(_l("Jeres kommune indgår allerede i en ansøgning til dette forløb."))
    check_data(round_, municipality.id, data)
    application = Application(
        round=round_,
        municipality=municipality,
        municipality_id=municipality.id,
        role=ApplicantRole(data.role),
        created_by_id=getattr(actor, "id", None),
    )
    _apply(application, data)
    added = _set_members(application, data.member_ids)
    try:
        with db.session.begin_nested():  # a colleague's draft may have been saved meanwhile
            db.session.add(application)
            db.session.flush()
    except IntegrityError as exc:
        raise NotAllowed(
            _l("Jeres kommune indgår allerede i en ansøgning til dette forløb.")
        ) from exc
    audit.record(
        "application_created",
        actor=actor,
        obj=application,
        municipality_id=municipality.id,
        round_id=round_.id,
        application_id=application.id,
        values=snapshot(application),
    )
    _invite(application, added)
    return application


def _require_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise NotAllowed(
            _l(
                "Ansøgningen er indsendt og kan ikke ændres. Koordinatoren kan genåbne den, hvis"
                " den skal rettes."
            )
        )


def save_draft(
    application: Application,
    data: ApplicationData,
    *,
    actor,
    version: int | None = None,
) -> Application:
    """Save what was typed. A change after co-applicants confirmed asks them to confirm the
    new text again: they confirm what they read."""
    check_version(application, version, _l("Ansøgningen"))
    _require_draft(application)
    check_data(application.round, application.municipality_id, data, existing=application)
    before = snapshot(application)
    _apply(application, data)
    added = _set_members(application, data.member_ids)
    after = snapshot(application)
    changed = audit.changes(before, after)
    asked_again: list[int] = []
    if changed:
        for member in application.members:
            if member.confirmed_at is not None:
                asked_again.append(member.municipality_id)
            member.confirmed_at = None
            member.confirmed_by_id = None
        application.updated_at = utcnow()
        db.session.flush()
        audit.record(
            "application_saved",
            actor=actor,
            obj=application,
            municipality_id=application.municipality_id,
            round_id=application.round_id,
            application_id=application.id,
            changes=changed,
        )
    _invite(application, added)
    _ask_again(application, asked_again)
    return application


def _ask_again(application: Application, municipality_ids: list[int]) -> None:
    """Co-applicants whose confirmation a change has just reset are told, once per change
    (a member already waiting to confirm is not told again)."""
    if municipality_ids:
        notify(
            municipality_ids,
            "joint_reconfirm",
            {**round_names(application.round), "applicant": application.municipality.name},
            link=path_for("applications.detail", application_id=application.id),
        )


def submit(
    application: Application,
    *,
    actor,
    version: int | None = None,
    now: datetime | None = None,
) -> Application:
    """Submit a complete draft before the (possibly extended) deadline; afterwards it is
    read-only until a coordinator reopens it."""
    check_version(application, version, _l("Ansøgningen"))
    _require_draft(application)
    require_open(application.round, application.municipality_id, now)
    missing = missing_for_submission(application)
    if missing:
        raise RuleViolations(missing)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now or utcnow()
    db.session.flush()
    _record_status(application, actor, ApplicationStatus.DRAFT, "application_submitted")
    versions.record_version(application, actor=actor)
    notify(
        application.municipality_ids,
        "application_submitted",
        {**round_names(application.round), "applicant": application.municipality.name},
        link=path_for("applications.detail", application_id=application.id),
        extra_emails=_lead_email(application),
    )
    return application


def withdraw(application: Application, *, actor, version: int | None = None) -> Application:
    """The municipality withdraws a draft or a submitted application before a decision."""
    check_version(application, version, _l("Ansøgningen"))
    if application.status not in WITHDRAWABLE:
        raise NotAllowed(_l("Der er truffet en afgørelse; ansøgningen kan ikke trækkes tilbage."))
    before = application.status
    application.status = ApplicationStatus.WITHDRAWN
    db.session.flush()
    _record_status(application, actor, before, "application_withdrawn")
    notify(
        application.municipality_ids,
        "application_withdrawn",
        {**round_names(application.round), "applicant": application.municipality.name},
        link=path_for("applications.detail", application_id=application.id),
    )
    return application


def resume(
    application: Application,
    *,
    actor,
    version: int | None = None,
    now: datetime | None = None,
) -> Application:
    """A withdrawn application becomes a draft again while the round takes applications."""
    check_version(application, version, _l("Ansøgningen"))
    if application.status != ApplicationStatus.WITHDRAWN:
        raise NotAllowed(_l("Kun en tilbagetrukket ansøgning kan genoptages."))
    require_open(application.round, application.municipality_id, now)
    application.status = ApplicationStatus.DRAFT
    application.submitted_at = None
    db.session.flush()
    _record_status(application, actor, ApplicationStatus.WITHDRAWN, "application_resumed")
    return application


def reopen(
    application: Application, reason: str, *, actor, version: int | None = None
) -> Application:
    """A coordinator sends a submitted (or wait-listed or rejected) application back to the
    municipality as a draft, with a reason it reads. An approval must be changed first: it
    carries a participation and a grant."""
    check_version(application, version, _l("Ansøgningen"))
    if application.status not in REOPENABLE:
        raise NotAllowed(
            _l("Kun en indsendt, ventelistet eller afvist ansøgning kan genåbnes.")
            if application.status != ApplicationStatus.APPROVED
            else _l("Ansøgningen er godkendt. Ændr afgørelsen, før den genåbnes.")
        )
    if not reason.strip():
        raise InvalidInput(_l("Skriv, hvorfor ansøgningen genåbnes."), field="reason")
    before = application.status
    application.status = ApplicationStatus.DRAFT
    application.submitted_at = None
    db.session.flush()
    _record_status(application, actor, before, "application_reopened", reason=reason.strip())
    notify(
        application.municipality_ids,
        "application_reopened",
        {**round_names(application.round), "reason": reason.strip()},
        link=path_for("applications.detail", application_id=application.id),
        extra_emails=_lead_email(application),
    )
    return application


def _record_status(application, actor, before, action: str, **details) -> None:
    audit.record(
        action,
        actor=actor,
        obj=application,
        municipality_id=application.municipality_id,
        round_id=application.round_id,
        application_id=application.id,
        status=[before.value, application.status.value],
        **details,
    )


def _lead_email(application: Application) -> list[str]:
    return [application.project_lead_email] if application.project_lead_email else []


def goals_of(round_: Round) -> list[ProgrammeGoal]:
    return list(round_.programme.goals)
