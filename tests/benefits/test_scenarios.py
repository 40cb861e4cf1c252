"""The scenario business case against a hand calculation, the realised figures against the
three scenarios, and the switching value (linear and by bisection)."""

from datetime import date
from decimal import Decimal as D

import pytest

from portal.benefits.calculation.arithmetic import Cost, Line, compute_benefits
from portal.benefits.calculation.scenarios import (
    CaseInputs,
    Position,
    Scenario,
    TargetValues,
    business_case,
    measurements_for,
    switching_value,
)
from portal.programmes.formulas import parse_formula

# 192,400 kr. a year over 1,924 hours: an hourly cost of exactly 100 kr.
PARAMETERS = {"annual_cost": "192400", "annual_hours": "1924", "km_rate": "2"}
MONTHLY = {"screen_visits": "monthly", "minutes_saved": "monthly", "km_avoided": "monthly"}
LINES = (
    Line("time", "hours", parse_formula("screen_visits * minutes_saved / 60")),
    Line("km", "kroner", parse_formula("km_avoided * km_rate")),
)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def inputs(**changes) -> CaseInputs:
    fields = dict(
        parameters=PARAMETERS,
        lines=LINES,
        frequencies=MONTHLY,
        baselines={"screen_visits": D(0), "minutes_saved": D(30), "km_avoided": D(0)},
        targets={
            "screen_visits": TargetValues(D(300), D(100), D(400)),
            "km_avoided": TargetValues(D(100), D(50), D(150)),
        },
        costs=(Cost(date(2026, 1, 1), D(100000)),),
        start=YEAR[0],
        end=YEAR[1],
    )
    fields.update(changes)
    return CaseInputs(**fields)


def test_three_scenarios_by_hand():
    case = business_case(inputs(), None)
    likely = case.of(Scenario.LIKELY)
    # Likely, each month: 300 visits × 30 min (no target: the baseline stays) ÷ 60 = 150 h,
    # × 100 kr. = 15,000 kr.; 100 km × 2 kr. = 200 kr.; gross 15,200 kr. a month.
    assert likely.yearly_hours == D(1800)  # 150 h × 12
    assert likely.fte == D(1800) / D(1924)
    assert likely.yearly_gross == D(182400)  # 15,200 × 12
    assert likely.net == D(82400)  # 182,400 − the one-off 100,000
    # Cumulative net: 15,200 × k − 100,000 ≥ 0 from k = 7 (July).
    assert likely.payback == date(2026, 7, 1)
    # Pessimistic: 100 × 30 ÷ 60 = 50 h = 5,000 kr. + 50 km × 2 = 100 kr.: 5,100 a month,
    # 61,200 a year, net −38,800: it never pays back within the year.
    pessimistic = case.of(Scenario.PESSIMISTIC)
    assert (pessimistic.yearly_hours, pessimistic.yearly_gross) == (D(600), D(61200))
    assert pessimistic.net == D(-38800) and pessimistic.payback is None
    # Optimistic: 400 × 30 ÷ 60 = 200 h = 20,000 kr. + 150 × 2 = 300 kr.: 20,300 a month;
    # 20,300 × k ≥ 100,000 from k = 5 (May).
    optimistic = case.of(Scenario.OPTIMISTIC)
    assert optimistic.yearly_gross == D(243600) and optimistic.net == D(143600)
    assert optimistic.payback == date(2026, 5, 1)


def test_a_missing_scenario_value_falls_back_to_the_likely_one():
    case = business_case(
        inputs(targets={"screen_visits": TargetValues(D(300)), "km_avoided": TargetValues(D(0))}),
        None,
    )
    grosses = {s.scenario: s.benefits.gross for s in case.scenarios}
    assert grosses == dict.fromkeys(Scenario, D(180000))  # 150 h × 100 kr. × 12


def test_realised_against_the_three_scenarios():
    months = {
        date(2026, m, 1): {"screen_visits": D(186), "minutes_saved": D(30)} for m in (1, 2, 3)
    }
    for values in months.values():
        values["km_avoided"] = D(100)
    realised = compute_benefits(PARAMETERS, LINES, {}, months, frequencies=MONTHLY)
    # Realised: 186 × 30 ÷ 60 = 93 h = 9,300 kr. + 200 kr. = 9,500 a month, 28,500 in all.
    comparison = business_case(inputs(), realised, switching=False).comparison
    assert comparison.months == 3 and comparison.realised == D(28500)
    # Over the same three months: pessimistic 3 × 5,100, likely 3 × 15,200, optimistic
    # 3 × 20,300.
    assert comparison.expected == {
        Scenario.PESSIMISTIC: D(15300),
        Scenario.LIKELY: D(45600),
        Scenario.OPTIMISTIC: D(60900),
    }
    assert comparison.share_of_likely == D(28500) / D(45600)  # 62.5 %
    assert comparison.position == Position.PESSIMISTIC_TO_LIKELY


