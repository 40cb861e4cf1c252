"""What was promised against what was delivered, in the progress report: the approved
target picture and its changes with their reasons (``benefits.freeze``), the three scenarios
and the switching value (``benefits.scenarios``), and how much rests on marked figures
(``benefits.quality``). Sections of plain values, so the page, the PDF, the workbook and
the CSV all carry them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.benefits.calculation import Evaluation, IndicatorResult, quality
from portal.benefits.calculation.scenarios import (
    BusinessCase,
    Scenario,
    ScenarioResult,
    business_case,
    case_inputs,
)
from portal.benefits.display import payback_text
from portal.benefits.display.scenario_words import (
    NO_TARGET_TEXT,
    comparison_text,
    missing_text,
    scenario_label,
)
from portal.benefits.recording import freeze
from portal.i18n import localized, long_date
from portal.programmes.models import Round
from portal.reports.formatting import decimal_text
from portal.reports.model import Column, Kind, Section, Table
from portal.reports.progress_follow_up import follow_up_table
from portal.reports.progress_tables import (
    indicator_title,
    kroner,
    percent_text,
    rounded,
    sheet,
)

ZERO = Decimal(0)


def switching_text(case: BusinessCase, evaluation: Evaluation) -> str:
    s = case.switching
    if s is None:
        return _("Der er ingen målbilleder, som gevinsten afhænger af.")
    info = next(r.indicator for r in evaluation.indicators if r.indicator.key == s.indicator)
    if s.value is None:
        return _(
            "Følsomhed: nettogevinsten over perioden bliver ikke nul for nogen værdi af"
            " %(indicator)s.",
            indicator=localized(info, "name"),
        )
    return _(
        "Følsomhed: %(indicator)s betyder mest. Nettogevinsten over perioden er nul, når"
        " værdien er %(value)s %(unit)s (skiftværdien; målbilledet er %(likely)s).",
        indicator=localized(info, "name"),
        value=decimal_text(s.value, 2),
        unit=info.unit,
        likely=decimal_text(s.likely, 2),
    )


def _scenario_columns(first: str) -> list[Column]:
    return [
        Column(first),
        Column(_("Timer pr. år"), Kind.DECIMAL, 0),
        Column(_("Årsværk"), Kind.DECIMAL, 2),
        Column(_("Brutto pr. år"), Kind.MONEY),
        Column(_("Netto over perioden"), Kind.MONEY),
    ]


def _scenario_values(s: ScenarioResult) -> list:
    return [
        rounded(s.yearly_hours, 0),
        rounded(s.fte, 2),
        kroner(s.yearly_gross),
        kroner(s.net),
    ]


def scenario_section(round_: Round, evaluation: Evaluation, model) -> Section:
    """A municipality's scenarios (those its targets give), realised against them, and the
    switching value; without a target, one sentence instead of rows of zeros."""
    case = business_case(case_inputs(round_, evaluation, model), evaluation.benefits)
    title = _("Scenarier og følsomhed")
    if not case.shown:
        return Section(title, paragraphs=[str(NO_TARGET_TEXT)])
    table = Table(
        _("Scenarier"),
        [*_scenario_columns(_("Scenarie")), Column(_("Tilbagebetaling"))],
        short_title=_("Scenarier"),
        note=_(
            "Hvert scenarie antager målbilledets værdi i hver periode af forløbet og regnes"
            " med de samme formler, parametre og omkostninger som de realiserede tal."
        ),
    )
    for s in case.shown_results:
        table.add(scenario_label(s.scenario), *_scenario_values(s), payback_text(s.benefits))
    names = {r.indicator.key: localized(r.indicator, "name") for r in evaluation.indicators}
    paragraphs = [
        comparison_text(case.comparison, case.shown),
        switching_text(case, evaluation),
    ]
    if missing := missing_text(case, names):
        paragraphs.append(missing)
    return Section(title, paragraphs=paragraphs, tables=[table])


# --- the target picture ----------------------------------------------------------------------


def picture_section(
    evaluation: Evaluation, histories: dict, approved_at: datetime | None
) -> Section:
    """The approved target picture and every change since, with progress against the
    approved and the current target where they differ."""
    if approved_at is None:
        return Section(
            _("Målbillede"),
            paragraphs=[_("Basislinje og målbillede er ikke godkendt af koordinatoren endnu.")],
        )
    table = Table(
        _("Godkendt og nuværende målbillede"),
        [
            Column(_("Indikator")),
            Column(_("Godkendt mål"), Kind.DECIMAL, 2),
            Column(_("Nuværende mål"), Kind.DECIMAL, 2),
            Column(_("Fremdrift mod godkendt mål"), Kind.PERCENT, 0),
            Column(_("Fremdrift mod nuværende mål"), Kind.PERCENT, 0),
            Column(_("Ændringer")),
        ],
        short_title=_("Målbillede"),
        empty_text=_("Ingen mål eller basislinjer er ændret siden godkendelsen."),
    )
    changes = freeze.target_changes(evaluation, histories)
    for r in evaluation.indicators:
        change = changes.get(r.indicator.key)
        if change is None:
            continue
        target = change.history
        table.add(
            indicator_title(r.indicator),
            target.original if target else None,
            target.current if target else None,
            rounded(change.against_original, 4),
            rounded(change.against_current, 4),
            "; ".join(change.texts),
        )
    return Section(
        _("Målbillede"),
        paragraphs=[
            _(
                "Basislinje og målbillede blev godkendt %(date)s. Ændringer siden da står med"
                " dato og begrundelse; det godkendte står fortsat.",
                date=long_date(approved_at),
            )
        ],
        tables=[table],
    )


def quality_note(evaluations: Sequence[Evaluation]) -> str:
    """The legend of the marks used, and how many municipalities' figures carry one."""
    marks = {q for e in evaluations for r in e.indicators for q in r.qualities}
    if not marks:
        return ""
    marked = sum(e.marked for e in evaluations)
    return f"{quality.legend(marks)}. {quality.marked_share_text(marked, len(evaluations))}"


