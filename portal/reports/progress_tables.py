"""The progress report's tables, sections and texts, built from evaluations
(``portal.benefits.calculation``) as plain values; ``progress`` decides which a scope gets.

Disclosure: a multi-municipality table writes each other municipality's baseline, target
and latest value through ``suppress(..., own=False)`` (a count of 1–4 becomes "< 5");
the viewer's own municipality is exact, and so are medians.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from flask_babel import gettext as _

from portal.benefits.calculation import (
    CommunityTotals,
    Evaluation,
    IndicatorInfo,
    IndicatorResult,
    Totals,
)
from portal.dashboards.disclosure import suppress
from portal.dashboards.services import (
    STATUSES,
    Benchmark,
    IndicatorComparison,
    Median,
    projection_text,
    status_label,
)
from portal.i18n import local_date, localized, money, number
from portal.programmes.models import Round
from portal.reporting.narratives import Narrative
from portal.reports.model import Column, Kind, Table, Value

HUNDRED = Decimal(100)
SHEET_MAX = 31


# --- values --------------------------------------------------------------------------------


def kroner(value: Decimal | None) -> int | None:
    """Whole kroner, rounded half up: the same figure in the PDF, the workbook and the CSV."""
    if value is None:
        return None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rounded(value: Decimal | None, digits: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def decimals_needed(values: Iterable[Decimal | str | None], most: int = 2) -> int:
    """The decimals a column of indicator values needs: 0 for whole numbers, at most
    ``most``."""
    needed = 0
    for value in values:
        if isinstance(value, Decimal) and value.is_finite():
            exponent = value.normalize().as_tuple().exponent
            needed = max(needed, min(most, -exponent if exponent < 0 else 0))
    return needed


def month_text(day: date | None) -> str:
    return local_date(day, "MMMM yyyy") if day else "–"


def percent_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{number(value * HUNDRED, 0)}\u00a0%"


def code_text(code: int) -> str:
    return str(code).zfill(3)


def sheet(title: str, suffix: str = "") -> str:
    """A sheet name of at most 31 characters: the title cut to leave room for the suffix."""
    if not suffix:
        return title[:SHEET_MAX]
    return f"{title[: SHEET_MAX - len(suffix) - 1].rstrip()} {suffix}"


def indicator_title(info: IndicatorInfo) -> str:
    name = localized(info, "name")
    return f"{name} ({info.unit})" if info.unit else name


@dataclass(frozen=True)
class Shown:
    """One municipality's figures of one indicator as the reader may see them."""

    baseline: Decimal | str | None
    target: Decimal | str | None
    latest: Decimal | str | None


def shown(result: IndicatorResult, own: bool) -> Shown:
    unit = result.indicator.unit
    return Shown(
        suppress(result.baseline.value if result.baseline else None, unit, own),
        suppress(result.target.value if result.target else None, unit, own),
        suppress(result.latest.value if result.latest else None, unit, own),
    )


def _progress(result: IndicatorResult) -> Decimal | None:
    return rounded(result.progress_value, 4)


def _status(result: IndicatorResult) -> str:
    return status_label(result.status)


# --- the main table: a row per municipality × indicator (the CSV) ------------------------------


def main_table(
    evaluations: Sequence[Evaluation], viewer: int | None, *, with_round: str | None = None
) -> Table:
    """Every municipality's every indicator: baseline, target, latest, progress, status.
    ``with_round``: a first column naming the round (the national report's)."""
    columns = [
        Column(_("Kommune")),
        Column(_("Kode")),
        Column(_("Fællesskab")),
        Column(_("Indikator")),
        Column(_("Enhed")),
        Column(_("Basislinje"), Kind.DECIMAL, 2),
        Column(_("Målbillede"), Kind.DECIMAL, 2),
        Column(_("Måldato"), Kind.DATE),
        Column(_("Seneste værdi"), Kind.DECIMAL, 2),
        Column(_("Seneste måling"), Kind.DATE),
        Column(_("Fremdrift"), Kind.PERCENT, 1),
        Column(_("Status")),
    ]
    if with_round is not None:
        columns.insert(0, Column(_("Forløb")))
    table = Table(
        _("Indikatorer pr. kommune"),
        columns,
        short_title=_("Alle tal"),
        empty_text=_("Ingen kommuner deltager endnu."),
    )
    add_main_rows(table, evaluations, viewer, with_round)
    return table


