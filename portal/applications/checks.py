"""What an application must hold: values that are wrong even in a draft, and what must be
filled in before it can be submitted (each with its field, for the form)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.applications.data import ApplicationData
from portal.applications.models import MAX_TEXT, ApplicantRole, Application, Experience
from portal.applications.queries import application_in_round
from portal.db import db
from portal.errors import RuleViolations
from portal.municipalities.models import Municipality
from portal.programmes.models import Round
from portal.textcheck import cpr_problems

TEXT_FIELDS = ("competence_statement", "capacity_statement", "motivation")
MAX_CO_APPLICANTS = 20


def check_data(round_: Round, applicant_id: int, data: ApplicationData, *, existing=None):
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
    problems += check_members(round_, applicant_id, data.member_ids, existing)
    if problems:
        raise RuleViolations(problems)


def check_members(round_, applicant_id, member_ids, existing) -> list[tuple[str, str]]:
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
