"""The benefit a year after the end, beside the benefit realised at the end (the state's
practice: a benefits report a year after completion; Rigsrevisionen found that ministries
mostly did not know whether benefits were realised).

**The follow-up period** is the twelve months after the collaboration's last day (the
follow-up item's period, ``reporting.schedule``). In it the municipality records the values
of the **key indicators** — those a benefit line reads — per period of each indicator's
frequency (``FollowUpMeasurement``, kept apart from the collaboration's measurements, so they
are never counted in its own period).

**At the end** = the realised figures of the collaboration's last twelve measured months
(fewer when it measured fewer), as a year: hours and gross × 12 ÷ months.
**A year after** = the same arithmetic (``arithmetic.compute_benefits``: the programme's
lines, the round's parameters, the baselines, the municipality's hourly cost) on the
follow-up values, clipped to the follow-up period, as a year: × 12 ÷ the months it covers.
No costs on either side: both are gross benefits, so the two compare like for like.
**Kept** = a year after ÷ at the end (gross).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.benefits.calculation.arithmetic import compute_benefits
from portal.benefits.calculation.periods import add_months
from portal.benefits.models import FollowUpMeasurement
from portal.db import db
from portal.programmes.formulas import names_used

TWELVE, ZERO = Decimal(12), Decimal(0)


def window(period_end: date) -> tuple[date, date]:
    """The follow-up period: the twelve months after the collaboration's last day."""
    start = period_end + timedelta(days=1)
    return start, add_months(start, 12) - timedelta(days=1)


def key_indicators(model) -> list:
    """The indicators a benefit line reads (its own value or its baseline), in the
    catalogue's order: the figures the follow-up asks for."""
    read = set()
    for line in model.lines:
        read |= {name.removeprefix("baseline.") for name in names_used(line.formula)}
    return [i for i in model.indicators if i.key in read]


def follow_up_values(participation_ids: Iterable[int]) -> dict[int, dict[date, dict]]:
    """Each participation's follow-up values: period → {indicator key: value}; one query."""
    result: dict[int, dict[date, dict]] = defaultdict(lambda: defaultdict(dict))
    ids = list(participation_ids)
    if not ids:
        return {}
    for row in db.session.scalars(
        select(FollowUpMeasurement).where(FollowUpMeasurement.participation_id.in_(ids))
    ):
        result[row.participation_id][row.period][row.indicator.key] = row.value
    return {pid: dict(periods) for pid, periods in result.items()}


@dataclass(frozen=True)
class YearAfter:
    """The benefit realised at the end beside the benefit a year later, each as a year."""

    end_months: int
    end_hours: Decimal
    end_gross: Decimal
    after_months: int  # 0: nothing recorded for the follow-up yet
    after_hours: Decimal | None
    after_gross: Decimal | None

    @property
    def kept_share(self) -> Decimal | None:
        if self.after_gross is None or not self.end_gross:
            return None
        return self.after_gross / self.end_gross


def _yearly(total: Decimal, months: int) -> Decimal:
    return total * TWELVE / months


def year_after(round_, evaluation, model, values: dict[date, dict]) -> YearAfter | None:
    """See the module's docstring; ``None`` when the collaboration has no realised figures."""
    benefits = evaluation.benefits
    if benefits is None or not benefits.periods:
        return None
    measured = [p for p in benefits.periods if p.hours or p.gross]
    last = measured[-12:] if measured else list(benefits.periods)[-12:]
    end_hours = sum((p.hours for p in last), ZERO)
    end_gross = sum((p.gross for p in last), ZERO)
    end = (len(last), _yearly(end_hours, len(last)), _yearly(end_gross, len(last)))
    if not values:
        return YearAfter(*end, 0, None, None)
    baselines = {
        r.indicator.key: r.baseline.value for r in evaluation.indicators if r.baseline is not None
    }
    after = compute_benefits(
        round_.parameters or {},
        model.lines,
        baselines,
        values,
        (),
        hourly_cost_override=evaluation.hourly_cost_override,
        frequencies=model.frequencies,
        within=window(round_.period_end),
    )
    months = len(after.periods)
    if not months:
        return YearAfter(*end, 0, None, None)
    return YearAfter(*end, months, _yearly(after.total_hours, months), _yearly(after.gross, months))
