"""The benefit arithmetic against worked examples with known answers (seed 004 style)."""

from datetime import date
from decimal import Decimal

import pytest

from portal.benefits.calculation.arithmetic import Cost, Line, compute_benefits, hourly_cost
from portal.benefits.calculation.periods import add_months, period_start
from portal.programmes.formulas import parse_formula

D = Decimal
ROUND = {"annual_cost": "450000", "annual_hours": "1924", "km_rate": "3.79"}
HOURLY = D(450000) / D(1924)  # 233.8877… kr. per hour (seed 004: 450,000 kr. and 37 h × 52)


def line(key, kind, formula):
    return Line(key, kind, parse_formula(formula))


def cents(value):
    return value.quantize(D("0.01"))


def months(first, n, values):
    return {add_months(first, i): dict(values) for i in range(n)}


SCREEN = [
    line("time_screen_visits", "hours", "screen_visits * minutes_saved_per_visit / 60"),
    line("km_savings", "kroner", "km_avoided * km_rate"),
]


def test_hourly_cost_is_annual_cost_over_annual_hours_unless_overridden():
    rate, explanation = hourly_cost(ROUND)
    assert cents(rate) == D("233.89") and rate == HOURLY
    assert explanation.formula == "annual_cost / annual_hours"
    assert explanation.inputs == (("annual_cost", D(450000)), ("annual_hours", D(1924)))
    own, explanation = hourly_cost(ROUND, D("310.50"))
    assert own == D("310.50") and explanation.inputs == (("hourly_cost", D("310.50")),)
    assert hourly_cost({"annual_cost": "450000", "annual_hours": "0"})[0] is None
    assert hourly_cost({"annual_cost": "450000"})[0] is None


def test_screen_visits_month_by_hand():
    """1,200 visits × 25 minutes saved ÷ 60 = 500 hours × 233.89 kr. = 116,943.87 kr.;
    3,000 km × 3.79 kr. = 11,370 kr.; a one-off cost of 50,000 kr.; FTE = 500 ÷ 1,924."""
    september = date(2025, 9, 1)
    result = compute_benefits(
        ROUND,
        SCREEN,
        {},
        {
            september: {
                "screen_visits": D(1200),
                "minutes_saved_per_visit": D(25),
                "km_avoided": D(3000),
            }
        },
        [Cost(date(2025, 9, 15), D(50000), "one_off", "tablets")],
    )
    [period] = result.periods
    assert period.period == september
    time_line, km_line = period.lines
    assert time_line.amount == D(500) and time_line.hours == D(500)
    assert cents(time_line.kroner) == D("116943.87")
    assert time_line.kroner == D(500) * HOURLY  # exact inside, rounded only for display
    assert km_line.amount == km_line.kroner == D("11370.00") and km_line.hours is None
    assert cents(period.gross) == D("128313.87")
    assert period.costs == D(50000)
    assert cents(period.net) == D("78313.87") == cents(period.cumulative_net)
    assert period.fte_12m == D(500) / D(1924)
    assert cents(result.net) == D("78313.87")
    assert result.flags == ()
    # "how is this computed": the formula and the inputs used, for every figure
    assert time_line.explanation.formula == "screen_visits * minutes_saved_per_visit / 60"
    assert time_line.explanation.inputs == (
        ("minutes_saved_per_visit", D(25)),
        ("screen_visits", D(1200)),
    )
    assert time_line.valuation.formula == "hours * hourly_cost"
    assert time_line.valuation.inputs == (("hours", D(500)), ("hourly_cost", HOURLY))
    assert period.explanations["net"].inputs == (("gross", period.gross), ("costs", D(50000)))
    assert period.explanations["costs"].inputs == (("tablets 2025-09-15", D(50000)),)
    assert period.explanations["fte_12m"].note == "2024-10-01 – 2025-09-01"
    assert result.explanations["hourly_cost"].formula == "annual_cost / annual_hours"
    assert {"hours", "gross", "costs", "net", "cumulative_net", "fte_12m"} <= set(
        period.explanations
    )


def test_helsingor_delivery_rate_plus_4_3_points_is_about_15_fte():
    """Seed 004: delivery rate +4.3 % of paid time → about 15 FTE. 55,930 paid hours a
    month × 4.3 % = 2,404.99 hours a month; a year = 28,859.88 hours ÷ 1,924 = 15.0 FTE."""
    lines = [
        line(
            "delivery_time", "hours", "(delivery_rate - baseline.delivery_rate) / 100 * paid_hours"
        )
    ]
    measurements = months(
        date(2026, 1, 1), 12, {"delivery_rate": D("64.3"), "paid_hours": D(55930)}
    )
    result = compute_benefits(ROUND, lines, {"delivery_rate": D(60)}, measurements)
    assert len(result.periods) == 12
    assert result.periods[0].hours == D("2404.990")
    assert result.total_hours == D("28859.880")
    assert result.fte_12m.quantize(D("0.1")) == D("15.0")
    assert result.fte_12m == D("28859.880") / D(1924)
    assert cents(result.gross) == cents(D("28859.880") * HOURLY) == D("6749971.93")