def add_main_rows(
    table: Table, evaluations: Sequence[Evaluation], viewer: int | None, round_name: str | None
) -> None:
    for e in evaluations:
        m = e.member
        own = m.municipality_id == viewer
        for result in e.indicators:
            figures = shown(result, own)
            values: list[Value] = [
                m.municipality_name,
                code_text(m.municipality_code),
                m.community_name or "",
                localized(result.indicator, "name"),
                result.indicator.unit,
                figures.baseline,
                figures.target,
                result.target.date if result.target else None,
                figures.latest,
                result.latest.date if result.latest else None,
                _progress(result),
                _status(result),
            ]
            if round_name is not None:
                values.insert(0, round_name)
            table.add(*values)


# --- one municipality --------------------------------------------------------------------------


def own_indicator_table(evaluation: Evaluation) -> Table:
    table = Table(
        _("Indikatorer"),
        [
            Column(_("Indikator")),
            Column(_("Enhed")),
            Column(_("Basislinje"), Kind.DECIMAL, 1),
            Column(_("Målbillede"), Kind.DECIMAL, 1),
            Column(_("Seneste værdi"), Kind.DECIMAL, 1),
            Column(_("Fremdrift"), Kind.PERCENT, 0),
            Column(_("Status")),
        ],
        short_title=_("Indikatorer"),
        empty_text=_("Indsatsen har ingen indikatorer endnu."),
    )
    for r in evaluation.indicators:
        figures = shown(r, True)
        table.add(
            localized(r.indicator, "name"),
            r.indicator.unit,
            figures.baseline,
            figures.target,
            figures.latest,
            _progress(r),
            _status(r),
        )
    return table


def indicator_paragraphs(result: IndicatorResult) -> list[str]:
    parts = [_("Status: %(status)s.", status=_status(result))]
    if result.progress_value is not None:
        parts.append(
            _(
                "Fremdrift: %(p)s af vejen fra basislinjen til målbilledet.",
                p=percent_text(result.progress_value),
            )
        )
    projection = projection_text(result)
    if projection:
        parts.append(f"{projection}.")
    if "baseline" in result.missing:
        parts.append(_("Basislinjen mangler."))
    if "target" in result.missing:
        parts.append(_("Målbilledet mangler."))
    if not result.series:
        parts.append(_("Ingen målinger endnu."))
    return [" ".join(parts)]


def indicator_facts(result: IndicatorResult) -> list[tuple[str, str]]:
    digits = decimals_needed(
        [
            result.baseline.value if result.baseline else None,
            result.target.value if result.target else None,
            result.latest.value if result.latest else None,
        ]
    )

    def value(v: Decimal) -> str:
        return f"{number(v, digits)} {result.indicator.unit}".strip()

    facts = []
    if result.baseline:
        facts.append(
            (
                _("Basislinje"),
                f"{value(result.baseline.value)} ({local_date(result.baseline.date)})",
            )
        )
    if result.target:
        facts.append(
            (_("Målbillede"), f"{value(result.target.value)} ({local_date(result.target.date)})")
        )
    if result.latest:
        facts.append(
            (
                _("Seneste måling"),
                f"{value(result.latest.value)} ({month_text(result.latest.date)})",
            )
        )
    return facts


def benchmark_table(benchmark: Benchmark, municipality: str) -> Table:
    """The municipality's latest value and progress against its community's and its
    round's medians."""
    r = benchmark.own
    digits = decimals_needed(
        [r.latest.value if r.latest else None, benchmark.round.latest]
        + ([benchmark.community.latest] if benchmark.community else []),
        1,
    )
    table = Table(
        _("Sammenlignet med de andre: %(name)s", name=localized(r.indicator, "name")),
        [
            Column(""),
            Column(_("Seneste værdi"), Kind.DECIMAL, digits),
            Column(_("Fremdrift"), Kind.PERCENT, 0),
            Column(_("Kommuner"), Kind.INTEGER),
        ],
        short_title=sheet(localized(r.indicator, "name"), _("sml.")),
    )
    table.add(municipality, r.latest.value if r.latest else None, _progress(r), None)

    def median_row(label: str, median: Median) -> None:
        table.add(label, median.latest, rounded(median.progress, 4), median.count)

    if benchmark.community is not None:
        median_row(_("Median i fællesskabet"), benchmark.community)
    median_row(_("Median i forløbet"), benchmark.round)
    return table


# --- several municipalities --------------------------------------------------------------------


