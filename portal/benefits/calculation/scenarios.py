"""The scenario business case: what the pessimistic, likely and optimistic target pictures
promise, computed with the same arithmetic as the realised figures, the realised figures
against them, and the switching value of the key indicator.

**A target value becomes a collaboration period of measurements.** Each scenario assumes
its target value of every indicator in *every* period of the collaboration period, by the
indicator's frequency: a monthly indicator's value in each month, a quarterly one's in each
quarter, a yearly one's in each year (the target of a quarterly count is a quarter's count,
as its measurements are). That is the steady state the target picture describes, from the
first day, so the scenario is the promise at full strength; the realised figures are
compared with it month for month over the months they cover. An indicator without a target
keeps its baseline (no change assumed); a scenario without its own value (no pessimistic
or optimistic given) uses the likely one. These measurements go to
``arithmetic.compute_benefits`` with the round's parameters, the benefit lines, the
baselines, the recorded costs and the municipality's own hourly cost, over the collaboration
period (``start``/``end``): the same formulas, grid and valuation as the realised figures,
whatever that grid spreads or clips.

Per scenario: **yearly hours** and **yearly gross** = the period's total × 12 ÷ its months;
**FTE** = yearly hours ÷ annual hours; **net** = gross − costs over the period; **payback**
= the month the cumulative net turns positive (``compute_benefits``).

**Switching value.** The key indicator is the target indicator whose 10 % change (1 unit
when its likely value is 0) moves the scenario's net over the period the most. Its switching
value is the value (all other indicators at their likely target) at which the net over the
period is zero. The net is linear in an indicator for every formula of ``+ - *`` and a
division by a parameter, so two evaluations give the line and one more proves it (exactly
zero to the øre); a formula with ``min``/``max`` or a division by the indicator is not, and
then the value is found by bisection on ``compute_benefits`` to four decimals (the
precision values are stored with). Exact Decimal throughout.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from flask import has_app_context
from flask_babel import get_locale

from portal.benefits.calculation.arithmetic import BenefitResult, Cost, Line, compute_benefits
from portal.benefits.calculation.periods import month_start, months_between, period_start

ZERO, TWELVE = Decimal(0), Decimal(12)
STEP_SHARE = Decimal("0.1")  # the 10 % change that names the key indicator
PRECISION = Decimal("0.0001")  # a stored value's four decimals
TOLERANCE = Decimal("0.005")  # half an øre: a net this close to 0 is zero
MAX_HALVINGS = 200
SCENARIO_CACHE = 2048  # scenario results kept per process (three per municipality)


class Scenario(enum.StrEnum):
    PESSIMISTIC = "pessimistic"
    LIKELY = "likely"
    OPTIMISTIC = "optimistic"


class Position(enum.StrEnum):
    """Where the realised figures lie among the three scenarios."""

    BELOW_PESSIMISTIC = "below_pessimistic"
    PESSIMISTIC_TO_LIKELY = "pessimistic_to_likely"
    LIKELY_TO_OPTIMISTIC = "likely_to_optimistic"
    ABOVE_OPTIMISTIC = "above_optimistic"


@dataclass(frozen=True)
class TargetValues:
    """An indicator's target picture: the likely value and, when given, the other two."""

    likely: Decimal
    pessimistic: Decimal | None = None
    optimistic: Decimal | None = None

    def of(self, scenario: Scenario) -> Decimal:
        if scenario == Scenario.PESSIMISTIC and self.pessimistic is not None:
            return self.pessimistic
        if scenario == Scenario.OPTIMISTIC and self.optimistic is not None:
            return self.optimistic
        return self.likely


@dataclass(frozen=True)
class CaseInputs:
    """What a scenario is computed from: the same inputs as the realised benefits, with the
    targets in place of the measurements."""

    parameters: Mapping[str, object]
    lines: Sequence[Line]
    frequencies: Mapping[str, str]
    baselines: Mapping[str, Decimal]
    targets: Mapping[str, TargetValues]
    costs: Sequence[Cost]
    start: date
    end: date
    hourly_cost_override: object = None

    @property
    def months(self) -> int:
        return len(months_between(month_start(self.start), month_start(self.end)))

    def values(self, scenario: Scenario, **override: Decimal) -> dict[str, Decimal]:
        """Each indicator's assumed value: the scenario's target, else the baseline."""
        values = {k: v for k, v in self.baselines.items() if k in self.frequencies}
        values.update({k: t.of(scenario) for k, t in self.targets.items()})
        values.update(override)
        return values

    def compute(self, values: Mapping[str, Decimal]) -> BenefitResult:
        return _computed(
            (
                tuple(sorted((k, str(v)) for k, v in self.parameters.items())),
                tuple(self.lines),
                tuple(sorted(self.frequencies.items())),
                tuple(sorted(self.baselines.items())),
                tuple(sorted(values.items())),
                tuple(self.costs),
                self.start,
                self.end,
                self.hourly_cost_override,
                str(get_locale()) if has_app_context() else "da",
            )
        )


