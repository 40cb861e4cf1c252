"""What every figure recorded by hand goes through (``recording``, ``costs``): the recording
rules for one row (``portal.benefits.recording.rules``, the same as the import), the indicator's
programme, and the audit line with the values before and after as ``plain`` writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.audit import services as audit
from portal.benefits.models import Baseline, Measurement
from portal.benefits.recording import rules
from portal.benefits.recording.rules import Kind
from portal.db import db
from portal.errors import NotAllowed, RuleViolations
from portal.participations.models import Participation
from portal.programmes.models import Indicator


def plain(value) -> str | None:
    """A value as the audit log and the exports write it: ``1234.5``, ``2025-09-01``."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


def record_change(
    action: str, participation: Participation, obj, *, actor, before, after, **details
):
    audit.record(
        action,
        actor=actor,
        obj=obj,
        **audit.of_participation(participation),
        before=before,
        after=after,
        **details,
    )


def snapshot(obj, fields: tuple[str, ...]) -> dict | None:
    return None if obj is None else {f: plain(getattr(obj, f)) for f in fields}


def check_indicator(participation: Participation, indicator: Indicator) -> None:
    if indicator.programme_id != participation.round.programme_id:
        raise NotAllowed(_l("Indikatoren hører ikke til forløbets indsats."))


def existing_figures(participation: Participation, indicator: Indicator) -> rules.Existing:
    keys = {"participation_id": participation.id, "indicator_id": indicator.id}
    measured_on = db.session.scalar(
        select(Baseline.measured_on).where(
            Baseline.participation_id == participation.id, Baseline.indicator_id == indicator.id
        )
    )
    first = db.session.scalar(
        select(func.min(Measurement.period)).where(
            Measurement.participation_id == participation.id,
            Measurement.indicator_id == indicator.id,
        )
    )
    return rules.Existing(
        pd.DataFrame(
            [{**keys, "measured_on": measured_on}] if measured_on else [],
            columns=["participation_id", "indicator_id", "measured_on"],
        ),
        pd.DataFrame(
            [{**keys, "first_period": first}] if first else [],
            columns=["participation_id", "indicator_id", "first_period"],
        ),
    )


def check_figure(
    participation: Participation,
    indicator: Indicator | None,
    kind: Kind,
    *,
    existing: rules.Existing | None = None,
    **row,
) -> pd.Timestamp | None:
    """The rules for one figure; raises ``RuleViolations`` with each message at its field.
    Returns the measurement's period (or None)."""
    frame = pd.DataFrame(
        [
            {
                "kind": kind.value,
                "participation_id": participation.id,
                "indicator_id": indicator.id if indicator else None,
                **row,
            }
        ]
    )
    indicators = {indicator.id: indicator} if indicator else {}
    problems, periods = rules.check(
        frame, participation.round, indicators, existing or rules.Existing.empty()
    )
    if problems:
        raise RuleViolations([(field, rules.sentence(message)) for _i, field, message in problems])
    period = periods.iloc[0]
    return None if pd.isna(period) else period.date()
