"""Progress from baseline to target, status against time elapsed, projection of the trend."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.benefits.calculation.progress import (
    Point,
    Status,
    elapsed_share,
    indicator_progress,
    is_stale,
    progress,
    projection,
    status,
    trend,
)

D = Decimal
START = date(2025, 1, 1)


def day(n):
    return START + timedelta(days=n)


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "direction", "expected"),
    [
        (100, 200, 150, "higher", "0.5"),
        (100, 200, 100, "higher", "0"),
        (100, 200, 200, "higher", "1"),
        (100, 200, 250, "higher", "1.5"),  # overshoot is kept, not clipped
        (100, 200, 80, "higher", "-0.2"),  # the wrong way
        (400, 300, 350, "lower", "0.5"),  # lower is better: the same formula
        (400, 300, 250, "lower", "1.5"),
        (400, 300, 450, "lower", "-0.5"),
        (10, 10, 10, "higher", "1"),  # target equals baseline: at the target …
        (10, 10, 12, "higher", "1"),  # … or beyond it in the good direction
        (10, 10, 9, "higher", "0"),
        (10, 10, 9, "lower", "1"),
        (10, 10, 11, "lower", "0"),
    ],
)
def test_progress(baseline, target, latest, direction, expected):
    assert progress(D(baseline), D(target), D(latest), direction) == D(expected)


def test_progress_without_a_measurement_is_none_and_direction_is_checked():
    assert progress(D(1), D(2), None) is None
    with pytest.raises(ValueError):
        progress(D(1), D(2), D(1), "sideways")


@pytest.mark.parametrize(
    ("value", "elapsed", "expected"),
    [
        ("0.4", "0.5", Status.ON_TRACK),  # elapsed − 0.10
        ("0.9", "0.5", Status.ON_TRACK),
        ("0.39", "0.5", Status.AT_RISK),
        ("0.25", "0.5", Status.AT_RISK),  # elapsed − 0.25
        ("0.24", "0.5", Status.OFF_TRACK),
        ("-0.1", "0.1", Status.AT_RISK),
        ("-0.2", "0.1", Status.OFF_TRACK),
        ("0", "0", Status.ON_TRACK),
        ("0.74", "1", Status.OFF_TRACK),
    ],
)
def test_status_against_time_elapsed(value, elapsed, expected):
    assert status(D(value), D(elapsed)) == expected


def test_status_without_data():
    assert status(None, D("0.5")) == Status.NO_DATA
    assert status(D("0.5"), None) == Status.NO_DATA


def test_elapsed_share_is_clipped_to_the_period():
    end = date(2026, 1, 1)
    assert elapsed_share(START, end, date(2024, 6, 1)) == 0
    assert elapsed_share(START, end, day(73)) == D("0.2")
    assert elapsed_share(START, end, date(2027, 1, 1)) == 1
    assert elapsed_share(end, end, end) == 1


def test_trend_is_least_squares():
    points = [Point(day(0), D(1)), Point(day(1), D(3)), Point(day(2), D(2))]
    intercept, slope, origin = trend(points)
    assert (intercept, slope, origin) == (D("1.5"), D("0.5"), START)
    assert trend([Point(day(0), D(1)), Point(day(0), D(5))]) is None
    assert trend([]) is None


def test_projection_expected_to_reach():
    baseline, target = Point(day(0), D(100)), Point(day(365), D(130))
    points = [baseline, Point(day(100), D(110)), Point(day(200), D(120))]
    result = projection(points, baseline.value, target, "higher")
    assert result.projected == D("136.5") and result.reaches and result.shortfall == 0
    assert result.slope_per_day == D("0.1") and result.points == 3


def test_projection_expected_to_miss_by_lower_is_better():
    """Temp hours from 400 towards 300 a year later, falling 10 every 100 days: the trend
    ends at 363.5, missing the target by 63.5 hours."""
    baseline, target = Point(day(0), D(400)), Point(day(365), D(300))
    points = [baseline, Point(day(100), D(390)), Point(day(200), D(380))]
    result = projection(points, baseline.value, target, "lower")
    assert result.projected == D("363.5")
    assert not result.reaches and result.shortfall == D("63.5")


def test_indicator_progress_puts_it_together():
    result = indicator_progress(
        "lower",
        Point(day(0), D(400)),
        Point(day(365), D(300)),
        [Point(day(200), D(380)), Point(day(100), D(390)), Point(day(-30), D(999))],
    )
    assert result.latest == Point(day(200), D(380))  # the earliest-dated one is ignored
    assert result.progress == D("0.2")
    assert result.elapsed == D(200) / D(365)  # 0.548: judged at the latest measurement
    assert result.status == Status.OFF_TRACK  # 0.2 < 0.548 − 0.25
    assert result.projection.shortfall == D("63.5")
    later = indicator_progress(
        "lower",
        Point(day(0), D(400)),
        Point(day(365), D(300)),
        [Point(day(30), D(385))],
        as_of=day(60),
    )
    assert later.progress == D("0.15") and later.status == Status.ON_TRACK
    assert later.projection.points == 2  # the baseline counts as the first observation


def test_indicator_progress_without_measurements_is_no_data():
    result = indicator_progress("higher", Point(START, D(1)), Point(day(300), D(2)), [])
    assert result.status == Status.NO_DATA
    assert result.progress is None and result.latest is None and result.projection is None


def test_target_equal_to_baseline_and_overshoot_are_on_track():
    kept = indicator_progress(
        "higher", Point(START, D(95)), Point(day(365), D(95)), [Point(day(180), D(96))]
    )
    assert kept.progress == 1 and kept.status == Status.ON_TRACK and kept.projection.reaches
    overshoot = indicator_progress(
        "higher", Point(START, D(10)), Point(day(100), D(20)), [Point(day(50), D(30))]
    )
    assert overshoot.progress == 2 and overshoot.status == Status.ON_TRACK


@pytest.mark.parametrize(
    ("latest", "frequency", "today", "stale"),
    [
        (date(2026, 9, 1), "monthly", date(2026, 11, 30), False),  # only October passed empty
        (date(2026, 9, 1), "monthly", date(2026, 12, 1), True),  # October and November
        (date(2026, 1, 1), "quarterly", date(2026, 9, 30), False),
        (date(2026, 1, 1), "quarterly", date(2026, 10, 1), True),  # Q2 and Q3 passed empty
        (date(2023, 1, 1), "yearly", date(2025, 12, 31), False),
        (date(2023, 1, 1), "yearly", date(2026, 1, 1), True),
    ],
)
def test_a_value_older_than_its_frequency_allows_is_stale(latest, frequency, today, stale):
    assert is_stale(latest, frequency, today) is stale


def test_a_stale_indicator_has_no_status_whatever_it_was():
    baseline, target = Point(date(2025, 8, 1), D(0)), Point(date(2026, 8, 1), D(100))
    measured = [Point(date(2025, 9, 1), D(90))]  # far ahead of plan
    fresh = indicator_progress("higher", baseline, target, measured, today=date(2025, 11, 20))
    assert fresh.status == Status.ON_TRACK and not fresh.stale
    old = indicator_progress("higher", baseline, target, measured, today=date(2025, 12, 1))
    assert old.status == Status.NO_DATA and old.stale and old.progress == D("0.9")