@lru_cache(maxsize=SCENARIO_CACHE)
def _computed(data: tuple) -> BenefitResult:
    """``compute_benefits`` of a scenario remembered by its inputs (and the language of its
    explanations), as ``calculation`` does for the realised figures: a report shown again
    recomputes only the municipalities whose figures changed."""
    parameters, lines, frequencies, baselines, values, costs, start, end, override, _ = data
    frequencies = dict(frequencies)
    return compute_benefits(
        dict(parameters),
        lines,
        dict(baselines),
        measurements_for(dict(values), frequencies, start, end),
        costs,
        hourly_cost_override=override,
        frequencies=frequencies,
        start=start,
        end=end,
    )


def measurements_for(
    values: Mapping[str, Decimal], frequencies: Mapping[str, str], start: date, end: date
) -> dict[date, dict[str, Decimal]]:
    """``values`` in every period of ``start`` – ``end`` by each indicator's frequency
    (the periods' first days, as measurements are stored)."""
    measurements: dict[date, dict[str, Decimal]] = {}
    for month in months_between(month_start(start), month_start(end)):
        for key, value in values.items():
            first = period_start(month, frequencies.get(key, "monthly"))
            measurements.setdefault(first, {})[key] = value
    return measurements


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    values: dict[str, Decimal]
    benefits: BenefitResult
    months: int

    @property
    def yearly_hours(self) -> Decimal:
        return self.benefits.total_hours * TWELVE / self.months

    @property
    def yearly_gross(self) -> Decimal:
        return self.benefits.gross * TWELVE / self.months

    @property
    def fte(self) -> Decimal | None:
        hours = self.benefits.annual_hours
        return self.yearly_hours / hours if hours else None

    @property
    def net(self) -> Decimal:
        return self.benefits.net

    @property
    def payback(self) -> date | None:
        return self.benefits.payback

    def gross_in(self, months: set[date]) -> Decimal:
        return sum((p.gross for p in self.benefits.periods if p.period in months), ZERO)


@dataclass(frozen=True)
class SwitchingValue:
    indicator: str
    likely: Decimal
    value: Decimal | None  # None: the net does not turn zero at any value found
    method: str  # linear | bisection | none


@dataclass(frozen=True)
class Comparison:
    """The realised gross against each scenario's gross over the same months."""

    months: int
    realised: Decimal
    expected: dict[Scenario, Decimal]
    share_of_likely: Decimal | None
    position: Position
    first: date | None = None  # the benefit period compared (``active_periods``)
    last: date | None = None


@dataclass(frozen=True)
class BusinessCase:
    scenarios: tuple[ScenarioResult, ...]
    switching: SwitchingValue | None
    comparison: Comparison | None
    shown: tuple[Scenario, ...] = tuple(Scenario)
    missing: Mapping[Scenario, tuple[str, ...]] = field(default_factory=dict)

    def of(self, scenario: Scenario) -> ScenarioResult:
        return next(s for s in self.scenarios if s.scenario == scenario)

    @property
    def shown_results(self) -> tuple[ScenarioResult, ...]:
        """The scenarios the targets give (see ``given_scenarios``), in order."""
        return tuple(s for s in self.scenarios if s.scenario in self.shown)


def given_scenarios(inputs: CaseInputs) -> tuple[Scenario, ...]:
    """The scenarios the target picture gives, so no report prints rows that only repeat
    another: none without any target (there is nothing to promise), the likely one with a
    target, the pessimistic and the optimistic only where at least one target names its
    value (an indicator without it then counts at its likely value, and ``missing_values``
    says so)."""
    if not inputs.targets:
        return ()
    given = [Scenario.LIKELY]
    if any(t.pessimistic is not None for t in inputs.targets.values()):
        given.insert(0, Scenario.PESSIMISTIC)
    if any(t.optimistic is not None for t in inputs.targets.values()):
        given.append(Scenario.OPTIMISTIC)
    return tuple(given)


def missing_values(inputs: CaseInputs) -> dict[Scenario, tuple[str, ...]]:
    """Per scenario other than the likely one: the target indicators without its value."""
    return {
        scenario: tuple(
            sorted(
                key
                for key, t in inputs.targets.items()
                if (t.pessimistic if scenario == Scenario.PESSIMISTIC else t.optimistic) is None
            )
        )
        for scenario in (Scenario.PESSIMISTIC, Scenario.OPTIMISTIC)
    }


def scenario_results(inputs: CaseInputs) -> tuple[ScenarioResult, ...]:
    return tuple(
        ScenarioResult(s, values := inputs.values(s), inputs.compute(values), inputs.months)
        for s in Scenario
    )


