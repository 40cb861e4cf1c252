"""The progress report's tables, sections and texts, built from evaluations
(``portal.benefits.calculation``) as plain values; ``progress`` decides which a scope gets.

Disclosure: a multi-municipality table writes each other municipality's baseline and
latest value through ``suppress(..., own=False)`` (a count of 1–4 becomes "< 5"); a target
is shown as it is: suppression protects observed counts of people and events, and a target
is a promise, not an observation (issue 21);
the viewer's own municipality is exact; a median of fewer than three municipalities is
withheld (``disclosure.too_few``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from portal.benefits.calculation import (
    Evaluation,
    IndicatorInfo,
    IndicatorResult,
)
from portal.benefits.calculation.disclosure import suppress, too_few_text
from portal.benefits.display import (
    Benchmark,
    Median,
    projection_text,
    status_label,
)
from portal.i18n import local_date, localized, number
from portal.reports.formatting import cut_at_word, decimal_text
from portal.reports.model import Column, Kind, Table, Value

HUNDRED = Decimal(100)
SHEET_MAX = 31


# --- values --------------------------------------------------------------------------------


def kroner(value: Decimal | None) -> int | None:
    """Whole kroner, rounded half up, for a sentence (a table holds the exact figure)."""
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
    """A sheet name of at most 31 characters: the title cut at a word to leave room for the
    suffix."""
    if not suffix:
        return cut_at_word(title, SHEET_MAX)
    return f"{cut_at_word(title, SHEET_MAX - len(suffix) - 1)} {suffix}"


def indicator_title(info: IndicatorInfo) -> str:
    name = localized(info, "name")
    return f"{name} ({localized(info, 'unit')})" if info.unit else name


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
        result.target.value if result.target else None,  # a target is no observed count
        suppress(result.latest.value if result.latest else None, unit, own),
    )


def progress_value(result: IndicatorResult) -> Decimal | None:
    return result.progress_value


def status_word(result: IndicatorResult) -> str:
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
        Column(_("Basislinje"), Kind.DECIMAL, 2, as_entered=True),
        Column(_("Målbillede"), Kind.DECIMAL, 2, as_entered=True),
        Column(_("Måldato"), Kind.DATE),
        Column(_("Seneste værdi"), Kind.DECIMAL, 2, as_entered=True),
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
    words: dict = {}  # each status's word and each indicator's name, looked up once
    for e in evaluations:
        m = e.member
        own = m.municipality_id == viewer
        for result in e.indicators:
            info = result.indicator
            if info.id not in words:
                words[info.id] = (localized(info, "name"), localized(info, "unit"))
            if result.status not in words:
                words[result.status] = status_word(result)
            figures = shown(result, own)
            values: list[Value] = [
                m.municipality_name,
                code_text(m.municipality_code),
                m.community_name or "",
                *words[info.id],
                figures.baseline,
                figures.target,
                result.target.date if result.target else None,
                figures.latest,
                result.latest.date if result.latest else None,
                progress_value(result),
                words[result.status],
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
            Column(_("Basislinje"), Kind.DECIMAL, 1, as_entered=True),
            Column(_("Målbillede"), Kind.DECIMAL, 1, as_entered=True),
            Column(_("Seneste værdi"), Kind.DECIMAL, 1, as_entered=True),
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
            localized(r.indicator, "unit"),
            figures.baseline,
            figures.target,
            figures.latest,
            progress_value(r),
            status_word(r),
        )
    return table


def indicator_paragraphs(result: IndicatorResult) -> list[str]:
    parts = [_("Status: %(status)s.", status=status_word(result))]
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
        return f"{decimal_text(v, digits)} {localized(result.indicator, 'unit')}".strip()

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


def median_values(median: Median) -> list[Value]:
    """The latest value and the progress of a median, or "færre end 3 kommuner" each."""
    return [
        too_few_text() if median.latest_withheld else median.latest,
        too_few_text() if median.progress_withheld else median.progress,
    ]


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
            Column(_("Seneste værdi"), Kind.DECIMAL, digits, as_entered=True),
            Column(_("Fremdrift"), Kind.PERCENT, 0),
            Column(_("Kommuner"), Kind.INTEGER),
        ],
        short_title=sheet(localized(r.indicator, "name"), _("sml.")),
    )
    table.add(municipality, r.latest.value if r.latest else None, progress_value(r), None)

    def median_row(label: str, median: Median) -> None:
        table.add(label, *median_values(median), median.count)

    if benchmark.community is not None:
        median_row(_("Median i fællesskabet"), benchmark.community)
    median_row(_("Median i forløbet"), benchmark.round)
    return table


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
