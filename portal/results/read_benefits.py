"""The stored benefits read back as ``arithmetic.BenefitResult`` (``stored_benefits``), for
the round's and the nation's progress reports (``read.stored_evaluations(benefits=True)``):
what the arithmetic computed when a participation's figures last changed, without computing
it again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal.benefits.calculation.arithmetic import BenefitResult, PeriodResult
from portal.benefits.calculation.data import ZERO
from portal.benefits.calculation.grid import Explanation, Flag, LineResult
from portal.db import db
from portal.results.models import LineMonthResult, MonthResult, ParticipationResult
from portal.results.refresh import q

# ``PeriodResult``'s figures after its month and lines, in its order
MONTH_FIGURES = ("hours", "gross", "costs", "net", "cumulative_net", "hours_12m", "fte_12m")
NOT_KEPT = Explanation("")  # how a stored figure was computed is not kept

# A participation whose results were never refreshed: nothing recorded, as far as they know.
NOTHING_YET = BenefitResult((), None, None, ZERO, ZERO, ZERO, ZERO, {}, {}, None, None, {})


def stored_benefits(participation_ids: Sequence[int]) -> dict[int, BenefitResult]:
    """Each participation's benefits as ``arithmetic.compute_benefits`` computed them when
    its figures last changed, from four queries of plain rows (totals, months, each line's
    sums, the flagged lines): the same months, sums per line, totals and payback, at the
    stored scale. A month's ``lines`` are only its flagged ones (what a month lacks; the
    line amounts of each month are ``LineMonthResult``'s, read by nobody yet), there are no
    explanations, and a flag says which line and month, not why."""
    ids = list(participation_ids)
    if not ids:
        return {}
    flagged: dict[tuple[int, date], list[LineResult]] = defaultdict(list)
    for pid, month, key, kind, flag in db.session.execute(
        select(
            LineMonthResult.participation_id,
            LineMonthResult.month,
            LineMonthResult.line_key,
            LineMonthResult.kind,
            LineMonthResult.flag,
        ).where(LineMonthResult.participation_id.in_(ids), LineMonthResult.flag.is_not(None))
    ):
        flagged[pid, month].append(
            LineResult(key, kind, None, None, NOT_KEPT, flag=Flag(month, key, flag, (), ""))
        )
    amounts: dict[int, dict[str, Decimal]] = defaultdict(dict)
    kroner: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for pid, key, amount, value in db.session.execute(
        select(
            LineMonthResult.participation_id,
            LineMonthResult.line_key,
            func.coalesce(func.sum(LineMonthResult.amount), 0),
            func.coalesce(func.sum(LineMonthResult.kroner), 0),
        )
        .where(LineMonthResult.participation_id.in_(ids))
        .group_by(LineMonthResult.participation_id, LineMonthResult.line_key)
    ):
        amounts[pid][key] = q(Decimal(amount))
        kroner[pid][key] = q(Decimal(value))
    periods: dict[int, list[PeriodResult]] = defaultdict(list)
    columns = [MonthResult.participation_id, MonthResult.month]
    columns += [getattr(MonthResult, name) for name in MONTH_FIGURES]
    for pid, month, *figures in db.session.execute(
        select(*columns)
        .where(MonthResult.participation_id.in_(ids))
        .order_by(MonthResult.participation_id, MonthResult.month)
    ):
        periods[pid].append(PeriodResult(month, tuple(flagged[pid, month]), *figures, {}))
    result = {}
    for row in db.session.execute(
        select(*ParticipationResult.__table__.columns).where(
            ParticipationResult.participation_id.in_(ids)
        )
    ):
        pid = row.participation_id
        months = tuple(periods[pid])
        result[pid] = BenefitResult(
            months,
            row.hourly_cost,
            row.annual_hours,
            row.total_hours,
            row.gross,
            row.costs,
            row.net,
            amounts[pid],
            kroner[pid],
            row.fte_12m,
            row.payback,
            {},
            tuple(f for period in months for f in period.flags),
        )
    return result
