"""The period grid of the benefit arithmetic (the rule is written in ``arithmetic``'s
docstring): which periods a benefit line is evaluated in, the values a formula reads there,
and how a quarter's or a year's value, or a yearly cost, is spread over its months; with
the plain dataclasses of a line's result (``arithmetic`` re-exports them).

Pure: dates, Decimal and gettext only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal

from flask_babel import gettext as _

from portal.benefits.calculation.periods import (
    MONTHLY,
    QUARTERLY,
    YEARLY,
    add_months,
    month_start,
    months_in,
    period_label,
    period_start,
)
from portal.programmes.formulas import (
    DERIVED_PARAMETERS,
    Formula,
    FormulaError,
    as_decimal,
    evaluate,
)

HOURS, KRONER = "hours", "kroner"
ONE_OFF, YEARLY_COST = "one_off", "yearly"
ORE = Decimal("0.01")  # the grain of a spread part: an øre, or a hundredth of an hour
GRAIN = {MONTHLY: 0, QUARTERLY: 1, YEARLY: 2}


def split_evenly(amount: Decimal, parts: int) -> tuple[Decimal, ...]:
    """``amount`` in ``parts`` parts that add up to it exactly: each part is the amount ÷
    ``parts`` cut down to whole hundredths (toward zero), the last part takes what the
    cutting left. 100 in three: 33.33, 33.33, 33.34."""
    if parts == 1:
        return (amount,)
    share = (amount / parts).quantize(ORE, rounding=ROUND_DOWN)
    return (share,) * (parts - 1) + (amount - share * (parts - 1),)


def months_of(start: date, frequency: str) -> list[date]:
    """The first days of the months of the period that begins on ``start``."""
    return [add_months(start, n) for n in range(months_in(frequency))]


def cost_parts(costs: Sequence) -> dict[date, list[tuple[str, Decimal]]]:
    """Each month's share of the costs, labelled for the explanation: a one-off cost in its
    month, a yearly cost over the 12 months from its date's month (``split_evenly``)."""
    parts: dict[date, list[tuple[str, Decimal]]] = {}
    for cost in costs:
        amount = as_decimal(cost.amount, "amount")
        label = f"{cost.category or _('udgift')} {cost.date.isoformat()}"
        first = month_start(cost.date)
        if cost.kind == YEARLY_COST:
            for n, part in enumerate(split_evenly(amount, 12)):
                parts.setdefault(add_months(first, n), []).append((f"{label} ({n + 1}/12)", part))
        elif cost.kind == ONE_OFF:
            parts.setdefault(first, []).append((label, amount))
        else:
            raise ValueError(f"unknown cost kind {cost.kind!r}")
    return parts


class Values:
    """The values a formula may read in a period: parameters, baselines and measurements
    (a coarser indicator's value lends itself to every month of its period)."""

    def __init__(self, parameters, parameter_names, baselines, measurements, frequencies):
        self.parameters = parameters
        self.parameter_names = frozenset(parameter_names) | DERIVED_PARAMETERS
        self.baselines = {f"baseline.{k}": v for k, v in baselines.items()}
        self.frequencies = {k: getattr(v, "value", v) for k, v in (frequencies or {}).items()}
        self.known_indicators = frozenset(self.frequencies) if frequencies else None
        self.by_indicator: dict[str, dict[date, object]] = {}
        for day in sorted(measurements):
            for key, value in measurements[day].items():
                if value is not None:
                    start = period_start(day, self.frequency(key))
                    self.by_indicator.setdefault(key, {})[start] = value
        self.measured = {day for values in self.by_indicator.values() for day in values}

    def frequency(self, key: str) -> str:
        return self.frequencies.get(key, MONTHLY)

    def indicators(self, formula: Formula) -> frozenset[str]:
        if self.known_indicators is not None:
            return formula.bare_names & self.known_indicators
        return formula.bare_names - self.parameter_names

    def grain(self, formula: Formula) -> str:
        """The finest frequency among the indicators the formula reads (monthly if none)."""
        frequencies = [self.frequency(k) for k in self.indicators(formula)] or [MONTHLY]
        return min(frequencies, key=GRAIN.__getitem__)

    def periods(self, formula: Formula) -> list[date]:
        """The periods a line is evaluated in: those of its grain that hold any measurement
        of the participation."""
        grain = self.grain(formula)
        return sorted({period_start(day, grain) for day in self.measured})

    def at(self, formula: Formula, period: date) -> dict[str, object]:
        values: dict[str, object] = {}
        indicators = self.indicators(formula)
        for name in formula.names:
            if name in self.parameters:
                values[name] = self.parameters[name]
            elif name in self.baselines:
                values[name] = self.baselines[name]
            elif name in indicators:
                found = self.by_indicator.get(name, {})
                values[name] = found.get(period_start(period, self.frequency(name)))
        return values


