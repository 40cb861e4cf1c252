"""The follow-up a year after the end, with figures: the municipality records the key
indicators' values for the periods after the collaboration ended (``benefits.follow_up``
says which and how they are computed), and the follow-up cannot be submitted without at
least one value for each of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit import services as audit
from portal.benefits.calculation import evaluate, follow_up
from portal.benefits.calculation.loading import programme_models
from portal.benefits.calculation.periods import period_label, period_start
from portal.benefits.models import FollowUpMeasurement
from portal.db import db
from portal.errors import InvalidInput, NotAllowed, RuleViolations
from portal.i18n import local_date, local_today, localized, number
from portal.programmes.models import Indicator
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.reporting.permissions import can_submit_report
from portal.textcheck import cpr_problems

MAX_NOTE = 1000


def key_indicators(item: ReportingRequirement) -> list:
    """The indicators the follow-up asks for (those a benefit line reads)."""
    programme_id = item.participation.round.programme_id
    return follow_up.key_indicators(programme_models([programme_id])[programme_id])


@dataclass(frozen=True)
class Recorded:
    indicator: str  # its name
    period: str  # "april 2027", "2. kvartal 2027"
    value: Decimal
    unit: str


def recorded(item: ReportingRequirement) -> list[Recorded]:
    """The follow-up values recorded, in period and catalogue order."""
    rows = db.session.scalars(
        select(FollowUpMeasurement)
        .where(FollowUpMeasurement.participation_id == item.participation_id)
        .order_by(FollowUpMeasurement.period, FollowUpMeasurement.indicator_id)
    )
    return [
        Recorded(
            localized(r.indicator, "name"),
            period_label(r.period, r.indicator.frequency),
            r.value,
            r.indicator.unit,
        )
        for r in rows
    ]


def missing_indicators(item: ReportingRequirement) -> list:
    """The key indicators without any follow-up value yet."""
    given = set(
        db.session.scalars(
            select(FollowUpMeasurement.indicator_id).where(
                FollowUpMeasurement.participation_id == item.participation_id
            )
        )
    )
    return [i for i in key_indicators(item) if i.id not in given]


def missing_problem(item: ReportingRequirement) -> tuple[str, str] | None:
    """The submission's problem when a key indicator has no follow-up value."""
    missing = missing_indicators(item)
    if not missing:
        return None
    return (
        "follow_up",
        _l(
            "Registrér mindst én værdi efter forløbets slutning for: %(names)s.",
            names=", ".join(localized(i, "name") for i in missing),
        ),
    )


def record_follow_up_value(
    item: ReportingRequirement,
    indicator: Indicator,
    on: date,
    value: Decimal,
    note: str = "",
    *,
    actor,
    today: date | None = None,
) -> FollowUpMeasurement:
    """Record (or change) a key indicator's value for a period after the collaboration's
    end, marked as follow-up: never counted in the collaboration's own period.

    Only the municipality's own project staff, only on the follow-up a year after, only a
    key indicator, only a period inside the twelve months after the end that has begun; a
    percentage lies within 0–100; the note holds no CPR number."""
    today = today or local_today()
    if item.kind != ReportKind.FOLLOW_UP:
        raise InvalidInput(_l("Tal efter forløbets slutning hører til gevinstopfølgningen."))
    if not can_submit_report(actor, item):
        raise NotAllowed(_l("Kun kommunens egne brugere kan registrere opfølgningens tal."))
    if item.submitted_at is not None:
        raise NotAllowed(
            _l(
                "Opfølgningen er afleveret. Koordinatoren kan genåbne den, hvis tallene skal rettes."
            )
        )
    if indicator.id not in {i.id for i in key_indicators(item)}:
        raise InvalidInput(_l("Opfølgningen spørger kun om de indikatorer, gevinsten regnes af."))
    first, last = follow_up.window(item.participation.round.period_end)
    period = period_start(on, indicator.frequency)
    problems = []
    if period < first or period > last:
        problems.append(
            (
                "date",
                _l(
                    "Perioden skal ligge i året efter forløbet: %(start)s–%(end)s.",
                    start=local_date(first),
                    end=local_date(last),
                ),
            )
        )
    elif period > today:
        problems.append(("date", _l("Perioden er ikke begyndt endnu.")))
    if indicator.unit.strip() == "%" and not (0 <= value <= 100):
        problems.append(
            (
                "value",
                _l(
                    "En procentværdi skal ligge mellem 0 og 100, ikke %(value)s.",
                    value=number(value, 4),
                ),
            )
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        problems.append(("note", _l("Højst %(max)d tegn.", max=MAX_NOTE)))
    problems += cpr_problems({"note": note})
    if problems:
        raise RuleViolations(problems)
    row = db.session.scalar(
        select(FollowUpMeasurement).where(
            FollowUpMeasurement.participation_id == item.participation_id,
            FollowUpMeasurement.indicator_id == indicator.id,
            FollowUpMeasurement.period == period,
        )
    )
    before = {"value": str(row.value), "note": row.note} if row else None
    if row is None:
        row = FollowUpMeasurement(
            participation_id=item.participation_id,
            municipality_id=item.municipality_id,
            indicator_id=indicator.id,
            period=period,
        )
        db.session.add(row)
    row.value, row.note = value, note
    row.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        "follow_up_recorded",
        actor=actor,
        obj=item,
        **audit.of_participation(item.participation),
        before=before,
        after={"indicator": indicator.key, "period": period.isoformat(), "value": str(value)},
    )
    return row


@dataclass(frozen=True)
class Summary:
    """What the follow-up page shows: what it asks for, what is recorded, and the benefit
    at the end beside the benefit a year after."""

    indicators: list
    recorded: list[Recorded]
    year_after: follow_up.YearAfter | None
    window: tuple[date, date]


def summary(item: ReportingRequirement) -> Summary:
    p = item.participation
    model = programme_models([p.round.programme_id])[p.round.programme_id]
    [evaluation] = evaluate([p])
    values = follow_up.follow_up_values([p.id]).get(p.id, {})
    return Summary(
        follow_up.key_indicators(model),
        recorded(item),
        follow_up.year_after(p.round, evaluation, model, values),
        follow_up.window(p.round.period_end),
    )
