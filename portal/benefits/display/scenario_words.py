"""The scenario business case in words, wherever it is shown (the progress reports and the
municipality's dashboard): the scenarios' names, the realised figures against them, the
scenario values the target picture lacks; and the small summary the dashboard shows
(``scenario_summary``), computed with ``benefits.scenarios``."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.benefits.calculation import Evaluation
from portal.benefits.calculation.loading import programme_models
from portal.benefits.calculation.scenarios import (
    BusinessCase,
    Comparison,
    Position,
    Scenario,
    ScenarioResult,
    business_case,
    case_inputs,
)
from portal.benefits.display import payback_text
from portal.i18n import local_date, localized, number

HUNDRED = 100


def month_text(day) -> str:
    return local_date(day, "MMMM yyyy") if day else "–"


def percent_text(value) -> str:
    return "–" if value is None else f"{number(value * HUNDRED, 0)}\u00a0%"


def scenario_label(scenario: Scenario) -> str:
    return {
        Scenario.PESSIMISTIC: _("Pessimistisk"),
        Scenario.LIKELY: _("Sandsynligt"),
        Scenario.OPTIMISTIC: _("Optimistisk"),
    }[scenario]


def _position_text(position: Position) -> str:
    return {
        Position.BELOW_PESSIMISTIC: _("under det pessimistiske"),
        Position.PESSIMISTIC_TO_LIKELY: _("over det pessimistiske"),
        Position.LIKELY_TO_OPTIMISTIC: _("over det sandsynlige"),
        Position.ABOVE_OPTIMISTIC: _("over det optimistiske"),
    }[position]


def comparison_text(comparison: Comparison | None, shown=tuple(Scenario)) -> str:
    """ "Realiseret 62 % af det sandsynlige scenarie; over det pessimistiske" (a scenario the
    targets do not give is not named)."""
    if comparison is None:
        return _("Der er ingen realiserede gevinster at sammenligne med endnu.")
    if comparison.share_of_likely is None:
        return _("Det sandsynlige scenarie giver ingen gevinst i de målte måneder.")
    position = comparison.position
    below = (Position.BELOW_PESSIMISTIC, Position.PESSIMISTIC_TO_LIKELY)
    if Scenario.PESSIMISTIC not in shown and position in below:
        text = _("under det sandsynlige")
    elif Scenario.OPTIMISTIC not in shown and position == Position.ABOVE_OPTIMISTIC:
        text = _position_text(Position.LIKELY_TO_OPTIMISTIC)
    else:
        text = _position_text(position)
    return _(
        "Realiseret %(share)s af det sandsynlige scenarie over %(months)d måneder"
        " (%(first)s – %(last)s); %(position)s.",
        share=percent_text(comparison.share_of_likely),
        months=comparison.months,
        first=month_text(comparison.first),
        last=month_text(comparison.last),
        position=text,
    )


NO_TARGET_TEXT = _l(
    "Der er intet målbillede, så der er ingen scenarier: et scenarie regner med målbilledets"
    " værdier."
)


def missing_text(case: BusinessCase, names: dict[str, str]) -> str:
    """One sentence per scenario value the target picture lacks ("" when none lacks)."""
    parts = []
    for scenario in (Scenario.PESSIMISTIC, Scenario.OPTIMISTIC):
        keys = case.missing.get(scenario, ())
        if not keys:
            continue
        if scenario not in case.shown:
            parts.append(
                _(
                    "Målbilledet har ingen pessimistiske værdier, så der er intet pessimistisk scenarie."
                )
                if scenario == Scenario.PESSIMISTIC
                else _(
                    "Målbilledet har ingen optimistiske værdier, så der er intet optimistisk scenarie."
                )
            )
            continue
        indicators = ", ".join(names.get(k, k) for k in keys)
        parts.append(
            _(
                "Uden pessimistisk værdi (regnet med den sandsynlige): %(indicators)s.",
                indicators=indicators,
            )
            if scenario == Scenario.PESSIMISTIC
            else _(
                "Uden optimistisk værdi (regnet med den sandsynlige): %(indicators)s.",
                indicators=indicators,
            )
        )
    return " ".join(parts)


@dataclass(frozen=True)
class ScenarioSummary:
    """What the dashboard shows of the business case: the scenarios the targets give (none
    without a target), the realised figures against them, what the targets lack."""

    rows: tuple[ScenarioResult, ...]
    labels: dict
    paybacks: dict
    comparison: str
    missing: str
    no_target: str = ""


def scenario_summary(round_, evaluation: Evaluation, model=None) -> ScenarioSummary:
    """The municipality's scenario business case for its dashboard, from the same
    ``business_case`` as the report (without the switching value: the report has it)."""
    if model is None:
        model = programme_models([round_.programme_id])[round_.programme_id]
    case = business_case(
        case_inputs(round_, evaluation, model), evaluation.benefits, switching=False
    )
    if not case.shown:
        return ScenarioSummary((), {}, {}, "", "", str(NO_TARGET_TEXT))
    names = {r.indicator.key: localized(r.indicator, "name") for r in evaluation.indicators}
    rows = case.shown_results
    return ScenarioSummary(
        rows,
        {s.scenario: scenario_label(s.scenario) for s in rows},
        {s.scenario: payback_text(s.benefits) for s in rows},
        comparison_text(case.comparison, case.shown),
        missing_text(case, names),
    )
