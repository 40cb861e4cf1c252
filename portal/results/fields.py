"""The stored fields, declared once: for each table of results, every figure it keeps, where
the refresh takes it from (an evaluation of ``benefits.calculation``) and at which scale it is
stored. The refresh writes exactly these (``refresh._rows``); the reads (``read``) read
exactly these, and ``tests/results/test_stored.py`` holds both to the list — a figure added
to a table without a line here, or read without being stored, fails there.

The keys of each row (participation, indicator, month, line, round) and the bookkeeping
(version, time of the refresh) are not figures and are set by the refresh itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.results.models import (
    AMOUNT,
    RATIO,
    SLOPE,
    VALUE,
    IndicatorResultRow,
    LineMonthResult,
    MonthResult,
    ParticipationResult,
)


@dataclass(frozen=True)
class Stored:
    """One stored figure: how to take it from its source, and its scale (None: as it is)."""

    take: Callable[[Any], Any]
    scale: Any = None


def _projection(r):
    return r.progress.projection if r.progress else None


def _of_projection(name: str) -> Callable[[Any], Any]:
    return lambda r: getattr(_projection(r), name) if _projection(r) else None


# Per participation, from its ``Benefits``.
PARTICIPATION: dict[str, Stored] = {
    "hourly_cost": Stored(lambda b: b.hourly_cost, AMOUNT),
    "annual_hours": Stored(lambda b: b.annual_hours, AMOUNT),
    "total_hours": Stored(lambda b: b.total_hours, AMOUNT),
    "gross": Stored(lambda b: b.gross, AMOUNT),
    "costs": Stored(lambda b: b.costs, AMOUNT),
    "net": Stored(lambda b: b.net, AMOUNT),
    "fte_12m": Stored(lambda b: b.fte_12m, RATIO),
    "payback": Stored(lambda b: b.payback),
    "flags": Stored(lambda b: len(b.flags)),
}

# Per participation × indicator, from its ``IndicatorResult``.
INDICATOR: dict[str, Stored] = {
    "direction": Stored(lambda r: r.indicator.direction),
    "frequency": Stored(lambda r: r.indicator.frequency),
    "baseline_value": Stored(lambda r: r.baseline.value if r.baseline else None, VALUE),
    "baseline_date": Stored(lambda r: r.baseline.date if r.baseline else None),
    "target_value": Stored(lambda r: r.target.value if r.target else None, VALUE),
    "target_date": Stored(lambda r: r.target.date if r.target else None),
    "target_pessimistic": Stored(lambda r: r.target.pessimistic if r.target else None, VALUE),
    "target_optimistic": Stored(lambda r: r.target.optimistic if r.target else None, VALUE),
    "latest_value": Stored(lambda r: r.latest.value if r.latest else None, VALUE),
    "latest_date": Stored(lambda r: r.latest.date if r.latest else None),
    "measurements": Stored(lambda r: len(r.series)),
    "progress": Stored(lambda r: r.progress_value, RATIO),
    "projected": Stored(_of_projection("projected"), AMOUNT),
    "projection_reaches": Stored(_of_projection("reaches")),
    "projection_shortfall": Stored(_of_projection("shortfall"), AMOUNT),
    "projection_slope": Stored(_of_projection("slope_per_day"), SLOPE),
    "projection_points": Stored(_of_projection("points")),
    # The marks a report shows of one indicator.
    "baseline_quality": Stored(lambda r: r.baseline.quality if r.baseline else None),
    "target_quality": Stored(lambda r: r.target.quality if r.target else None),
    "latest_quality": Stored(lambda r: r.latest.quality if r.latest else None),
    "marks": Stored(lambda r: ",".join(sorted({p.quality for p in r.series if p.quality})) or None),
    "marked_measurements": Stored(lambda r: sum(1 for p in r.series if p.quality)),
}

# Per participation × month, from its benefit period.
MONTH: dict[str, Stored] = {
    "hours": Stored(lambda p: p.hours, AMOUNT),
    "gross": Stored(lambda p: p.gross, AMOUNT),
    "costs": Stored(lambda p: p.costs, AMOUNT),
    "net": Stored(lambda p: p.net, AMOUNT),
    "cumulative_net": Stored(lambda p: p.cumulative_net, AMOUNT),
    "hours_12m": Stored(lambda p: p.hours_12m, AMOUNT),
    "fte_12m": Stored(lambda p: p.fte_12m, RATIO),
}

# Per participation × month × benefit line, from the period's line.
LINE: dict[str, Stored] = {
    "kind": Stored(lambda line: line.kind),
    "amount": Stored(lambda line: line.amount, AMOUNT),
    "kroner": Stored(lambda line: line.kroner, AMOUNT),
    "flag": Stored(lambda line: line.flag.kind if line.flag else None),
}

FIELDS: dict[type, dict[str, Stored]] = {
    ParticipationResult: PARTICIPATION,
    IndicatorResultRow: INDICATOR,
    MonthResult: MONTH,
    LineMonthResult: LINE,
}
# Set by the refresh itself: the row's keys and its bookkeeping.
KEYS = frozenset(
    {"participation_id", "round_id", "indicator_id", "month", "line_key"}
    | {"data_version", "refreshed_at"}
)


def values(fields: dict[str, Stored], source, q) -> dict[str, Any]:
    """The declared figures of ``source``, each at its scale (``q``: the refresh's
    quantising)."""
    out = {}
    for name, stored in fields.items():
        value = stored.take(source)
        out[name] = q(value, stored.scale) if stored.scale is not None else value
    return out