def overview_table(comparisons: Sequence[IndicatorComparison]) -> Table:
    """Per indicator: how many have a progress, the medians and the status counts."""
    table = Table(
        _("Indikatorer i overblik"),
        [
            Column(_("Indikator")),
            Column(_("Enhed")),
            Column(_("Median, seneste værdi"), Kind.DECIMAL, 1),
            Column(_("Median, fremdrift"), Kind.PERCENT, 0),
            *[Column(status_label(s), Kind.INTEGER) for s in STATUSES],
        ],
        short_title=_("Overblik"),
        empty_text=_("Indsatsen har ingen indikatorer endnu."),
    )
    for c in comparisons:
        table.add(
            localized(c.indicator, "name"),
            c.indicator.unit,
            rounded(c.median.latest, 1),
            rounded(c.median.progress, 4),
            *[n for _s, n in c.status_counts],
        )
    return table


def status_counts_text(comparison: IndicatorComparison) -> str:
    counts = " · ".join(f"{status_label(s)}: {n}" for s, n in comparison.status_counts)
    median = comparison.median
    digits = decimals_needed([median.latest], 1)
    return _(
        "%(counts)s. Median: seneste værdi %(latest)s, fremdrift %(progress)s"
        " (%(n)d kommuner med fremdrift).",
        counts=counts,
        latest=number(median.latest, digits),
        progress=percent_text(median.progress),
        n=median.progress_count,
    )


def comparison_table(
    comparison: IndicatorComparison,
    evaluations: Sequence[Evaluation],
    viewer: int | None,
    *,
    sheet_suffix: str = "",
) -> Table:
    """One indicator, a row per municipality by name (its figures as the viewer may see
    them), the median last. Six columns: a national report has 98 rows of them per
    indicator, and every cell costs the PDF's typesetting time."""
    info = comparison.indicator
    results = [(e, e.indicator(info.key)) for e in evaluations]
    results = sorted(
        ((e, r) for e, r in results if r is not None), key=lambda er: er[0].member.municipality_name
    )
    rows = [(e, r, shown(r, e.member.municipality_id == viewer)) for e, r in results]
    digits = decimals_needed(
        [v for _e, _r, s in rows for v in (s.baseline, s.target, s.latest)]
        + [comparison.median.latest],
        1,
    )
    name = localized(info, "name")
    table = Table(
        _("%(name)s pr. kommune", name=name),
        [
            Column(_("Kommune")),
            Column(_("Basislinje"), Kind.DECIMAL, digits),
            Column(_("Målbillede"), Kind.DECIMAL, digits),
            Column(_("Seneste værdi"), Kind.DECIMAL, digits),
            Column(_("Fremdrift"), Kind.PERCENT, 0),
            Column(_("Status")),
        ],
        short_title=sheet(name, sheet_suffix),
        empty_text=_("Ingen kommuner deltager endnu."),
    )
    for e, r, s in rows:
        table.add(
            e.member.municipality_name, s.baseline, s.target, s.latest, _progress(r), _status(r)
        )
    if rows:
        median = comparison.median
        table.subtotal(_("Median"), None, None, median.latest, rounded(median.progress, 4), "")
    return table


def chart_alt(comparison: IndicatorComparison) -> str:
    median = comparison.median.progress
    return _(
        "Søjlediagram: fremdriften mod målbilledet for %(name)s for hver af %(n)d kommuner,"
        " lavest først; medianen er %(median)s. Tallene står i tabellen.",
        name=localized(comparison.indicator, "name"),
        n=comparison.median.progress_count,
        median=percent_text(median),
    )


def series_alt(result: IndicatorResult) -> str:
    name = localized(result.indicator, "name")
    if not result.series:
        return _("Ingen målinger af %(name)s endnu.", name=name)
    return _(
        "Linjediagram: %(name)s målt %(n)d gange fra %(first)s til %(last)s mod målbilledet;"
        " tallene står i teksten.",
        name=name,
        n=len(result.series),
        first=month_text(result.series[0].date),
        last=month_text(result.series[-1].date),
    )


# --- benefits ------------------------------------------------------------------------------


def active_periods(evaluation: Evaluation) -> list:
    """The months from the first with any hours, kroner or costs (a yearly indicator's
    period can start the timeline months before anything happens)."""
    periods = list(evaluation.benefits.periods)
    while periods and not (periods[0].hours or periods[0].gross or periods[0].costs):
        periods.pop(0)
    return periods


