"""Applying to a round: drafts, joint applications, submission before the deadline,
withdrawal, reopening and deadline extensions. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.applications.models import (
    ApplicantRole,
    Application,
    ApplicationMember,
    ApplicationStatus,
    DeadlineExtension,
    Experience,
)
from portal.audit import services as audit
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed, RuleViolations, check_version
from portal.municipalities.models import Municipality
from portal.notifications.services import notify
from portal.programmes.models import ProgrammeGoal, Round, RoundStatus
from portal.textcheck import cpr_problems

TEXT_FIELDS = ("competence_statement", "capacity_statement", "motivation")
MAX_TEXT = 5000
MAX_CO_APPLICANTS = 20


@dataclass
class ApplicationData:
    """What the municipality fills in; everything may be empty in a draft."""

    role: str = ApplicantRole.PARTICIPANT.value
    experience: str = ""
    competence_statement: str = ""
    capacity_statement: str = ""
    goal_ids: list[int] = field(default_factory=list)
    motivation: str = ""
    project_lead_name: str = ""
    project_lead_email: str = ""
    project_owner_name: str = ""
    project_owner_title: str = ""
    backing_board: bool = False
    backing_management: bool = False
    backing_political: bool = False
    member_ids: list[int] = field(default_factory=list)  # co-applicant municipalities


SNAPSHOT_FIELDS = (
    "role",
    "experience",
    "competence_statement",
    "capacity_statement",
    "motivation",
    "project_lead_name",
    "project_lead_email",
    "project_owner_name",
    "project_owner_title",
    "backing_board",
    "backing_management",
    "backing_political",
)


def snapshot(application: Application) -> dict:
    values = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(application, name)
        values[name] = value.value if hasattr(value, "value") else value
    values["goals"] = sorted(g.id for g in application.goals)
    values["members"] = sorted(m.municipality_id for m in application.members)
    return values


# -- deadlines ---------------------------------------------------------------------------


def extension_for(round_: Round, municipality_id: int) -> DeadlineExtension | None:
    return db.session.scalar(
        select(DeadlineExtension).where(
            DeadlineExtension.round_id == round_.id,
            DeadlineExtension.municipality_id == municipality_id,
        )
    )


def deadline_for(round_: Round, municipality_id: int) -> datetime:
    """The round's deadline, or the later one a coordinator gave this municipality."""
    extension = extension_for(round_, municipality_id)
    if extension is not None and extension.until_at > round_.deadline_at:
        return extension.until_at
    return round_.deadline_at


def accepts_from(round_: Round, municipality_id: int, now: datetime | None = None) -> bool:
    """Open, begun, and the deadline minute (Copenhagen time, inclusive) not yet past for
    this municipality."""
    now = now or utcnow()
    minute = now.replace(second=0, microsecond=0)
    return (
        round_.status == RoundStatus.OPEN
        and round_.opens_at <= now
        and minute <= deadline_for(round_, municipality_id)
    )


def _require_open(round_: Round, municipality_id: int, now: datetime | None) -> None:
    if not accepts_from(round_, municipality_id, now):
        raise NotAllowed(
            _l(
                "Forløbet tager ikke imod ansøgninger fra jeres kommune nu (fristen var"
                " %(deadline)s). Kontakt koordinatoren, hvis I har brug for en forlænget frist.",
                deadline=_local(deadline_for(round_, municipality_id)),
            )
        )


def _local(moment: datetime) -> str:
    from portal.i18n import local_datetime

    return local_datetime(moment)


# -- finding applications ------------------------------------------------------------------


def application_in_round(round_id: int, municipality_id: int) -> Application | None:
    """The application a municipality is part of in a round, as applicant or co-applicant."""
    member_of = select(ApplicationMember.application_id).where(
        ApplicationMember.municipality_id == municipality_id
    )
    return db.session.scalar(
        select(Application)
        .where(
            Application.round_id == round_id,
            or_(Application.municipality_id == municipality_id, Application.id.in_(member_of)),
        )
        .limit(1)
    )