def test_route_planning_three_lines_with_baselines():
    lines = [
        line("planning_time", "hours", "baseline.planning_hours - planning_hours"),
        line("km_savings", "kroner", "(baseline.km_driven - km_driven) * km_rate"),
    ]
    result = compute_benefits(
        ROUND,
        lines,
        {"planning_hours": D(400), "km_driven": D(20000)},
        {date(2026, 3, 1): {"planning_hours": D(300), "km_driven": D(18000)}},
    )
    [period] = result.periods
    assert [r.amount for r in period.lines] == [D(100), D("7580.00")]
    assert period.lines[1].explanation.inputs == (
        ("baseline.km_driven", D(20000)),
        ("km_driven", D(18000)),
        ("km_rate", D("3.79")),
    )
    assert period.gross == D(100) * HOURLY + D("7580.00")


def test_ringkobing_skjern_340_hours_per_robot_over_a_year():
    """Seed 004: 340 hours freed per robot, 200,000 kr. a year of licences and a team of
    2.5 FTE (2.5 × 450,000 = 1,125,000 kr. a year). 100 robots: 34,000 hours × 233.89 =
    7,952,182.95 kr. gross, 1,325,000 kr. costs, 6,627,182.95 kr. net; 17.67 FTE."""
    parameters = {**ROUND, "hours_per_robot": "340"}
    lines = [line("robot_hours", "hours", "robots * hours_per_robot")]
    costs = [
        Cost(date(2021, 1, 1), D(200000), "yearly", "licenser"),
        Cost(date(2021, 1, 1), D(1125000), "yearly", "RPA-team"),
    ]
    result = compute_benefits(
        parameters,
        lines,
        {},
        {date(2021, 1, 1): {"robots": D(100)}},
        costs,
        frequencies={"robots": "yearly"},
        end=date(2021, 12, 31),
    )
    assert len(result.periods) == 12  # the yearly costs spread over the months of 2021
    assert result.total_hours == D(34000)
    assert cents(result.gross) == D("7952182.95")
    assert result.costs == D(1325000)  # twelve parts add up exactly
    assert cents(result.net) == D("6627182.95")
    assert result.periods[0].costs == D("110416.66")  # 16,666.66 + 93,750.00
    assert result.periods[-1].costs == D("110416.74")  # the last month takes the øre left
    assert result.fte_12m.quantize(D("0.01")) == D("17.67")
    assert result.payback is None  # never negative: nothing to pay back


def test_shared_ai_case_about_1460_kroner_per_case():
    """Seed 004: 2,550 cases a year, a third less time per case, about 1,460 kr. saved per
    case: 18.9 → 12.663 hours per case saves 6.237 hours = 1,458.76 kr. a case."""
    lines = [line("case_time", "hours", "cases * (baseline.hours_per_case - hours_per_case)")]
    result = compute_benefits(
        ROUND,
        lines,
        {"hours_per_case": D("18.9")},
        {date(2024, 1, 1): {"cases": D(2550), "hours_per_case": D("12.663")}},
        frequencies={"cases": "yearly", "hours_per_case": "yearly"},
    )
    assert result.total_hours == D("15904.350")
    per_case = result.gross / 2550
    assert cents(per_case) == D("1458.76")
    assert abs(per_case - 1460) < 5
    assert cents(result.gross) == D("3719832.38")  # 15,904.35 × 450,000 ÷ 1,924


def test_payback_month_is_when_cumulative_net_turns_non_negative():
    """100,000 kr. saved a month; a one-off 250,000 kr. and 120,000 kr. a year (10,000 a
    month): −160,000, −70,000, +20,000 → payback in March."""
    lines = [line("temp_savings", "kroner", "baseline.temp_cost - temp_cost")]
    result = compute_benefits(
        ROUND,
        lines,
        {"temp_cost": D(500000)},
        months(date(2026, 1, 1), 4, {"temp_cost": D(400000)}),
        [
            Cost(date(2026, 1, 10), D(250000), "one_off", "implementering"),
            Cost(date(2026, 1, 1), D(120000), "yearly", "licens"),
        ],
    )
    assert [p.cumulative_net for p in result.periods] == [
        D(-160000),
        D(-70000),
        D(20000),
        D(110000),
    ]
    assert result.payback == date(2026, 3, 1)
    assert result.periods[2].explanations["cumulative_net"].inputs == (
        ("previous cumulative_net", D(-70000)),
        ("net", D(90000)),
    )