def quality_text(result: IndicatorResult) -> str:
    """The marks of an indicator's figures for a table cell: "s (basislinje), f (seneste)"."""
    parts = []
    for label, point in (
        (_("basislinje"), result.baseline),
        (_("mål"), result.target),
        (_("seneste"), result.latest),
    ):
        if point is not None and point.quality:
            parts.append(f"{quality.mark(point.quality)} ({label})")
    return ", ".join(parts)


# --- several municipalities ------------------------------------------------------------------


@dataclass
class Promised:
    """A round's promises added up: each scenario's sums, the changed targets, the marks."""

    scenarios: dict[Scenario, list[ScenarioResult]]
    realised_gross: Decimal
    expected_gross: dict[Scenario, Decimal]
    lowered: int
    raised: int
    rebaselined: int
    marked: int
    municipalities: int
    shown: set  # the scenarios any municipality's targets give
    without_target: int = 0  # municipalities with no target: in no scenario's sum
    # each scenario's (yearly hours, FTE, yearly gross, net) added up; from a stored round
    # summary (``promised_json``), in place of ``scenarios``
    sums: dict[Scenario, tuple[Decimal, Decimal, Decimal, Decimal]] | None = None

    def scenario_sums(self, s: Scenario) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        if self.sums is not None:
            return self.sums.get(s, (ZERO, ZERO, ZERO, ZERO))
        results = self.scenarios[s]
        return (
            sum((r.yearly_hours for r in results), ZERO),
            sum((r.fte or ZERO for r in results), ZERO),
            sum((r.yearly_gross for r in results), ZERO),
            sum((r.net for r in results), ZERO),
        )


def promised(round_: Round, evaluations: Sequence[Evaluation], model) -> Promised:
    """One query (the versions), whatever the number of municipalities."""
    histories = freeze.histories([e.member.participation_id for e in evaluations])
    directions = {i.id: i.direction for i in model.indicators}
    result = Promised(
        {s: [] for s in Scenario},
        ZERO,
        dict.fromkeys(Scenario, ZERO),
        0,
        0,
        0,
        0,
        0,
        set(),
    )
    for e in evaluations:
        result.municipalities += 1
        result.marked += int(e.marked)
        case = business_case(case_inputs(round_, e, model), e.benefits, switching=False)
        if not case.shown:
            result.without_target += 1
        else:
            result.shown.update(case.shown)
            for s in case.scenarios:
                result.scenarios[s.scenario].append(s)
        if case.comparison is not None:
            result.realised_gross += case.comparison.realised
            for s, value in case.comparison.expected.items():
                result.expected_gross[s] += value
        for (kind, indicator_id), h in histories.get(e.member.participation_id, {}).items():
            if not h.changed:
                continue
            if kind == "baseline":
                result.rebaselined += 1
                continue
            lowered = freeze.lowered(h, directions.get(indicator_id, "higher"))
            result.lowered += lowered is True
            result.raised += lowered is False
    return result


