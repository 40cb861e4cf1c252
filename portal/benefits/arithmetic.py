"""The benefit arithmetic of one participation, on plain data (DESIGN "Benefit arithmetic",
seed 004, the Danish business-case practice).

Everything is Decimal and nothing is rounded here (but a yearly cost's monthly parts, in
whole øre): rounding is for display only. Every
figure comes with an ``Explanation`` (the formula and the inputs it used) so a page can show
how it was computed.

The rules, in the order they are applied:

- **Hourly cost** = ``annual_cost / annual_hours`` of the round, unless the participation
  overrides it with its own.
- **A benefit line** is evaluated for each period that has measurements (a measurement's
  date names its period by the first day of its month, quarter or year), at the grain of
  the finest indicator it reads: a line of monthly indicators in every month with any
  measurement of the participation, a line of quarterly ones once per such quarter. A
  coarser indicator (say quarterly, read next to a monthly one) lends its value to every
  month of its period. A period where a value the formula needs is missing, or where it
  divides by zero, contributes nothing and is flagged (``Flag``) with the names missing.
- **Hours lines** are valued at the hourly cost; **kroner lines** count as they are.
- **FTE freed** in a month = the hours of the 12 months ending with it ÷ ``annual_hours``.
- **Costs**: a one-off cost counts in its month. A yearly cost is *one year's* cost (record
  one per year): it is spread over the 12 months from its date's month in whole øre, the
  last month taking what division left, so the twelve parts add up to the amount exactly.
- **Gross** = the valued lines of a month, **net** = gross − costs, **cumulative net** runs
  over the months, and the **payback month** is the first month whose cumulative net is
  ≥ 0 after an earlier month's was negative (``None`` if that has not happened — also when
  the cumulative net never was negative).

The timeline is every month from the first to the last month with a measurement or a cost
(a yearly cost's later months only when ``end`` reaches them); ``start`` and ``end`` clip or
extend it (e.g. to the round's period, or up to today).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from flask_babel import gettext as _

from portal.benefits.formulas import (
    DERIVED_PARAMETERS,
    Formula,
    FormulaError,
    as_decimal,
    evaluate,
)
from portal.benefits.periods import (
    MONTHLY,
    QUARTERLY,
    add_months,
    month_start,
    months_between,
    period_start,
)
from portal.benefits.periods import YEARLY as YEARLY_FREQUENCY

HOURS, KRONER = "hours", "kroner"
ONE_OFF, YEARLY = "one_off", "yearly"
ZERO = Decimal(0)
ORE = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    """A benefit line: ``kind`` is ``hours`` (valued at the hourly cost) or ``kroner``."""

    key: str
    kind: str
    formula: Formula
    name: str = ""


@dataclass(frozen=True)
class Cost:
    """A cost of the participation; ``kind`` is ``one_off`` or ``yearly`` (one year's cost)."""

    date: date
    amount: Decimal
    kind: str = ONE_OFF
    category: str = ""


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

    @property
    def hours(self) -> Decimal | None:
        return self.amount if self.kind == HOURS else None


@dataclass(frozen=True)
class PeriodResult:
    period: date  # the first day of the month
    lines: tuple[LineResult, ...]
    hours: Decimal
    gross: Decimal
    costs: Decimal
    net: Decimal
    cumulative_net: Decimal
    hours_12m: Decimal
    fte_12m: Decimal | None
    explanations: Mapping[str, Explanation]  # hours, gross, costs, net, cumulative_net, fte_12m

    @property
    def flags(self) -> list[Flag]:
        return [line.flag for line in self.lines if line.flag]


@dataclass(frozen=True)
class BenefitResult:
    periods: tuple[PeriodResult, ...]
    hourly_cost: Decimal | None
    annual_hours: Decimal | None
    total_hours: Decimal
    gross: Decimal
    costs: Decimal
    net: Decimal
    line_amounts: Mapping[str, Decimal]  # per line: hours or kroner, summed
    line_kroner: Mapping[str, Decimal]
    fte_12m: Decimal | None  # of the last month
    payback: date | None
    explanations: Mapping[str, Explanation]  # hourly_cost, gross, costs, net, total_hours
    flags: tuple[Flag, ...] = field(default=())

    def period(self, day: date) -> PeriodResult | None:
        wanted = month_start(day)
        return next((p for p in self.periods if p.period == wanted), None)


def _decimal_or_none(value, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return as_decimal(value, name)
    except FormulaError:
        return None


def hourly_cost(
    parameters: Mapping[str, object], override: object = None
) -> tuple[Decimal | None, Explanation]:
    """The hourly cost and how it came about: the participation's own, or annual_cost ÷
    annual_hours (``None`` when either is missing or annual_hours is 0)."""
    own = _decimal_or_none(override, "hourly_cost")
    if own is not None:
        return own, Explanation(
            "hourly_cost", (("hourly_cost", own),), own, _("kommunens egen timepris")
        )
    cost = _decimal_or_none(parameters.get("annual_cost"), "annual_cost")
    hours = _decimal_or_none(parameters.get("annual_hours"), "annual_hours")
    result = cost / hours if cost is not None and hours else None
    return result, Explanation(
        "annual_cost / annual_hours", (("annual_cost", cost), ("annual_hours", hours)), result
    )


_GRAIN = {MONTHLY: 0, QUARTERLY: 1, YEARLY_FREQUENCY: 2}


class _Values:
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

    def periods(self, formula: Formula) -> set[date]:
        """The periods a line is evaluated in: those of its finest indicator's frequency
        that hold any measurement (months for a line reading no indicator)."""
        frequencies = [self.frequency(k) for k in self.indicators(formula)] or [MONTHLY]
        grain = min(frequencies, key=_GRAIN.__getitem__)
        return {period_start(day, grain) for day in self.measured}

    def at(self, formula: Formula, month: date) -> dict[str, object]:
        values: dict[str, object] = {}
        indicators = self.indicators(formula)
        for name in formula.names:
            if name in self.parameters:
                values[name] = self.parameters[name]
            elif name in self.baselines:
                values[name] = self.baselines[name]
            elif name in indicators:
                found = self.by_indicator.get(name, {})
                values[name] = found.get(period_start(month, self.frequency(name)))
        return values


def _line_result(
    line: Line, month: date, values: dict[str, object], rate: Decimal | None
) -> LineResult:
    inputs = tuple(
        (name, _decimal_or_none(values.get(name), name)) for name in sorted(line.formula.names)
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


def _cost_parts(costs: Sequence[Cost]) -> dict[date, list[tuple[str, Decimal]]]:
    """Each month's share of the costs, labelled for the explanation."""
    parts: dict[date, list[tuple[str, Decimal]]] = {}
    for cost in costs:
        amount = as_decimal(cost.amount, "amount")
        label = f"{cost.category or _('udgift')} {cost.date.isoformat()}"
        first = month_start(cost.date)
        if cost.kind == YEARLY:
            share = (amount / 12).quantize(ORE, rounding=ROUND_DOWN)
            for n in range(12):
                part = share if n < 11 else amount - share * 11
                parts.setdefault(add_months(first, n), []).append((f"{label} ({n + 1}/12)", part))
        elif cost.kind == ONE_OFF:
            parts.setdefault(first, []).append((label, amount))
        else:
            raise ValueError(f"unknown cost kind {cost.kind!r}")
    return parts


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def compute_benefits(
    parameters: Mapping[str, object],
    lines: Sequence[Line],
    baselines: Mapping[str, object],
    measurements: Mapping[date, Mapping[str, object]],
    costs: Sequence[Cost] = (),
    *,
    hourly_cost_override: object = None,
    frequencies: Mapping[str, str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> BenefitResult:
    """Per month: each line's value, hours, FTE over 12 months, gross, costs, net and
    cumulative net; the totals and the payback month. See the module's docstring.

    ``parameters``: the round's (``annual_cost``, ``annual_hours``, ``km_rate`` …; decimal
    strings as stored are fine); ``baselines``: indicator key → value; ``measurements``:
    period's first day → {indicator key: value}; ``frequencies``: the programme's indicator
    keys → ``monthly``/``quarterly``/``yearly``. When given, a formula name that is neither
    one of them nor a parameter of this round is flagged missing; when left out, every
    name that is not a parameter counts as a monthly indicator.
    """
    params = {
        name: value
        for name, value in parameters.items()
        if name not in DERIVED_PARAMETERS and _decimal_or_none(value, name) is not None
    }
    rate, rate_explanation = hourly_cost(params, hourly_cost_override)
    if rate is not None:
        params["hourly_cost"] = rate
    annual_hours = _decimal_or_none(params.get("annual_hours"), "annual_hours")
    values = _Values(params, parameters, baselines, measurements, frequencies)
    cost_parts = _cost_parts(costs)

    line_months = {line.key: values.periods(line.formula) for line in lines}
    marked = set().union(*line_months.values(), {month_start(c.date) for c in costs})
    if not marked and (start is None or end is None):
        return _totals([], lines, rate, annual_hours, rate_explanation, None)
    first = month_start(start) if start else min(marked)
    last = month_start(end) if end else max(marked)

    periods: list[PeriodResult] = []
    hours_by_month: dict[date, Decimal] = {}
    cumulative = ZERO
    was_negative = False
    payback = None
    for month in months_between(first, last):
        results = tuple(
            _line_result(line, month, values.at(line.formula, month), rate)
            for line in lines
            if month in line_months[line.key]
        )
        hours = _sum(r.amount for r in results if r.kind == HOURS and r.amount is not None)
        hours_by_month[month] = hours
        valued = [(r.key, r.kroner) for r in results if r.kroner is not None]
        gross = _sum(k for _key, k in valued)
        parts = cost_parts.get(month, [])
        month_costs = _sum(p for _label, p in parts)
        net = gross - month_costs
        previous = cumulative
        cumulative += net
        if payback is None and was_negative and cumulative >= 0:
            payback = month
        was_negative = was_negative or cumulative < 0
        window = add_months(month, -11)
        hours_12m = _sum(h for m, h in hours_by_month.items() if window <= m <= month)
        fte = hours_12m / annual_hours if annual_hours else None
        explanations = {
            "hours": Explanation(
                " + ".join(r.key for r in results if r.kind == HOURS) or "0",
                tuple((r.key, r.amount) for r in results if r.kind == HOURS),
                hours,
            ),
            "gross": Explanation(" + ".join(k for k, _v in valued) or "0", tuple(valued), gross),
            "costs": Explanation(
                " + ".join(f"[{p[0]}]" for p in parts) or "0", tuple(parts), month_costs
            ),
            "net": Explanation("gross - costs", (("gross", gross), ("costs", month_costs)), net),
            "cumulative_net": Explanation(
                "previous cumulative_net + net",
                (("previous cumulative_net", previous), ("net", net)),
                cumulative,
            ),
            "fte_12m": Explanation(
                "hours_12m / annual_hours",
                (("hours_12m", hours_12m), ("annual_hours", annual_hours)),
                fte,
                f"{window.isoformat()} – {month.isoformat()}",
            ),
        }
        periods.append(
            PeriodResult(
                month,
                results,
                hours,
                gross,
                month_costs,
                net,
                cumulative,
                hours_12m,
                fte,
                explanations,
            )
        )
    return _totals(periods, lines, rate, annual_hours, rate_explanation, payback)


def _totals(periods, lines, rate, annual_hours, rate_explanation, payback) -> BenefitResult:
    amounts = {line.key: ZERO for line in lines}
    kroner = {line.key: ZERO for line in lines}
    for period in periods:
        for result in period.lines:
            if result.amount is not None:
                amounts[result.key] += result.amount
            if result.kroner is not None:
                kroner[result.key] += result.kroner
    gross = _sum(p.gross for p in periods)
    costs = _sum(p.costs for p in periods)
    total_hours = _sum(p.hours for p in periods)
    explanations = {
        "hourly_cost": rate_explanation,
        "total_hours": Explanation(
            " + ".join(k for k in amounts if _kind(lines, k) == HOURS) or "0",
            tuple((k, v) for k, v in amounts.items() if _kind(lines, k) == HOURS),
            total_hours,
        ),
        "gross": Explanation(" + ".join(kroner) or "0", tuple(kroner.items()), gross),
        "costs": Explanation(
            "Σ costs", tuple((p.period.isoformat(), p.costs) for p in periods if p.costs), costs
        ),
        "net": Explanation("gross - costs", (("gross", gross), ("costs", costs)), gross - costs),
    }
    return BenefitResult(
        periods=tuple(periods),
        hourly_cost=rate,
        annual_hours=annual_hours,
        total_hours=total_hours,
        gross=gross,
        costs=costs,
        net=gross - costs,
        line_amounts=amounts,
        line_kroner=kroner,
        fte_12m=periods[-1].fte_12m if periods else None,
        payback=payback,
        explanations=explanations,
        flags=tuple(flag for p in periods for flag in p.flags),
    )


def _kind(lines: Sequence[Line], key: str) -> str:
    return next(line.kind for line in lines if line.key == key)