def compare(realised: BenefitResult | None, scenarios: Sequence[ScenarioResult]):
    """The realised gross against each scenario over the months the realised figures cover
    (None before the first)."""
    if realised is None or not realised.active_periods:
        return None
    active = realised.active_periods
    months = {p.period for p in active}
    expected = {s.scenario: s.gross_in(months) for s in scenarios}
    likely = expected[Scenario.LIKELY]
    share = realised.gross / likely if likely else None
    if realised.gross < expected[Scenario.PESSIMISTIC]:
        position = Position.BELOW_PESSIMISTIC
    elif realised.gross < likely:
        position = Position.PESSIMISTIC_TO_LIKELY
    elif realised.gross <= expected[Scenario.OPTIMISTIC]:
        position = Position.LIKELY_TO_OPTIMISTIC
    else:
        position = Position.ABOVE_OPTIMISTIC
    return Comparison(
        len(months), realised.gross, expected, share, position, active[0].period, active[-1].period
    )


def _net(inputs: CaseInputs, key: str, value: Decimal) -> Decimal:
    return inputs.compute(inputs.values(Scenario.LIKELY, **{key: value})).net


def _step(likely: Decimal) -> Decimal:
    return abs(likely) * STEP_SHARE if likely else Decimal(1)


def key_indicator(inputs: CaseInputs) -> str | None:
    """The target indicator whose 10 % change moves the net over the period the most."""
    base = inputs.compute(inputs.values(Scenario.LIKELY)).net
    moves = {
        key: abs(_net(inputs, key, t.likely + _step(t.likely)) - base)
        for key, t in inputs.targets.items()
    }
    moves = {k: m for k, m in moves.items() if m}
    return max(sorted(moves), key=moves.__getitem__) if moves else None


def switching_value(inputs: CaseInputs, key: str | None = None) -> SwitchingValue | None:
    """The value of ``key`` (default: the key indicator) at which the net over the period
    is zero; see the module's docstring."""
    key = key or key_indicator(inputs)
    if key is None:
        return None
    likely = inputs.targets[key].likely
    step = _step(likely)
    f0, f1 = _net(inputs, key, likely), _net(inputs, key, likely + step)
    if f0 == f1:
        return SwitchingValue(key, likely, None, "none")
    guess = likely - f0 * step / (f1 - f0)
    if abs(_net(inputs, key, guess)) <= TOLERANCE:
        return SwitchingValue(key, likely, guess, "linear")
    return SwitchingValue(key, likely, _bisect(inputs, key, likely, guess, f0), "bisection")


def _bisect(inputs: CaseInputs, key: str, likely: Decimal, guess: Decimal, f_likely: Decimal):
    """Widen from the likely value towards the linear guess until the net changes sign,
    then halve the bracket to four decimals (None when no sign change is found)."""
    low, f_low = likely, f_likely
    direction = Decimal(1) if guess > likely else Decimal(-1)
    width = max(abs(guess - likely), _step(likely))
    high = None
    for _ in range(60):
        candidate = likely + direction * width
        f_candidate = _net(inputs, key, candidate)
        if (f_candidate <= 0) != (f_low <= 0) or f_candidate == 0:
            high = candidate
            break
        width *= 2
    if high is None:
        return None
    for _ in range(MAX_HALVINGS):
        if abs(high - low) <= PRECISION:
            break
        middle = (low + high) / 2
        f_middle = _net(inputs, key, middle)
        if (f_middle <= 0) == (f_low <= 0):
            low, f_low = middle, f_middle
        else:
            high = middle
    return ((low + high) / 2).quantize(PRECISION)


def business_case(
    inputs: CaseInputs, realised: BenefitResult | None, *, switching: bool = True
) -> BusinessCase:
    scenarios = scenario_results(inputs)
    return BusinessCase(
        scenarios,
        switching_value(inputs) if switching and inputs.targets else None,
        compare(realised, scenarios) if inputs.targets else None,
        given_scenarios(inputs),
        missing_values(inputs),
    )


def case_inputs(round_, evaluation, model) -> CaseInputs:
    """A participation's inputs from its evaluation (``calculation.evaluate``) and its
    programme's model: no queries."""
    baselines, targets = {}, {}
    for r in evaluation.indicators:
        key = r.indicator.key
        if r.baseline is not None:
            baselines[key] = r.baseline.value
        if r.target is not None:
            targets[key] = TargetValues(r.target.value, r.target.pessimistic, r.target.optimistic)
    return CaseInputs(
        parameters=round_.parameters or {},
        lines=tuple(model.lines),
        frequencies=model.frequencies,
        baselines=baselines,
        targets=targets,
        costs=evaluation.costs,
        start=round_.period_start,
        end=round_.period_end,
        hourly_cost_override=evaluation.hourly_cost_override,
    )