def benefit_facts(evaluation: Evaluation) -> list[tuple[str, str]]:
    b = evaluation.benefits
    rate = number(b.hourly_cost, 2) + " kr." if b.hourly_cost is not None else "–"
    if evaluation.hourly_cost_override is not None:
        rate += " " + _("(kommunens egen)")
    facts = [
        (_("Timepris"), rate),
        (_("Frigjort tid"), _("%(hours)s timer", hours=number(rounded(b.total_hours, 0), 0))),
        (_("Årsværk (seneste 12 måneder)"), number(rounded(b.fte_12m, 2), 2)),
        (_("Gevinst, brutto"), money(kroner(b.gross))),
        (_("Omkostninger"), money(kroner(b.costs))),
        (_("Nettogevinst"), money(kroner(b.net))),
        (_("Tilbagebetaling"), month_text(b.payback) if b.payback else _("ikke nået")),
    ]
    if periods := active_periods(evaluation):
        facts.insert(
            0,
            (
                _("Beregnet for"),
                f"{month_text(periods[0].period)} – {month_text(periods[-1].period)}",
            ),
        )
    return facts


def line_table(evaluation: Evaluation) -> Table:
    b = evaluation.benefits
    table = Table(
        _("Gevinstlinjer"),
        [
            Column(_("Linje")),
            Column(_("Timer"), Kind.DECIMAL, 0),
            Column(_("Kroner"), Kind.MONEY),
        ],
        short_title=_("Gevinstlinjer"),
        empty_text=_("Indsatsen har ingen gevinstlinjer."),
    )
    for line in evaluation.lines:
        hours = b.line_amounts.get(line.key) if line.kind == "hours" else None
        table.add(localized(line, "name"), rounded(hours, 0), kroner(b.line_kroner.get(line.key)))
    if evaluation.lines:
        table.total(_("I alt"), rounded(b.total_hours, 0), kroner(b.gross))
    return table


def monthly_table(evaluation: Evaluation) -> Table:
    table = Table(
        _("Måned for måned"),
        [
            Column(_("Måned")),
            Column(_("Timer"), Kind.DECIMAL, 0),
            Column(_("Brutto"), Kind.MONEY),
            Column(_("Omkostninger"), Kind.MONEY),
            Column(_("Netto"), Kind.MONEY),
            Column(_("Akkumuleret netto"), Kind.MONEY),
            Column(_("Årsværk (12 mdr.)"), Kind.DECIMAL, 2),
        ],
        short_title=_("Måned for måned"),
        empty_text=_("Der er ingen målinger eller omkostninger endnu."),
    )
    for p in active_periods(evaluation):
        table.add(
            local_date(p.period, "MMM yyyy").replace(" ", "\u00a0"),  # one line
            rounded(p.hours, 0),
            kroner(p.gross),
            kroner(p.costs),
            kroner(p.net),
            kroner(p.cumulative_net),
            rounded(p.fte_12m, 2),
        )
    return table


def flags_note(evaluation: Evaluation) -> str:
    flags = evaluation.benefits.flags
    if not flags:
        return ""
    months = sorted({f.period for f in flags})
    return _(
        "I %(n)d måneder mangler en værdi til en gevinstlinje; de tæller ikke med for den"
        " linje: %(months)s.",
        n=len(months),
        months=", ".join(local_date(m, "MMM yyyy") for m in months),
    )


def _benefit_columns(first: str, *, with_community: bool) -> list[Column]:
    columns = [Column(first)]
    if with_community:
        columns.append(Column(_("Fællesskab")))
    return columns + [
        Column(_("Timer"), Kind.DECIMAL, 0),
        Column(_("Årsværk"), Kind.DECIMAL, 2),
        Column(_("Brutto"), Kind.MONEY),
        Column(_("Omkostninger"), Kind.MONEY),
        Column(_("Netto"), Kind.MONEY),
        Column(_("Tilbagebetaling")),
    ]


def totals_values(t: Totals) -> list[Value]:
    return [
        rounded(t.hours, 0),
        rounded(t.fte_12m, 2),
        kroner(t.gross),
        kroner(t.costs),
        kroner(t.net),
    ]