def test_no_payback_while_still_negative():
    lines = [line("temp_savings", "kroner", "baseline.temp_cost - temp_cost")]
    result = compute_benefits(
        ROUND,
        lines,
        {"temp_cost": D(500000)},
        months(date(2026, 1, 1), 2, {"temp_cost": D(490000)}),
        [Cost(date(2026, 1, 1), D(1000000))],
    )
    assert result.payback is None and result.net == D(-980000)


def test_a_period_missing_a_value_contributes_nothing_and_is_flagged():
    result = compute_benefits(
        ROUND,
        SCREEN,
        {},
        {
            date(2025, 9, 1): {
                "screen_visits": D(1200),
                "minutes_saved_per_visit": D(25),
                "km_avoided": D(3000),
            },
            date(2025, 10, 1): {"screen_visits": D(1300)},
        },
    )
    october = result.periods[1]
    assert [r.amount for r in october.lines] == [None, None]
    assert october.gross == 0 and october.hours == 0
    kinds = {(f.line, f.kind, f.names) for f in october.flags}
    assert kinds == {
        ("time_screen_visits", "missing", ("minutes_saved_per_visit",)),
        ("km_savings", "missing", ("km_avoided",)),
    }
    assert october.flags[0].reason == "mangler værdi for minutes_saved_per_visit"
    assert october.lines[0].explanation.inputs == (
        ("minutes_saved_per_visit", None),
        ("screen_visits", D(1300)),
    )
    assert len(result.flags) == 2
    assert result.line_amounts["time_screen_visits"] == D(500)


def test_a_parameter_the_round_lacks_is_flagged_missing():
    lines = [
        line(
            "overtime",
            "kroner",
            "(baseline.overtime_hours - overtime_hours) * hourly_cost * overtime_factor",
        )
    ]
    measurements = {date(2026, 2, 1): {"overtime_hours": D(80)}}
    frequencies = {"overtime_hours": "monthly"}
    flagged = compute_benefits(
        ROUND, lines, {"overtime_hours": D(100)}, measurements, frequencies=frequencies
    )
    assert flagged.flags[0].names == ("overtime_factor",) and flagged.gross == 0
    with_factor = compute_benefits(
        {**ROUND, "overtime_factor": "1.5"},
        lines,
        {"overtime_hours": D(100)},
        measurements,
        frequencies=frequencies,
    )
    assert with_factor.gross == D(20) * HOURLY * D("1.5")  # 7,016.63 kr.
    assert cents(with_factor.gross) == D("7016.63")


def test_division_by_zero_is_flagged_not_raised():
    lines = [line("per_citizen", "hours", "planning_hours / citizens")]
    result = compute_benefits(
        ROUND, lines, {}, {date(2026, 1, 1): {"planning_hours": D(10), "citizens": D(0)}}
    )
    [flag] = result.flags
    assert (flag.kind, flag.names) == ("division_by_zero", ("citizens",))
    assert flag.reason == "division med nul (citizens er 0)"
    assert result.gross == 0


def test_without_an_hourly_cost_hours_still_count_but_are_not_valued():
    result = compute_benefits(
        {"km_rate": "3.79"},
        SCREEN,
        {},
        {
            date(2025, 9, 1): {
                "screen_visits": D(60),
                "minutes_saved_per_visit": D(60),
                "km_avoided": D(100),
            }
        },
    )
    time_line, km_line = result.periods[0].lines
    assert time_line.amount == 60 and time_line.kroner is None
    assert time_line.flag.kind == "no_hourly_cost"
    assert km_line.kroner == D("379.00") and result.gross == D("379.00")
    assert result.hourly_cost is None and result.fte_12m is None


def test_the_participations_own_hourly_cost_values_the_hours():
    result = compute_benefits(
        ROUND,
        SCREEN[:1],
        {},
        {date(2025, 9, 1): {"screen_visits": D(120), "minutes_saved_per_visit": D(30)}},
        hourly_cost_override=D("300"),
    )
    assert result.gross == D(18000) and result.hourly_cost == D(300)
    assert result.fte_12m == D(60) / D(1924)  # annual hours stay the round's


