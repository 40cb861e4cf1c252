"""One period grid (``portal.benefits.calculation.arithmetic``'s docstring): worked examples by hand, for a
programme measured yearly, one measured quarterly and one mixing monthly and quarterly
indicators (as screen visits does); each computed on plain data and again from the rows
stored in the database (SQLite and PostgreSQL).

Every example uses an hourly cost of 400.000 kr. ÷ 1.600 timer = 250 kr.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest

from portal.benefits.calculation import evaluate_participation
from portal.benefits.calculation.arithmetic import Cost, Line, compute_benefits
from portal.benefits.calculation.grid import split_evenly
from portal.benefits.calculation.periods import add_months
from portal.benefits.models import Cost as CostRow
from portal.benefits.models import CostKind, Measurement
from portal.db import db
from portal.programmes.formulas import parse_formula
from portal.programmes.models import BenefitKind, BenefitLine, Frequency
from tests.benefits.helpers import add_indicator
from tests.factories import create_programme, create_round
from tests.participations.helpers import participation

PARAMETERS = {"annual_cost": "400000", "annual_hours": "1600", "km_rate": "4"}


@dataclass(frozen=True)
class Example:
    frequencies: dict[str, str]
    lines: tuple[tuple[str, str, str], ...]  # key, kind, formula
    measurements: dict[date, dict[str, D]]
    costs: tuple[Cost, ...]
    first: date  # the round's period
    last: date


YEARLY = Example(
    frequencies={"cases": "yearly", "minutes_saved_per_case": "yearly"},
    lines=(("time_cases", "hours", "cases * minutes_saved_per_case / 60"),),
    measurements={date(2026, 1, 1): {"cases": D(2500), "minutes_saved_per_case": D(30)}},
    costs=(
        Cost(date(2026, 1, 1), D(70000), "yearly", "Licenser"),
        Cost(date(2026, 1, 1), D(50000), "yearly", "Drift"),
    ),
    first=date(2026, 1, 1),
    last=date(2026, 12, 31),
)
QUARTERLY = Example(
    frequencies={"visits": "quarterly", "minutes_saved_per_visit": "quarterly"},
    lines=(("time_visits", "hours", "visits * minutes_saved_per_visit / 60"),),
    measurements={
        date(2026, 1, 1): {"visits": D(1800), "minutes_saved_per_visit": D(20)},
        date(2026, 4, 1): {"visits": D(2400), "minutes_saved_per_visit": D(20)},
    },
    costs=(Cost(date(2026, 1, 15), D(300000), "one_off", "Udstyr"),),
    first=date(2026, 1, 1),
    last=date(2026, 12, 31),
)
MIXED = Example(
    frequencies={
        "screen_visits": "monthly",
        "minutes_saved_per_visit": "quarterly",
        "km_avoided": "monthly",
    },
    lines=(
        ("time_screen_visits", "hours", "screen_visits * minutes_saved_per_visit / 60"),
        ("km_savings", "kroner", "km_avoided * km_rate"),
    ),
    measurements={
        date(2025, 10, 1): {
            "screen_visits": D(600),
            "minutes_saved_per_visit": D(20),
            "km_avoided": D(1000),
        },
        date(2025, 11, 1): {"screen_visits": D(900), "km_avoided": D(1000)},
        date(2025, 12, 1): {"screen_visits": D(300), "km_avoided": D(1000)},
    },
    costs=(Cost(date(2025, 10, 1), D(48000), "yearly", "Drift"),),
    first=date(2025, 9, 1),
    last=date(2026, 12, 31),
)


def on_plain_data(example: Example):
    lines = [Line(k, kind, parse_formula(f)) for k, kind, f in example.lines]
    return compute_benefits(
        PARAMETERS,
        lines,
        {},
        example.measurements,
        example.costs,
        frequencies=example.frequencies,
    )


def from_the_database(example: Example):
    programme = create_programme()
    indicators = {
        key: add_indicator(programme, key, frequency=Frequency(frequency))
        for key, frequency in example.frequencies.items()
    }
    for n, (key, kind, formula) in enumerate(example.lines):
        db.session.add(
            BenefitLine(
                programme=programme,
                position=n,
                key=key,
                name_da=key,
                kind=BenefitKind(kind),
                formula=formula,
            )
        )
    round_ = create_round(
        programme,
        period_start=example.first,
        period_end=example.last,
        parameters=dict(PARAMETERS),
    )
    p = participation(round_, 101)
    owner = {"participation": p, "municipality_id": p.municipality_id}
    for day, values in example.measurements.items():
        for key, value in values.items():
            db.session.add(Measurement(**owner, indicator=indicators[key], period=day, value=value))
    for c in example.costs:
        db.session.add(
            CostRow(
                **owner,
                kind=CostKind(c.kind),
                category=c.category,
                incurred_on=c.date,
                amount=c.amount,
            )
        )
    db.session.commit()
    return evaluate_participation(p).benefits


COMPUTE = pytest.mark.parametrize("compute", [on_plain_data, from_the_database])


@COMPUTE
def test_a_programme_measured_yearly_counts_the_years_costs_in_full(compute):
    """2.500 cases × 30 minutes ÷ 60 = 1.250 hours in 2026, spread over its 12 months:
    1.250 ÷ 12 = 104,1666… cut to 104,16 for January–November, December takes the rest,
    1.250 − 11 × 104,16 = 104,24. Valued: 1.250 × 250 = 312.500 kr. (26.041,66 a month,
    December 26.041,74). Costs: two yearly costs, 70.000 + 50.000 = 120.000 kr., in full,
    since the year is measured to its end. Net = 312.500 − 120.000 = 192.500 kr.
    FTE in December = 1.250 ÷ 1.600 = 0,78125. (The old rule put the 1.250 hours in
    January and counted one twelfth of the costs: net 302.500,01 kr.)"""
    result = compute(YEARLY)
    assert [p.period for p in result.periods] == [
        add_months(date(2026, 1, 1), n) for n in range(12)
    ]
    assert [p.hours for p in result.periods] == [D("104.16")] * 11 + [D("104.24")]
    assert [p.gross for p in result.periods] == [D("26041.66")] * 11 + [D("26041.74")]
    assert result.total_hours == D(1250)
    assert result.gross == D(312500)
    assert result.costs == D(120000)
    assert result.net == D(192500)
    assert result.periods[0].costs == D("9999.99")  # 5.833,33 + 4.166,66
    assert result.fte_12m == D("0.78125")
    assert result.periods[5].fte_12m == D("624.96") / 1600  # half a year: 6 × 104,16
    assert result.payback is None  # never negative
    january = result.periods[0].lines[0]
    assert january.explanation.result == D(1250)  # the year's value, and this month's part
    assert january.share.result == D("104.16") and january.share.note == "1/12 af 2026"


@COMPUTE
def test_a_programme_measured_quarterly_spreads_each_quarter_over_its_months(compute):
    """Q1 2026: 1.800 visits × 20 minutes ÷ 60 = 600 hours = 200 a month (50.000 kr.);
    Q2 2026: 2.400 × 20 ÷ 60 = 800 hours = 266,66 + 266,66 + 266,68 (66.666,66 +
    66.666,66 + 66.666,68 kr.). A one-off cost of 300.000 kr. in January.
    Cumulative net: January 50.000 − 300.000 = −250.000; February −200.000; March
    −150.000; April −83.333,34; May −16.666,68; June +50.000: payback in June 2026.
    Gross 150.000 + 200.000 = 350.000, net 50.000; FTE in June = 1.400 ÷ 1.600 = 0,875.
    (The old rule put each quarter in its first month: payback in April.)"""
    result = compute(QUARTERLY)
    assert [p.hours for p in result.periods] == [D(200)] * 3 + [D("266.66")] * 2 + [D("266.68")]
    assert [p.cumulative_net for p in result.periods] == [
        D(-250000),
        D(-200000),
        D(-150000),
        D("-83333.34"),
        D("-16666.68"),
        D(50000),
    ]
    assert result.payback == date(2026, 6, 1)
    assert (result.gross, result.costs, result.net) == (D(350000), D(300000), D(50000))
    assert result.fte_12m == D("0.875")
    assert result.periods[4].lines[0].share.note == "2/3 af 2. kvartal 2026"


@COMPUTE
def test_monthly_visits_read_the_quarters_minutes_saved(compute):
    """Visits counted monthly, minutes saved measured for Q4 2025 (20 minutes): October
    600 × 20 ÷ 60 = 200 hours, November 900 → 300, December 300 → 100: 600 hours =
    150.000 kr.; 1.000 km a month × 4 kr. = 4.000 kr. a month. A yearly cost of 48.000 kr.
    from October: 4.000 a month, of which the three measured months count 12.000.
    Gross 150.000 + 12.000 = 162.000, net 150.000; FTE in December 600 ÷ 1.600 = 0,375."""
    result = compute(MIXED)
    assert [p.period for p in result.periods] == [date(2025, m, 1) for m in (10, 11, 12)]
    assert [p.hours for p in result.periods] == [D(200), D(300), D(100)]
    assert [p.lines[0].explanation.inputs for p in result.periods][1] == (
        ("minutes_saved_per_visit", D(20)),
        ("screen_visits", D(900)),
    )
    assert all(line.share is None for p in result.periods for line in p.lines)
    assert (result.gross, result.costs, result.net) == (D(162000), D(12000), D(150000))
    assert result.fte_12m == D("0.375")


def test_a_flagged_period_is_flagged_once_and_not_spread():
    example = QUARTERLY.measurements | {date(2026, 7, 1): {"visits": D(900)}}
    lines = [Line(k, kind, parse_formula(f)) for k, kind, f in QUARTERLY.lines]
    result = compute_benefits(PARAMETERS, lines, {}, example, frequencies=QUARTERLY.frequencies)
    assert result.periods[-1].period == date(2026, 7, 1)  # the timeline stops at the flag
    assert [f.period for f in result.flags] == [date(2026, 7, 1)]
    assert result.flags[0].names == ("minutes_saved_per_visit",)


@pytest.mark.parametrize(
    ("amount", "parts", "expected"),
    [
        ("100", 3, ("33.33", "33.33", "33.34")),
        ("-100", 3, ("-33.33", "-33.33", "-33.34")),
        ("0.02", 3, ("0.00", "0.00", "0.02")),
        ("7", 1, ("7",)),
    ],
)
def test_split_evenly_parts_add_up_exactly(amount, parts, expected):
    split = split_evenly(D(amount), parts)
    assert split == tuple(D(e) for e in expected)
    assert sum(split) == D(amount)


def test_the_realised_figures_never_start_before_the_collaboration_began():
    """A yearly value of the year the collaboration began in (measured for 2025, a period
    from September 2025) covers only the period's months, and a month missing a value
    before the start is not listed as missing (issue 21: one benefit period)."""
    lines = (Line("time", "hours", parse_formula("cases * minutes / 60")),)
    frequencies = {"cases": "yearly", "minutes": "monthly"}
    measurements = {
        date(2025, 1, 1): {"cases": D(1200)},  # measured for 2025
        date(2025, 10, 1): {"minutes": D(30)},
        date(2025, 11, 1): {"minutes": D(30)},
    }
    result = compute_benefits(
        PARAMETERS,
        lines,
        {},
        measurements,
        (),
        frequencies=frequencies,
        within=(date(2025, 9, 1), date(2026, 12, 31)),
    )
    months = [p.period for p in result.periods]
    assert months[0] == date(2025, 9, 1)
    # January (the month the yearly value is dated) lacks the minutes, but it lies before
    # the collaboration: not listed as missing.
    assert not result.flags
    # the yearly count lends its value to each month it is read with (the grid's rule)
    assert result.total_hours == D(1200)  # two months × 1.200 cases × 30 min ÷ 60
    unclipped = compute_benefits(PARAMETERS, lines, {}, measurements, (), frequencies=frequencies)
    assert [p.period for p in unclipped.periods][0] == date(2025, 1, 1)
    assert min(f.period for f in unclipped.flags) == date(2025, 1, 1)