def benefits_table(
    evaluations: Sequence[Evaluation], *, with_community: bool, sheet_suffix: str = ""
) -> Table:
    """A row per municipality, the median and the total."""
    table = Table(
        _("Gevinster pr. kommune"),
        _benefit_columns(_("Kommune"), with_community=with_community),
        short_title=sheet(_("Gevinster"), sheet_suffix),
        empty_text=_("Ingen kommuner deltager endnu."),
    )
    blanks: list[Value] = [""] if with_community else []
    flagged = 0
    for e in evaluations:
        b = e.benefits
        flagged += bool(b.flags)
        values: list[Value] = [e.member.municipality_name]
        if with_community:
            values.append(e.member.community_name or "")
        values += [
            rounded(b.total_hours, 0),
            rounded(b.fte_12m, 2),
            kroner(b.gross),
            kroner(b.costs),
            kroner(b.net),
            month_text(b.payback) if b.payback else "",
        ]
        table.add(*values)
    if evaluations:
        table.subtotal(_("Median"), *blanks, *_median_benefits(evaluations), "")
        table.total(_("I alt"), *blanks, *totals_values(Totals.of(evaluations)), "")
    if flagged:
        table.note = _(
            "%(n)d kommuner mangler en værdi til en gevinstlinje i en eller flere måneder;"
            " de måneder tæller ikke med for den linje.",
            n=flagged,
        )
    return table


def _median_benefits(evaluations: Sequence[Evaluation]) -> list[Value]:
    b = [e.benefits for e in evaluations]
    return [
        rounded(median([x.total_hours for x in b]), 0),
        rounded(median([x.fte_12m or Decimal(0) for x in b]), 2),
        kroner(median([x.gross for x in b])),
        kroner(median([x.costs for x in b])),
        kroner(median([x.net for x in b])),
    ]


def community_benefits_table(communities: Sequence[CommunityTotals], sheet_suffix: str) -> Table:
    table = Table(
        _("Gevinster pr. fællesskab"),
        [Column(_("Fællesskab")), Column(_("Kommuner"), Kind.INTEGER)]
        + _benefit_columns("", with_community=False)[1:-1],
        short_title=sheet(_("Fællesskaber"), sheet_suffix),
    )
    total = Totals()
    for c in communities:
        table.add(c.name or _("Ikke placeret"), c.totals.participations, *totals_values(c.totals))
        total += c.totals
    if communities:
        table.total(_("I alt"), total.participations, *totals_values(total))
    return table


def rounds_table(rounds: Sequence[tuple[Round, Totals]]) -> Table:
    """The national overview: a row per round with its benefit totals, and the total."""
    table = Table(
        _("Gevinster pr. forløb"),
        [Column(_("Indsats")), Column(_("Forløb")), Column(_("Kommuner"), Kind.INTEGER)]
        + _benefit_columns("", with_community=False)[1:-1],
        short_title=_("Overblik"),
        empty_text=_("Ingen forløb er i gang i dag."),
    )
    total = Totals()
    for round_, totals in rounds:
        total += totals
        table.add(
            localized(round_.programme, "name"),
            localized(round_, "name"),
            totals.participations,
            *totals_values(totals),
        )
    if rounds:
        table.total(_("I alt"), "", total.participations, *totals_values(total))
    return table


def totals_sentence(t: Totals) -> str:
    """A sentence ending in "kr.", which ends it (no full stop after it)."""
    return _(
        "Frigjort tid %(hours)s timer (%(fte)s årsværk de seneste 12 måneder);"
        " gevinst brutto %(gross)s, omkostninger %(costs)s, nettogevinst %(net)s",
        hours=number(rounded(t.hours, 0), 0),
        fte=number(rounded(t.fte_12m, 2), 2),
        gross=money(kroner(t.gross)),
        costs=money(kroner(t.costs)),
        net=money(kroner(t.net)),
    )


# --- narratives ----------------------------------------------------------------------------


def narrative_facts(narrative: Narrative) -> list[tuple[str, str]]:
    return [
        (_("Rapport"), f"{narrative.label} ({local_date(narrative.submitted_at)})"),
        (_("Det, der virker"), narrative.what_worked or "–"),
        (_("Forhindringer"), narrative.obstacles or "–"),
        (_("Næste skridt"), narrative.next_steps or "–"),
    ]


def narratives_table(narratives: Sequence[Narrative], sheet_suffix: str = "") -> Table:
    table = Table(
        _("Kommunernes seneste statusrapport"),
        [
            Column(_("Kommune")),
            Column(_("Rapport")),
            Column(_("Det, der virker")),
            Column(_("Forhindringer")),
            Column(_("Næste skridt")),
        ],
        short_title=sheet(_("Egne ord"), sheet_suffix),
        empty_text=_("Ingen kommuner har afleveret en statusrapport endnu."),
    )
    for n in narratives:
        table.add(
            n.municipality,
            f"{n.label} ({local_date(n.submitted_at)})",
            n.what_worked,
            n.obstacles,
            n.next_steps,
        )
    return table