def test_fte_counts_the_12_months_ending_with_the_period():
    lines = [line("saved", "hours", "saved_hours")]
    result = compute_benefits(
        ROUND, lines, {}, months(date(2025, 1, 1), 14, {"saved_hours": D("192.4")})
    )
    assert result.periods[0].fte_12m == D("0.1")
    assert result.periods[11].fte_12m == D("1.2")
    assert result.periods[13].fte_12m == D("1.2")  # the window moves on
    assert result.periods[13].explanations["fte_12m"].note == "2025-03-01 – 2026-02-01"
    assert result.total_hours == D("2693.6")


def test_a_coarser_indicator_lends_its_value_to_the_months_of_its_period():
    """Visits are counted monthly, minutes saved measured once a quarter; a line of
    quarterly indicators counts once a quarter, spread over the quarter's months."""
    lines = SCREEN[:1] + [line("quarterly_only", "kroner", "minutes_saved_per_visit * 10")]
    measurements = {
        date(2025, 10, 1): {"screen_visits": D(600), "minutes_saved_per_visit": D(20)},
        date(2025, 11, 1): {"screen_visits": D(900)},
        date(2025, 12, 1): {"screen_visits": D(300)},
        date(2026, 1, 1): {"screen_visits": D(300)},
    }
    frequencies = {"screen_visits": "monthly", "minutes_saved_per_visit": "quarterly"}
    result = compute_benefits(ROUND, lines, {}, measurements, frequencies=frequencies)
    hours = [p.lines[0].amount for p in result.periods]
    assert hours == [D(200), D(300), D(100), None]  # January: a new quarter, not measured
    assert result.periods[3].lines[0].flag.names == ("minutes_saved_per_visit",)
    quarterly = [
        (p.period, r.amount) for p in result.periods for r in p.lines if r.key == "quarterly_only"
    ]
    assert quarterly == [
        (date(2025, 10, 1), D("66.66")),
        (date(2025, 11, 1), D("66.66")),
        (date(2025, 12, 1), D("66.68")),
        (date(2026, 1, 1), None),  # flagged in the quarter's first month only
    ]


def test_yearly_cost_is_spread_over_12_months_from_its_date():
    result = compute_benefits(
        ROUND,
        [],
        {},
        {},
        [Cost(date(2025, 6, 20), D(100000), "yearly", "drift")],
        end=date(2026, 8, 1),
    )
    costs = {p.period: p.costs for p in result.periods}
    assert min(costs) == date(2025, 6, 1) and len(costs) == 15
    assert sum(costs.values()) == D(100000)
    assert costs[date(2026, 6, 1)] == 0 and costs[date(2025, 6, 1)] == D("8333.33")
    assert costs[date(2026, 5, 1)] == D("8333.37")
    assert result.periods[0].explanations["costs"].inputs[0][0] == "drift 2025-06-20 (1/12)"


def test_start_and_end_clip_the_timeline():
    lines = [line("saved", "kroner", "saved")]
    measurements = months(date(2025, 1, 1), 6, {"saved": D(10)})
    result = compute_benefits(
        ROUND, lines, {}, measurements, start=date(2025, 3, 15), end=date(2025, 4, 30)
    )
    assert [p.period for p in result.periods] == [date(2025, 3, 1), date(2025, 4, 1)]
    assert result.gross == D(20)


def test_nothing_recorded_gives_an_empty_result():
    result = compute_benefits(ROUND, SCREEN, {}, {})
    assert result.periods == () and result.gross == 0 and result.payback is None
    assert result.line_kroner == {"time_screen_visits": 0, "km_savings": 0}


@pytest.mark.parametrize(
    ("day", "frequency", "start"),
    [
        (date(2025, 5, 17), "monthly", date(2025, 5, 1)),
        (date(2025, 5, 17), "quarterly", date(2025, 4, 1)),
        (date(2025, 12, 31), "quarterly", date(2025, 10, 1)),
        (date(2025, 5, 17), "yearly", date(2025, 1, 1)),
    ],
)
def test_period_start(day, frequency, start):
    assert period_start(day, frequency) == start


def test_a_cumulative_net_landing_exactly_on_zero_pays_back_in_that_month():
    """100,000 kr. saved a month, 200,000 kr. spent once in January: −100,000, then exactly
    0 in February, which is the payback month (not March, when it is first above 0)."""
    lines = [line("temp_savings", "kroner", "baseline.temp_cost - temp_cost")]
    result = compute_benefits(
        ROUND,
        lines,
        {"temp_cost": D(500000)},
        months(date(2026, 1, 1), 3, {"temp_cost": D(400000)}),
        [Cost(date(2026, 1, 10), D(200000), "one_off", "implementering")],
    )
    assert [p.cumulative_net for p in result.periods] == [D(-100000), D(0), D(100000)]
    assert result.payback == date(2026, 2, 1)