def spread_note(period: date, frequency: str, index: int) -> str:
    """``1/3 af 4. kvartal 2025``: which part of its period a month's value is."""
    return _(
        "%(part)d/%(parts)d af %(period)s",
        part=index + 1,
        parts=months_in(frequency),
        period=period_label(period, frequency),
    )


@dataclass(frozen=True)
class Line:
    """A benefit line: ``kind`` is ``hours`` (valued at the hourly cost) or ``kroner``."""

    key: str
    kind: str
    formula: Formula
    name: str = ""


@dataclass(frozen=True)
class Explanation:
    """How a figure was computed: the formula, the inputs it used (``None``: missing) and
    the result (``None``: not computed)."""

    formula: str
    inputs: tuple[tuple[str, Decimal | None], ...] = ()
    result: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class Flag:
    """Why a figure is missing: ``kind`` is ``missing``, ``division_by_zero``, ``error`` or
    ``no_hourly_cost``; ``names`` the missing names or the zero divisor."""

    period: date
    line: str
    kind: str
    names: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class LineResult:
    """One line in one period: ``amount`` is the formula's value (hours or kroner),
    ``kroner`` the value in kroner; both ``None`` when the period is flagged."""

    key: str
    kind: str
    amount: Decimal | None
    kroner: Decimal | None
    explanation: Explanation
    valuation: Explanation | None = None  # hours × hourly_cost, for hours lines
    flag: Flag | None = None
    share: Explanation | None = None  # this month's part of a quarter's or a year's value

    @property
    def hours(self) -> Decimal | None:
        return self.amount if self.kind == HOURS else None


def decimal_or_none(value, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return as_decimal(value, name)
    except FormulaError:
        return None


def line_result(
    line: Line, month: date, values: dict[str, object], rate: Decimal | None
) -> LineResult:
    inputs = tuple(
        (name, decimal_or_none(values.get(name), name)) for name in sorted(line.formula.names)
    )
    try:
        amount = evaluate(line.formula, values)
    except FormulaError as error:
        flag = Flag(month, line.key, error.kind, error.names, error.reason)
        return LineResult(
            line.key, line.kind, None, None, Explanation(line.formula.text, inputs), flag=flag
        )
    explanation = Explanation(line.formula.text, inputs, amount)
    if line.kind != HOURS:
        return LineResult(line.key, line.kind, amount, amount, explanation)
    if rate is None:
        flag = Flag(
            month,
            line.key,
            "no_hourly_cost",
            ("hourly_cost",),
            _("timeprisen kan ikke beregnes (mangler annual_cost eller annual_hours)"),
        )
        valuation = Explanation("hours * hourly_cost", (("hours", amount), ("hourly_cost", None)))
        return LineResult(line.key, line.kind, amount, None, explanation, valuation, flag)
    kroner = amount * rate
    valuation = Explanation(
        "hours * hourly_cost", (("hours", amount), ("hourly_cost", rate)), kroner
    )
    return LineResult(line.key, line.kind, amount, kroner, explanation, valuation)


def spread(result: LineResult, period: date, grain: str) -> dict[date, LineResult]:
    """A period's result on the months of the period (see the module's docstring)."""
    months = months_of(period, grain)
    if len(months) == 1 or result.flag is not None:
        return {period: result}
    amounts = split_evenly(result.amount, len(months))
    kroner = split_evenly(result.kroner, len(months)) if result.kroner is not None else None
    spread = {}
    for n, month in enumerate(months):
        share = Explanation(
            f"{result.key} / {len(months)}",
            ((result.key, result.amount),),
            amounts[n],
            spread_note(period, grain, n),
        )
        spread[month] = replace(
            result, amount=amounts[n], kroner=kroner[n] if kroner else None, share=share
        )
    return spread


def line_grid(lines, values: Values, rate) -> dict[date, dict[str, LineResult]]:
    """Every line evaluated once per period of its grain and spread over the months."""
    grid: dict[date, dict[str, LineResult]] = {}
    for line in lines:
        grain = values.grain(line.formula)
        for period in values.periods(line.formula):
            result = line_result(line, period, values.at(line.formula, period), rate)
            for month, part in spread(result, period, grain).items():
                grid.setdefault(month, {})[line.key] = part
    return grid