def test_the_switching_value_of_the_key_indicator_is_solved_linearly():
    result = switching_value(inputs())
    # 10 % of the likely screen visits (30 a month) moves the net by 30 × 0.5 h × 100 kr. ×
    # 12 = 18,000 kr.; 10 % of the km (10) by 10 × 2 × 12 = 240 kr.: visits are the key.
    assert result.indicator == "screen_visits" and result.method == "linear"
    # Net over the year = 12 × (v × 0.5 × 100 + 200) − 100,000 = 600 v − 97,600 = 0
    # at v = 97,600 ÷ 600 = 162.67 visits a month.
    assert abs(result.value - D(97600) / D(600)) < D("0.0001")
    net = inputs().compute(inputs().values(Scenario.LIKELY, screen_visits=result.value)).net
    assert abs(net) <= D("0.005")


def test_a_nonlinear_formula_is_solved_by_bisection():
    lines = (Line("squares", "kroner", parse_formula("screen_visits * screen_visits / 100")),)
    case_inputs = inputs(lines=lines, targets={"screen_visits": TargetValues(D(300))})
    result = switching_value(case_inputs)
    # 12 × v² ÷ 100 = 100,000 at v = √(100,000 × 100 ÷ 12) = 912.8709…
    assert result.method == "bisection"
    assert abs(result.value - (D(10000000) / D(12)).sqrt()) <= D("0.0001")


def test_no_switching_value_when_the_net_does_not_depend_on_the_targets():
    result = switching_value(inputs(lines=LINES[1:]), "screen_visits")
    assert result.value is None and result.method == "none"


@pytest.mark.parametrize("frequency, periods", [("monthly", 12), ("quarterly", 4), ("yearly", 1)])
def test_a_target_is_its_value_in_every_period_of_its_frequency(frequency, periods):
    measurements = measurements_for({"citizens": D(7)}, {"citizens": frequency}, *YEAR)
    assert len(measurements) == periods
    # A full year holds the target once per period whatever the grid does within the year:
    # 7 citizens × 10 kr. per period.
    case = inputs(
        lines=(Line("c", "kroner", parse_formula("citizens * 10")),),
        frequencies={"citizens": frequency},
        baselines={},
        targets={"citizens": TargetValues(D(7))},
        costs=(),
    )
    assert case.compute(case.values(Scenario.LIKELY)).gross == D(70) * periods


def test_only_the_scenarios_the_targets_give():
    from portal.benefits.calculation.scenarios import given_scenarios, missing_values

    only_likely = inputs(
        targets={"screen_visits": TargetValues(D(300)), "km_avoided": TargetValues(D(100))}
    )
    assert given_scenarios(only_likely) == (Scenario.LIKELY,)
    assert business_case(only_likely, None).shown_results == (
        business_case(only_likely, None).of(Scenario.LIKELY),
    )
    assert missing_values(only_likely)[Scenario.PESSIMISTIC] == ("km_avoided", "screen_visits")
    # One target names a pessimistic value: that scenario is shown, the other is named missing.
    partly = inputs(
        targets={
            "screen_visits": TargetValues(D(300), D(100)),
            "km_avoided": TargetValues(D(100)),
        }
    )
    assert given_scenarios(partly) == (Scenario.PESSIMISTIC, Scenario.LIKELY)
    assert missing_values(partly)[Scenario.PESSIMISTIC] == ("km_avoided",)
    # No target at all: no scenario (not three rows of zeros), nothing to compare with.
    none = business_case(inputs(targets={}), None)
    assert none.shown == () and none.shown_results == () and none.switching is None


def test_payback_words_agree_with_a_net_that_was_never_negative():
    from portal.benefits.display import payback_text

    # Gains from the first month and no up-front cost: the cumulative net is never negative,
    # so there is no payback month, and the words must not say "not reached".
    case = business_case(inputs(costs=()), None)
    likely = case.of(Scenario.LIKELY)
    assert likely.payback is None and likely.net > 0
    assert likely.benefits.paid_from_start
    assert payback_text(likely.benefits) == "fra første måned"
    # A net that stays negative: not reached.
    pessimistic = business_case(inputs(), None).of(Scenario.PESSIMISTIC)
    assert not pessimistic.benefits.paid_from_start
    assert payback_text(pessimistic.benefits) == "ikke nået"
    assert payback_text(business_case(inputs(), None).of(Scenario.LIKELY).benefits) == "juli 2026"
