"""E-mail reminders about reporting items, through the outbox (``notify``).

Run daily (``portal reporting remind``). For each item not yet delivered:

- **before**: once, from ``BEFORE_DAYS`` days before the due date up to the due date itself
  (``report_due_soon``);
- **after**: once, from ``AFTER_DAYS`` day after the due date (``report_overdue``), but only
  within ``LATE_WINDOW`` days of it: a schedule made late (a running collaboration brought into
  the portal) does not flood the municipality with reminders about months-old items; the
  coordinator's list of who is late shows them.

Each is remembered on the item (``reminder_before_sent_at``, ``reminder_after_sent_at``) and
never sent twice; a due date moved by the schedule clears them. Delivered items — baseline
and target fulfilled by the figures, a report submitted — get none. The e-mail goes to the
municipality's active municipal users and to the project lead named in the application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from portal.db import db, utcnow
from portal.links import path_for
from portal.notifications.services import notify
from portal.notifications.texts import round_names
from portal.participations.models import Participation
from portal.reporting.labels import danish_item_label
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.reporting.services import missing_figures

BEFORE_DAYS = 7
AFTER_DAYS = 1
LATE_WINDOW = 30

BEFORE, AFTER = "before", "after"


@dataclass(frozen=True)
class SentReminder:
    item: ReportingRequirement
    when: str  # BEFORE or AFTER

    @property
    def kind(self) -> str:
        return "report_due_soon" if self.when == BEFORE else "report_overdue"


def item_link(item: ReportingRequirement) -> str:
    return path_for("reporting.detail", item_id=item.id)


def _candidates(today: date) -> list[tuple[ReportingRequirement, str]]:
    before = and_(
        ReportingRequirement.reminder_before_sent_at.is_(None),
        ReportingRequirement.due_on >= today,
        ReportingRequirement.due_on <= today + timedelta(days=BEFORE_DAYS),
    )
    after = and_(
        ReportingRequirement.reminder_after_sent_at.is_(None),
        ReportingRequirement.due_on <= today - timedelta(days=AFTER_DAYS),
        ReportingRequirement.due_on >= today - timedelta(days=LATE_WINDOW),
    )
    items = db.session.scalars(
        select(ReportingRequirement)
        .options(
            joinedload(ReportingRequirement.participation).joinedload(Participation.round),
            joinedload(ReportingRequirement.participation).joinedload(Participation.application),
            joinedload(ReportingRequirement.participation).joinedload(Participation.municipality),
        )
        .where(ReportingRequirement.submitted_at.is_(None), or_(before, after))
        .order_by(ReportingRequirement.due_on, ReportingRequirement.id)
    )
    return [(item, BEFORE if item.due_on >= today else AFTER) for item in items]


def send_reminders(today: date) -> list[SentReminder]:
    """Write the reminders due on ``today`` to the outbox and mark them sent; what was
    sent, in due-date order. Flushes only."""
    candidates = _candidates(today)
    missing = missing_figures(
        item.participation for item, _when in candidates if item.kind == ReportKind.BASELINE_TARGET
    )
    sent = []
    for item, when in candidates:
        if item.kind == ReportKind.BASELINE_TARGET and not missing[item.participation_id]:
            continue  # fulfilled by the figures
        participation = item.participation
        application = participation.application
        notify(
            [item.municipality_id],
            "report_due_soon" if when == BEFORE else "report_overdue",
            {
                **round_names(participation.round),
                "due": item.due_on,
                "report": danish_item_label(item),
            },
            link=item_link(item),
            extra_emails=[application.project_lead_email] if application else [],
        )
        if when == BEFORE:
            item.reminder_before_sent_at = utcnow()
        else:
            item.reminder_after_sent_at = utcnow()
        sent.append(SentReminder(item, when))
    db.session.flush()
    return sent
