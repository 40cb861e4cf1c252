"""The demo's ended collaboration, so a new user can see what comes after the end: data-driven
route planning from October 2023 to March 2025 (Helsingør leading, seed 004's case, with
Hedensted), its figures through the file import, its status judged at its end, and
Helsingør's follow-up a year after — the key indicators' values for the twelve months after
the end, recorded and submitted through the same services a project lead uses. Skipped when
the round has participants already, so loading the demo twice changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal.auth.models import User
from portal.benefits.calculation.follow_up import key_indicators
from portal.benefits.calculation.loading import programme_models
from portal.benefits.calculation.periods import add_months, period_start
from portal.benefits.models import Measurement
from portal.db import db
from portal.participations.importing import import_participants
from portal.participations.models import Participation
from portal.programmes import rules
from portal.programmes import services as programme_services
from portal.programmes.models import Programme, Round, RoundStatus
from portal.reporting.follow_up import record_follow_up_value
from portal.reporting.models import GainsKept, ReportingRequirement, ReportKind
from portal.reporting.services import NarrativeData, submit_report

SLUG = "ruteplanlaegning-2023"
HELSINGOER, HEDENSTED = 217, 766
PARTICIPANTS = (
    "municipality,role,community,grant\n"
    f"{HELSINGOER},lead,Fællesskab Helsingør,\n"
    f"{HEDENSTED},participant,Fællesskab Helsingør,\n"
)
FOLLOW_UP_WORDS = NarrativeData(
    "Ruteplanlægningen er i drift i alle distrikter, og leveringsgraden har holdt sig.",
    "Vikarforbruget steg igen i sommerferien, da nye planlæggere skulle læres op.",
    "Fastholde den månedlige opfølgning på leveringsgrad og kørte kilometer med lederne.",
    GainsKept.YES,
)


def ended_round(programme: Programme) -> Round:
    existing = db.session.scalar(select(Round).where(Round.slug == SLUG))
    if existing is not None:
        return existing
    data = rules.RoundData(
        slug=SLUG,
        name_da="Datadrevet ruteplanlægning 2023–2025",
        name_en="Data-driven route planning 2023–2025",
        opens_at=datetime(2023, 5, 1, 8, tzinfo=UTC),
        deadline_at=datetime(2023, 8, 1, 10, tzinfo=UTC),
        period_start=date(2023, 10, 1),
        period_end=date(2025, 3, 31),
        lead_grant=900_000,
        participant_grant=None,
        participant_pool=400_000,
        community_min=1,
        community_max=5,
        parameters={"annual_cost": "450000", "annual_hours": "1924", "km_rate": "3.79"},
        status=RoundStatus.CLOSED,
    )
    return programme_services.create_round(programme, data, actor=None)


def load_ended(users: dict[str, User], today: date) -> None:
    from portal.demo.figures import load_figures, load_reports
    from portal.demo.promise import load_promises

    programme = db.session.scalar(select(Programme).where(Programme.slug == "ruteplanlaegning"))
    if programme is None:
        return
    round_ = ended_round(programme)
    if db.session.scalar(
        select(func.count(Participation.id)).where(Participation.round_id == round_.id)
    ):
        return
    coordinator = users["koordinator@demo.dk"]
    import_participants(PARTICIPANTS.encode(), round_, actor=coordinator)
    db.session.flush()
    load_figures(round_, coordinator, today)
    load_reports(round_, today)
    load_promises(round_, coordinator)
    _follow_up(round_, users["projektleder.helsingoer@demo.dk"], today)


def _follow_up(round_: Round, lead: User, today: date) -> None:
    """Helsingør's follow-up: each key indicator's latest value of the collaboration held
    through the year after (the gains kept), recorded per period and submitted."""
    helsingoer = db.session.scalar(
        select(Participation).where(
            Participation.round_id == round_.id,
            Participation.municipality_id == lead.municipality_id,
        )
    )
    item = db.session.scalar(
        select(ReportingRequirement).where(
            ReportingRequirement.participation_id == helsingoer.id,
            ReportingRequirement.kind == ReportKind.FOLLOW_UP,
        )
    )
    if item is None or item.submitted_at is not None:
        return
    model = programme_models([round_.programme_id])[round_.programme_id]
    start, end = item.period_start, item.period_end
    for info in key_indicators(model):
        latest = db.session.scalar(
            select(Measurement.value)
            .where(
                Measurement.participation_id == helsingoer.id,
                Measurement.indicator_id == info.id,
            )
            .order_by(Measurement.period.desc())
            .limit(1)
        )
        if latest is None:
            continue
        step = {"monthly": 1, "quarterly": 3, "yearly": 12}[info.frequency]
        day = period_start(start, info.frequency)
        while day <= min(end, today):
            if day >= start:
                indicator = next(i for i in round_.programme.indicators if i.id == info.id)
                record_follow_up_value(item, indicator, day, latest, actor=lead, today=today)
            day = add_months(day, step)
    db.session.flush()
    submit_report(item, FOLLOW_UP_WORDS, actor=lead, today=today)
