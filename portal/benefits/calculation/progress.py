"""Progress of one indicator from its baseline towards its target (*målbillede*), on plain
data: the progress, a status against the time elapsed, and a projection of the trend.

- **Progress** = (latest − baseline) / (target − baseline): 0 at the baseline, 1 at the
  target, in either direction — a lower-is-better indicator whose target lies below the
  baseline needs no special case. It is not clipped: above 1 is an overshoot, below 0 a
  move the wrong way (a page may clip for its bar). When the target equals the baseline,
  progress is 1 if the latest value is at the target or beyond it in the indicator's good
  direction, else 0.
- **Status** compares progress with the share of the period (baseline date → target date)
  elapsed: on track when progress ≥ elapsed − 0.10, at risk when ≥ elapsed − 0.25, off
  track below; "no data" without a measurement. By default time is taken at the latest
  measurement (the progress is as of then); pass ``as_of`` to judge against another day.
- **Missing data** (``stale``): judged against ``today``, an indicator whose latest value
  is older than its frequency allows has no status ("mangler data", counted as missing),
  whatever its last status was. Older than allowed means two full periods without a value
  since the latest: a monthly indicator last measured in September is missing data from
  1 December (October and November passed empty), a quarterly one last measured in Q1 from
  1 October, a yearly one last measured for 2023 from 1 January 2026. Once the
  collaboration has ended, "today" is its last day (``judged_on``).
- **Projection**: a least-squares line through the measurements (and the baseline, which
  is the first observation), read at the target date: "expected to reach" when the
  projected value's progress is ≥ 1, else "expected to miss by" the distance to the target.
  It needs two observations on different dates.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.benefits.calculation.periods import MONTHLY, add_months, months_in, period_start

HIGHER, LOWER = "higher", "lower"
ON_TRACK_MARGIN = Decimal("0.10")
AT_RISK_MARGIN = Decimal("0.25")
ONE, ZERO = Decimal(1), Decimal(0)


class Status(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Point:
    date: date
    value: Decimal
    quality: str | None = None  # a quality mark (``Quality``'s value); None when measured


@dataclass(frozen=True)
class Projection:
    target_date: date
    projected: Decimal  # the trend's value at the target date
    reaches: bool
    shortfall: Decimal  # how far from the target the trend ends (0 when it reaches it)
    slope_per_day: Decimal
    points: int  # observations the trend was fitted to
    formula: str = "intercept + slope_per_day * days"


@dataclass(frozen=True)
class IndicatorProgress:
    direction: str
    baseline: Point
    target: Point
    latest: Point | None
    progress: Decimal | None
    elapsed: Decimal | None
    status: Status
    projection: Projection | None
    formula: str = "(latest - baseline) / (target - baseline)"
    stale: bool = False  # the latest value is too old to judge by (see the module)


def _direction(direction) -> str:
    value = getattr(direction, "value", direction)
    if value not in (HIGHER, LOWER):
        raise ValueError(f"unknown direction {direction!r}")
    return value


def _better_or_equal(value: Decimal, than: Decimal, direction: str) -> bool:
    return value >= than if direction == HIGHER else value <= than


def progress(
    baseline: Decimal, target: Decimal, latest: Decimal | None, direction=HIGHER
) -> Decimal | None:
    """(latest − baseline) / (target − baseline); ``None`` without a latest value."""
    direction = _direction(direction)
    if latest is None:
        return None
    if target == baseline:
        return ONE if _better_or_equal(latest, target, direction) else ZERO
    return (latest - baseline) / (target - baseline)


def elapsed_share(start: date, end: date, as_of: date) -> Decimal:
    """The share of ``start`` → ``end`` passed on ``as_of``, between 0 and 1."""
    if end <= start:
        return ONE if as_of >= end else ZERO
    share = Decimal((as_of - start).days) / Decimal((end - start).days)
    return min(ONE, max(ZERO, share))


def status(progress_value: Decimal | None, elapsed: Decimal | None) -> Status:
    if progress_value is None or elapsed is None:
        return Status.NO_DATA
    if progress_value >= elapsed - ON_TRACK_MARGIN:
        return Status.ON_TRACK
    if progress_value >= elapsed - AT_RISK_MARGIN:
        return Status.AT_RISK
    return Status.OFF_TRACK


def trend(points: Sequence[Point]) -> tuple[Decimal, Decimal, date] | None:
    """Least squares through the points: (intercept, slope per day, day zero), or ``None``
    with fewer than two distinct dates."""
    if len({p.date for p in points}) < 2:
        return None
    origin = min(p.date for p in points)
    xs = [Decimal((p.date - origin).days) for p in points]
    ys = [p.value for p in points]
    n = Decimal(len(points))
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return mean_y - slope * mean_x, slope, origin


def projection(
    points: Sequence[Point], baseline: Decimal, target: Point, direction=HIGHER
) -> Projection | None:
    """The trend of ``points`` read at the target date; ``None`` without a trend."""
    direction = _direction(direction)
    fitted = trend(points)
    if fitted is None:
        return None
    intercept, slope, origin = fitted
    projected = intercept + slope * Decimal((target.date - origin).days)
    reaches = progress(baseline, target.value, projected, direction) >= ONE
    return Projection(
        target_date=target.date,
        projected=projected,
        reaches=reaches,
        shortfall=ZERO if reaches else abs(target.value - projected),
        slope_per_day=slope,
        points=len(points),
    )


def judged_on(today: date, period_end: date | None) -> date:
    """The day whether a latest value is too old is judged on: today, or the collaboration's
    last day once it has ended (a collaboration that ended in 2021 is judged at its end, not
    "missing data" today; what comes after is the follow-up's)."""
    return min(today, period_end) if period_end else today


def is_stale(latest_period: date, frequency, today: date) -> bool:
    """Two full periods of ``frequency`` have passed since ``latest_period`` without a
    value (see the module)."""
    months = months_in(frequency)
    return add_months(latest_period, 3 * months) <= period_start(today, frequency)


def indicator_progress(
    direction,
    baseline: Point,
    target: Point,
    measurements: Sequence[Point],
    as_of: date | None = None,
    *,
    frequency=MONTHLY,
    today: date | None = None,
) -> IndicatorProgress:
    """Progress, status and projection of one indicator of one participation.

    Measurements dated before the baseline are ignored (the recording refuses them).
    ``today``: judge whether the latest value is too old (none: never).
    """
    direction = _direction(direction)
    observed = sorted((m for m in measurements if m.date >= baseline.date), key=lambda m: m.date)
    trend = (
        projection([baseline, *observed], baseline.value, target, direction) if observed else None
    )
    return verdict(
        direction,
        baseline,
        target,
        observed[-1] if observed else None,
        as_of=as_of,
        frequency=frequency,
        today=today,
        projection=trend,
    )


def verdict(
    direction,
    baseline: Point,
    target: Point,
    latest: Point | None,
    *,
    as_of: date | None = None,
    frequency=MONTHLY,
    today: date | None = None,
    projection: Projection | None = None,
) -> IndicatorProgress:
    """Progress and status from the baseline, the target and the latest value on or after
    the baseline (``None``: none yet), judged on ``as_of`` (default: the latest value's day)
    and, for a latest value too old to judge by, on ``today``; with its ``projection`` (live
    or stored)."""
    direction = _direction(direction)
    value = progress(baseline.value, target.value, latest.value if latest else None, direction)
    when = as_of or (latest.date if latest else None)
    stale = bool(latest and today and is_stale(latest.date, frequency, today))
    elapsed = elapsed_share(baseline.date, target.date, when) if when else None
    return IndicatorProgress(
        direction=direction,
        baseline=baseline,
        target=target,
        latest=latest,
        progress=value,
        elapsed=elapsed,
        status=Status.NO_DATA if stale else status(value, elapsed),
        stale=stale,
        projection=projection,
    )
