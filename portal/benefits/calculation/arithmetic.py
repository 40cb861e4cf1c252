"""The benefit arithmetic of one participation, on plain data (DESIGN "Benefit arithmetic",
seed 004, the Danish business-case practice).

Everything is Decimal and nothing is rounded here but the parts of a value spread over
months (below): rounding is for display only. Every figure comes with an ``Explanation``
(the formula and the inputs it used) so a page can show how it was computed.

**One period grid.** Everything lands on a grid of calendar months:

- A measurement's date names its period by the first day of its month, quarter or year
  (the indicator's frequency). **A benefit line** is evaluated once per period of its
  *grain*, the finest frequency among the indicators it reads (monthly for a line reading
  none), in each such period that holds any measurement of the participation; a coarser
  indicator read next to a finer one lends its value to every month of its period (minutes
  saved measured per quarter, visits counted per month: each month's visits × the quarter's
  minutes).
- **A value for a quarter or a year covers every month of that period, spread evenly**,
  exactly as a yearly cost is: the value ÷ 3 (or ÷ 12) cut down to whole hundredths (øre,
  or hundredths of an hour) toward zero, the period's last month taking what the cutting
  left, so the months add up to the period's value exactly (1.000 hours in a quarter:
  333,33 + 333,33 + 333,34). Hours and their kroner are spread alike.
- A period where a value the formula needs is missing, or where it divides by zero,
  contributes nothing and is flagged (``Flag``) once, in the period's first month.
- **Costs**: a one-off cost counts in its month. A yearly cost is *one year's* cost (record
  one per year), spread over the 12 months from its date's month by the same rule.
- **The timeline** runs from the first to the last month holding a line's value (every
  month of a spread period), a flag or a cost (a yearly cost's later months only when the
  timeline reaches them): it runs to the end of the last measured period, so a year
  measured in full counts that year's costs in full. ``start`` and ``end`` clip or extend
  it (e.g. to the round's period, as the scenarios do); ``within`` only clips it to the
  round's period (the realised figures: nothing before the collaboration began, nothing
  after it ended, and no month added that nothing was measured in).

On that grid, month by month:

- **Hourly cost** = ``annual_cost / annual_hours`` of the round, unless the participation
  overrides it with its own; **hours lines** are valued at it, **kroner lines** count as
  they are.
- **Gross** = the valued lines of a month, **net** = gross − costs, **cumulative net** runs
  over the months, and the **payback month** is the first month whose cumulative net is
  ≥ 0 after an earlier month's was negative (``None`` if that has not happened — also when
  the cumulative net never was negative).
- **FTE freed** in a month = the hours of the 12 months ending with it ÷ ``annual_hours``:
  a year's hours measured as one yearly value count in full at the year's last month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal.benefits.calculation.grid import (  # noqa: F401  (the dataclasses are part of this API)
    HOURS,
    KRONER,
    ONE_OFF,
    Explanation,
    Flag,
    Line,
    LineResult,
    Values,
    cost_parts,
    decimal_or_none,
    line_grid,
)
from portal.benefits.calculation.periods import add_months, month_start, months_between
from portal.programmes.formulas import DERIVED_PARAMETERS

ZERO = Decimal(0)


@dataclass(frozen=True)
class Cost:
    """A cost of the participation; ``kind`` is ``one_off`` or ``yearly`` (one year's cost)."""

    date: date
    amount: Decimal
    kind: str = ONE_OFF
    category: str = ""


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

    @property
    def active_periods(self) -> tuple[PeriodResult, ...]:
        """The benefit period as every page, report and scenario says it: from the first
        month with any hours, kroner or costs to the last month of the timeline (a yearly
        indicator's period can start the timeline months before anything happens)."""
        periods = list(self.periods)
        while periods and not (periods[0].hours or periods[0].gross or periods[0].costs):
            periods.pop(0)
        return tuple(periods)

    @property
    def paid_from_start(self) -> bool:
        """No payback month because nothing needed paying back: the cumulative net was never
        negative and ends positive (the words must then not say "not reached")."""
        return (
            self.payback is None
            and bool(self.periods)
            and self.net > 0
            and all(p.cumulative_net >= 0 for p in self.periods)
        )


def hourly_cost(
    parameters: Mapping[str, object], override: object = None
) -> tuple[Decimal | None, Explanation]:
    """The hourly cost and how it came about: the participation's own, or annual_cost ÷
    annual_hours (``None`` when either is missing or annual_hours is 0)."""
    own = decimal_or_none(override, "hourly_cost")
    if own is not None:
        return own, Explanation(
            "hourly_cost", (("hourly_cost", own),), own, _("kommunens egen timepris")
        )
    cost = decimal_or_none(parameters.get("annual_cost"), "annual_cost")
    hours = decimal_or_none(parameters.get("annual_hours"), "annual_hours")
    result = cost / hours if cost is not None and hours else None
    return result, Explanation(
        "annual_cost / annual_hours", (("annual_cost", cost), ("annual_hours", hours)), result
    )


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
    within: tuple[date, date] | None = None,
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
        if name not in DERIVED_PARAMETERS and decimal_or_none(value, name) is not None
    }
    rate, rate_explanation = hourly_cost(params, hourly_cost_override)
    if rate is not None:
        params["hourly_cost"] = rate
    annual_hours = decimal_or_none(params.get("annual_hours"), "annual_hours")
    values = Values(params, parameters, baselines, measurements, frequencies)
    costs_by_month = cost_parts(costs)
    grid = line_grid(lines, values, rate)
    marked = set(grid) | {month_start(c.date) for c in costs}
    if not marked and (start is None or end is None):
        return _totals([], lines, rate, annual_hours, rate_explanation, None)
    first = month_start(start) if start else min(marked)
    last = month_start(end) if end else max(marked)
    if within is not None:
        # Clipped to the collaboration's period, never extended: a yearly value of the year
        # the period began in counts only its months from the start (issue 21: no benefit
        # period, and no missing value, before the collaboration began).
        first, last = max(first, month_start(within[0])), min(last, month_start(within[1]))

    periods: list[PeriodResult] = []
    hours_by_month: dict[date, Decimal] = {}
    cumulative = ZERO
    for month in months_between(first, last):
        here = grid.get(month, {})
        results = tuple(here[line.key] for line in lines if line.key in here)
        hours = _sum(r.amount for r in results if r.kind == HOURS and r.amount is not None)
        hours_by_month[month] = hours
        valued = [(r.key, r.kroner) for r in results if r.kroner is not None]
        gross = _sum(k for _key, k in valued)
        parts = costs_by_month.get(month, [])
        month_costs = _sum(p for _label, p in parts)
        net = gross - month_costs
        previous = cumulative
        cumulative += net
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
    payback = payback_month((p.period, p.net) for p in periods)
    return _totals(periods, lines, rate, annual_hours, rate_explanation, payback)


def payback_month(nets: Iterable[tuple[date, Decimal]]) -> date | None:
    """The first month whose cumulative net is zero or more after it was negative (``None``
    when it never turns): of one participation's months, or of several participations' nets
    added up month by month (a round's key figures)."""
    by_month: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for month, net in nets:
        by_month[month] += net
    cumulative, was_negative = ZERO, False
    for month in sorted(by_month):
        cumulative += by_month[month]
        if was_negative and cumulative >= 0:
            return month
        was_negative = was_negative or cumulative < 0
    return None


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
