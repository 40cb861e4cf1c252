"""The decision on an application, separate from the scores: approve, wait-list or reject,
with a reason the municipality reads. Services flush; the caller commits (or rolls back)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.applications.labels import status_label
from portal.applications.models import DECISIONS, Application, ApplicationStatus
from portal.audit import services as audit
from portal.db import db, utcnow
from portal.errors import NotAllowed, PortalError, RuleViolations, check_version
from portal.i18n import local_datetime
from portal.links import path_for
from portal.notifications import services as notifications
from portal.notifications.texts import round_names
from portal.participations import funding
from portal.participations import services as participations
from portal.review.services import Progress, application_title

DECIDABLE = (ApplicationStatus.SUBMITTED, *DECISIONS)


def approval_warnings(round_, progresses: Iterable[Progress], now=None) -> list[str]:
    """What a coordinator should know before approving (shown before, and again after, an
    approval; it does not stop one): the round still takes applications, and reviews are not
    yet in — with the counts."""
    now = now or utcnow()
    warnings = []
    if round_.deadline_at > now:
        warnings.append(
            _(
                "Ansøgningsfristen er ikke udløbet (%(deadline)s); flere ansøgninger kan nå at"
                " komme ind.",
                deadline=local_datetime(round_.deadline_at),
            )
        )
    progresses = list(progresses)
    missing = sum(p.total - p.done for p in progresses)
    if missing:
        warnings.append(
            ngettext(
                "%(num)d bedømmelse er ikke afgivet endnu.",
                "%(num)d bedømmelser er ikke afgivet endnu.",
                missing,
            )
        )
    unassigned = sum(1 for p in progresses if p.total == 0)
    if unassigned:
        warnings.append(
            ngettext(
                "%(num)d ansøgning har ingen bedømmere.",
                "%(num)d ansøgninger har ingen bedømmere.",
                unassigned,
            )
        )
    return warnings


def _checked(decision, reason: str) -> tuple[ApplicationStatus, str]:
    """A decision is one of the three, with a reason."""
    try:
        decision = ApplicationStatus(decision)
    except ValueError:
        decision = None
    problems = []
    if decision not in DECISIONS:
        problems.append(("decision", _l("Vælg godkend, venteliste eller afvis.")))
    reason = (reason or "").strip()
    if not reason:
        problems.append(("reason", _l("Skriv en begrundelse; kommunen kan læse den.")))
    if problems:
        raise RuleViolations(problems)
    return decision, reason


def decide(
    application: Application,
    decision: ApplicationStatus | str,
    reason: str,
    *,
    actor,
    version: int | None = None,
    confirm_overpaid: bool = False,
) -> Application:
    """Decide (or change the decision on) a submitted application.

    Approval creates the municipalities' participations; taking an approval back removes
    them (either may refuse with a ``PortalError``, and then nothing is kept: the caller rolls
    back). The municipalities are notified and the change is audited with before and after.
    An approval that recomputes a pool grant below what a municipality was already paid is
    refused (``GrantBelowDisbursed``, naming them and the amounts) unless
    ``confirm_overpaid``.
    """
    check_version(
        application, version, _l("Ansøgningen fra %(m)s", m=application.municipality.name)
    )
    decision, reason = _checked(decision, reason)
    if application.status not in DECIDABLE:
        raise NotAllowed(
            _l(
                "Ansøgningen fra %(application)s kan ikke afgøres, fordi den har status"
                " %(status)s.",
                application=application_title(application),
                status=status_label(application.status),
            )
        )
    before = {"status": application.status.value, "reason": application.decision_reason}
    was_approved = application.status == ApplicationStatus.APPROVED
    application.status = decision
    application.decision_reason = reason
    application.decided_at = utcnow()
    application.decided_by_id = actor.id
    db.session.flush()
    if decision == ApplicationStatus.APPROVED and not was_approved:
        settled_before = funding.settle_amounts(application.round)
        participations.create_for_application(application, actor=actor)
        overpaid = funding.newly_overpaid(application.round, settled_before)
        if overpaid and not confirm_overpaid:
            raise funding.GrantBelowDisbursed(overpaid)
    elif was_approved and decision != ApplicationStatus.APPROVED:
        participations.remove_for_application(application, actor=actor)
    notifications.notify(
        application.municipality_ids,
        "application_decided",
        {**round_names(application.round), "decision": decision.value, "reason": reason},
        link=path_for("applications.detail", application_id=application.id),
        extra_emails=[application.project_lead_email] if application.project_lead_email else None,
    )
    audit.record(
        "application_decided",
        actor=actor,
        obj=application,
        municipality_id=application.municipality_id,
        round_id=application.round_id,
        application_id=application.id,
        before=before,
        after={"status": decision.value, "reason": reason},
    )
    return application


def decide_many(
    applications: Iterable[tuple[Application, int | None]],
    decision: ApplicationStatus | str,
    reason: str,
    *,
    actor,
) -> list[Application]:
    """One decision and one reason for several applications, each with the version the
    coordinator saw: all or nothing, every refusal listed (``RuleViolations``)."""
    applications = list(applications)
    if not applications:
        raise RuleViolations([(None, _l("Vælg mindst én ansøgning."))])
    decision, reason = _checked(decision, reason)
    problems: list[tuple[str | None, str]] = []
    decided = []
    for application, version in applications:
        name = application.municipality.name
        try:
            with db.session.begin_nested():  # a refusal must not leave half of its work behind
                decided.append(decide(application, decision, reason, actor=actor, version=version))
        except PortalError as error:
            problems.append((None, _l("%(m)s: %(error)s", m=name, error=error.message)))
    if problems:
        raise RuleViolations(problems)
    return decided