def applications_of_municipality(municipality_id: int) -> list[Application]:
    """Every application the municipality is part of, newest round first."""
    member_of = select(ApplicationMember.application_id).where(
        ApplicationMember.municipality_id == municipality_id
    )
    return list(
        db.session.scalars(
            select(Application)
            .options(
                selectinload(Application.round).joinedload(Round.programme),
                selectinload(Application.municipality),
                selectinload(Application.members).joinedload(ApplicationMember.municipality),
            )
            .where(
                or_(Application.municipality_id == municipality_id, Application.id.in_(member_of))
            )
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


# -- checking what was typed --------------------------------------------------------------


def _check_data(round_: Round, applicant_id: int, data: ApplicationData, *, existing=None):
    """Problems with the values themselves (a draft may be incomplete, never wrong)."""
    problems: list[tuple[str, str]] = []
    if data.role not in {r.value for r in ApplicantRole}:
        problems.append(("role", _l("Vælg skaleringsleder eller deltagerkommune.")))
    if data.experience and data.experience not in {e.value for e in Experience}:
        problems.append(("experience", _l("Vælg en af de tre situationer.")))
    goal_ids = {g.id for g in round_.programme.goals}
    if any(g not in goal_ids for g in data.goal_ids):
        problems.append(("goal_ids", _l("Vælg målsætninger fra indsatsens liste.")))
    for name in TEXT_FIELDS:
        if len(getattr(data, name) or "") > MAX_TEXT:
            problems.append((name, _l("Højst %(n)d tegn.", n=MAX_TEXT)))
    problems += cpr_problems({name: getattr(data, name) for name in TEXT_FIELDS})
    if data.project_lead_email.strip():
        try:
            validate_email(data.project_lead_email.strip(), check_deliverability=False)
        except EmailNotValidError:
            problems.append(("project_lead_email", _l("Skriv en gyldig e-mailadresse.")))
    problems += _check_members(round_, applicant_id, data.member_ids, existing)
    if problems:
        raise RuleViolations(problems)


def _check_members(round_, applicant_id, member_ids, existing) -> list[tuple[str, str]]:
    if not member_ids:
        return []
    if applicant_id in member_ids:
        return [("member_ids", _l("Jeres egen kommune kan ikke være medansøger."))]
    if len(set(member_ids)) > MAX_CO_APPLICANTS:
        return [("member_ids", _l("Højst %(n)d medansøgere.", n=MAX_CO_APPLICANTS))]
    found = {
        m.id: m
        for m in db.session.scalars(
            select(Municipality).where(Municipality.id.in_(member_ids), Municipality.active)
        )
    }
    if len(found) != len(set(member_ids)):
        return [("member_ids", _l("Vælg medansøgere fra kommuneregistret."))]
    problems = []
    for municipality_id in sorted(set(member_ids)):
        other = application_in_round(round_.id, municipality_id)
        if other is not None and other is not existing:
            problems.append(
                (
                    "member_ids",
                    _l(
                        "%(name)s indgår allerede i en anden ansøgning til dette forløb.",
                        name=found[municipality_id].name,
                    ),
                )
            )
    return problems


def missing_for_submission(application: Application) -> list[tuple[str, str]]:
    """What must be filled in before the application can be submitted, field by field."""
    missing: list[tuple[str, str]] = []
    if application.role == ApplicantRole.LEAD:
        if not application.competence_statement.strip():
            missing.append(
                (
                    "competence_statement",
                    _l("Beskriv jeres kompetencer inden for implementering og skalering."),
                )
            )
        if not application.capacity_statement.strip():
            missing.append(
                ("capacity_statement", _l("Beskriv jeres kapacitet til at udbrede teknologien."))
            )
    elif application.experience is None:
        missing.append(("experience", _l("Vælg den situation, der passer på jer.")))
    if not application.goals:
        missing.append(("goal_ids", _l("Vælg mindst én målsætning.")))
    if not application.motivation.strip():
        missing.append(("motivation", _l("Skriv jeres motivation.")))
    if not application.project_lead_name.strip():
        missing.append(("project_lead_name", _l("Angiv projektlederens navn.")))
    if not application.project_lead_email.strip():
        missing.append(("project_lead_email", _l("Angiv projektlederens e-mail.")))
    if not application.project_owner_name.strip():
        missing.append(("project_owner_name", _l("Angiv projektejerens navn.")))
    if not application.project_owner_title.strip():
        missing.append(("project_owner_title", _l("Angiv projektejerens titel.")))
    if not application.backing_board:
        missing.append(("backing_board", _l("Der skal være opbakning i direktionen.")))
    if not application.backing_management:
        missing.append(("backing_management", _l("Der skal være opbakning på chefniveau.")))
    unconfirmed = [m.municipality.name for m in application.members if m.confirmed_at is None]
    if unconfirmed:
        missing.append(
            (
                "member_ids",
                _l(
                    "Medansøgerne skal bekræfte ansøgningen først. Mangler: %(names)s.",
                    names=", ".join(unconfirmed),
                ),
            )
        )
    return missing


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


def _invite(application: Application, municipality_ids: list[int]) -> None:
    if municipality_ids:
        notify(
            municipality_ids,
            "joint_invitation",
            {"round": application.round.name_da, "applicant": application.municipality.name},
            link=f"/ansoegninger/{application.id}",
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
    _require_open(round_, municipality.id, now)
    if application_in_round(round_.id, municipality.id) is not None:
        raise NotAllowed(_l("Jeres kommune indgår allerede i en ansøgning til dette forløb."))
    _check_data(round_, municipality.id, data)
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
    _check_data(application.round, application.municipality_id, data, existing=application)
    before = snapshot(application)
    _apply(application, data)
    added = _set_members(application, data.member_ids)
    after = snapshot(application)
    changed = audit.changes(before, after)
    if changed:
        for member in application.members:
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
    return application


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
    _require_open(application.round, application.municipality_id, now)
    missing = missing_for_submission(application)
    if missing:
        raise RuleViolations(missing)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now or utcnow()
    db.session.flush()
    _record_status(application, actor, ApplicationStatus.DRAFT, "application_submitted")
    notify(
        application.municipality_ids,
        "application_submitted",
        {"round": application.round.name_da, "applicant": application.municipality.name},
        link=f"/ansoegninger/{application.id}",
        extra_emails=_lead_email(application),
    )
    return application


def withdraw(application: Application, *, actor, version: int | None = None) -> Application:
    """The municipality withdraws a draft or a submitted application before a decision."""
    check_version(application, version, _l("Ansøgningen"))
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
        raise NotAllowed(_l("Der er truffet en afgørelse; ansøgningen kan ikke trækkes tilbage."))
    before = application.status
    application.status = ApplicationStatus.WITHDRAWN
    db.session.flush()
    _record_status(application, actor, before, "application_withdrawn")
    notify(
        application.municipality_ids,
        "application_withdrawn",
        {"round": application.round.name_da, "applicant": application.municipality.name},
        link=f"/ansoegninger/{application.id}",
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
    _require_open(application.round, application.municipality_id, now)
    application.status = ApplicationStatus.DRAFT
    application.submitted_at = None
    db.session.flush()
    _record_status(application, actor, ApplicationStatus.WITHDRAWN, "application_resumed")
    return application


REOPENABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)


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
        {"round": application.round.name_da, "reason": reason.strip()},
        link=f"/ansoegninger/{application.id}",
        extra_emails=_lead_email(application),
    )
    return application


def confirm_membership(application: Application, municipality_id: int, *, actor) -> None:
    """A co-applicant confirms the joint application as it reads now."""
    member = _open_member(application, municipality_id)
    if member.confirmed_at is not None:
        return
    member.confirmed_at = utcnow()
    member.confirmed_by_id = getattr(actor, "id", None)
    _joint_step(application, member, "joint_application_confirmed", "joint_confirmed", actor)


def decline_membership(application: Application, municipality_id: int, *, actor) -> None:
    """A co-applicant declines: it leaves the application, which the applicant can then
    submit without it."""
    member = _open_member(application, municipality_id)
    _ = member.municipality  # loaded while the row still belongs to the application
    application.members.remove(member)
    application.updated_at = utcnow()  # a versioned change the applicant's form will notice
    _joint_step(application, member, "joint_application_declined", "joint_declined", actor)


def _open_member(application: Application, municipality_id: int | None) -> ApplicationMember:
    """The co-applicant row of ``municipality_id`` while the application is a draft."""
    member = next((m for m in application.members if m.municipality_id == municipality_id), None)
    if member is None:
        raise NotAllowed(_l("Jeres kommune er ikke medansøger på denne ansøgning."))
    if application.status != ApplicationStatus.DRAFT:
        raise NotAllowed(_l("Ansøgningen er ikke længere en kladde."))
    return member


def _joint_step(application, member: ApplicationMember, action: str, kind: str, actor) -> None:
    """Audit a co-applicant's answer and tell the applicant."""
    db.session.flush()
    audit.record(
        action,
        actor=actor,
        obj=application,
        municipality_id=member.municipality_id,
        round_id=application.round_id,
        application_id=application.id,
    )
    notify(
        [application.municipality_id],
        kind,
        {"round": application.round.name_da, "municipality": member.municipality.name},
        link=f"/ansoegninger/{application.id}",
    )


def extend_deadline(
    round_: Round, municipality: Municipality, until_at: datetime, reason: str, *, actor
) -> DeadlineExtension:
    """A later deadline for one municipality (set again to move it; it must be later than the
    round's own deadline)."""
    if until_at <= round_.deadline_at:
        raise InvalidInput(
            _l(
                "Den forlængede frist skal ligge efter forløbets frist (%(deadline)s).",
                deadline=_local(round_.deadline_at),
            ),
            field="until_date",
        )
    if not reason.strip():
        raise InvalidInput(_l("Skriv en begrundelse."), field="reason")
    extension = extension_for(round_, municipality.id)
    before = extension.until_at.isoformat() if extension else None
    if extension is None:
        extension = DeadlineExtension(round_id=round_.id, municipality_id=municipality.id)
        db.session.add(extension)
    extension.until_at = until_at
    extension.reason = reason.strip()
    extension.created_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        "deadline_extended",
        actor=actor,
        obj=extension,
        municipality_id=municipality.id,
        round_id=round_.id,
        until=[before, until_at.isoformat()],
        reason=extension.reason,
    )
    notify(
        [municipality.id],
        "deadline_extended",
        {"round": round_.name_da, "until": until_at},
        link=f"/indsatser/forloeb/{round_.slug}",
    )
    return extension


def remove_extension(extension: DeadlineExtension, *, actor) -> None:
    audit.record(
        "deadline_extension_removed",
        actor=actor,
        obj=extension,
        municipality_id=extension.municipality_id,
        round_id=extension.round_id,
        until=extension.until_at.isoformat(),
    )
    db.session.delete(extension)
    db.session.flush()


def extensions_of_round(round_: Round) -> list[DeadlineExtension]:
    return list(
        db.session.scalars(
            select(DeadlineExtension)
            .options(selectinload(DeadlineExtension.municipality))
            .where(DeadlineExtension.round_id == round_.id)
            .order_by(DeadlineExtension.until_at)
        )
    )


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