def round_promise_section(
    round_: Round,
    evaluations: Sequence[Evaluation],
    model,
    *,
    level: int,
    suffix: str = "",
    kept: Promised | None = None,
) -> Section:
    """Sums per scenario for a round, realised against them, the targets lowered and
    raised since approval, and how many municipalities' figures are marked. ``kept``: the
    sums of ``evaluations`` as the round's stored summary holds them (``promised_json``),
    worked out by the worker rather than per participation here."""
    p = kept if kept is not None else promised(round_, evaluations, model)
    table = Table(
        _("Scenarier i alt"),
        _scenario_columns(_("Scenarie")),
        short_title=sheet(_("Scenarier i alt"), suffix),
        note=quality_note(evaluations),
    )
    for s in (s for s in Scenario if s in p.shown):
        hours, fte, gross, net = p.scenario_sums(s)
        table.add(scenario_label(s), rounded(hours, 0), rounded(fte, 2), kroner(gross), kroner(net))
    likely = p.expected_gross[Scenario.LIKELY]
    paragraphs = [
        *round_scenario_notes(p),
        _(
            "Siden godkendelsen er %(lowered)d mål sænket og %(raised)d hævet (efter"
            " indikatorens retning); %(rebaselined)d basislinjer er ændret.",
            lowered=p.lowered,
            raised=p.raised,
            rebaselined=p.rebaselined,
        ),
    ]
    if likely:
        paragraphs.append(
            _(
                "Kommunerne har realiseret %(share)s af det sandsynlige scenarie i de målte"
                " måneder.",
                share=percent_text(p.realised_gross / likely),
            )
        )
    if p.marked:
        paragraphs.append(quality.marked_share_text(p.marked, p.municipalities))
    kept = follow_up_table(round_, evaluations, model, suffix)
    tables = [table, kept] if p.shown else [kept]
    return Section(_("Lovet og leveret"), paragraphs=paragraphs, tables=tables, level=level)


def round_scenario_notes(p: Promised) -> list[str]:
    """What the round's scenario sums leave out: municipalities without a target, and the
    scenarios no target gives."""
    notes = []
    if not p.shown:
        return [str(NO_TARGET_TEXT)] if p.municipalities else []
    if p.without_target:
        notes.append(
            ngettext(
                "%(num)d kommune har intet målbillede og indgår ikke i scenarierne.",
                "%(num)d kommuner har intet målbillede og indgår ikke i scenarierne.",
                p.without_target,
            )
        )
    if Scenario.PESSIMISTIC not in p.shown:
        notes.append(
            _("Målbilledet har ingen pessimistiske værdier, så der er intet pessimistisk scenarie.")
        )
    if Scenario.OPTIMISTIC not in p.shown:
        notes.append(
            _("Målbilledet har ingen optimistiske værdier, så der er intet optimistisk scenarie.")
        )
    return notes


def quality_table(evaluation: Evaluation) -> Table:
    """The indicators whose figures carry a quality mark, with the marks as footnotes."""
    table = Table(
        _("Tallenes kvalitet"),
        [
            Column(_("Indikator")),
            Column(_("Markeringer")),
            Column(_("Målinger markeret"), Kind.INTEGER),
        ],
        short_title=_("Kvalitet"),
        note=quality_note([evaluation]),
        empty_text=_("Alle tal er målte (ingen er skønnede, foreløbige eller reviderede)."),
    )
    for r in evaluation.indicators:
        if r.qualities:
            table.add(
                indicator_title(r.indicator),
                quality_text(r),
                sum(1 for p in r.series if p.quality),
            )
    return table
