"""The progress report's tables and texts across several municipalities: the overview, and
per indicator each municipality's figures, the status counts and the chart's text.

Disclosure as in ``progress_tables``: each other municipality's figures go through
``suppress(..., own=False)``; a median of fewer than three municipalities is withheld.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from portal.benefits.calculation import (
    Evaluation,
)
from portal.benefits.calculation.disclosure import too_few_text
from portal.benefits.display import (
    STATUSES,
    IndicatorComparison,
    status_label,
)
from portal.i18n import localized
from portal.reports.formatting import decimal_text
from portal.reports.model import Column, Kind, Table
from portal.reports.progress_tables import (
    decimals_needed,
    median_values,
    percent_text,
    progress_value,
    sheet,
    shown,
    status_word,
)


def overview_table(comparisons: Sequence[IndicatorComparison]) -> Table:
    """Per indicator: how many have a progress, the medians and the status counts."""
    table = Table(
        _("Indikatorer i overblik"),
        [
            Column(_("Indikator")),
            Column(_("Enhed")),
            Column(_("Median, seneste værdi"), Kind.DECIMAL, 1, as_entered=True),
            Column(_("Median, fremdrift"), Kind.PERCENT, 0),
            *[Column(status_label(s), Kind.INTEGER) for s in STATUSES],
        ],
        short_title=_("Overblik"),
        empty_text=_("Indsatsen har ingen indikatorer endnu."),
    )
    for c in comparisons:
        table.add(
            localized(c.indicator, "name"),
            localized(c.indicator, "unit"),
            *median_values(c.median),
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
        latest=too_few_text() if median.latest_withheld else decimal_text(median.latest, digits),
        progress=too_few_text() if median.progress_withheld else percent_text(median.progress),
        n=median.progress_count,
    )


# From this many municipalities a comparison table leaves baseline and target to the
# spreadsheet (every cell costs the PDF's typesetting time; a national report has 98 rows
# per indicator).
COMPACT_FROM = 20


def comparison_table(
    comparison: IndicatorComparison,
    evaluations: Sequence[Evaluation],
    viewer: int | None,
    *,
    sheet_suffix: str = "",
) -> Table:
    """One indicator, a row per municipality by name (its figures as the viewer may see
    them), the median last. Baseline and target are columns for a community; for a round or
    the nation (``COMPACT_FROM`` municipalities or more) they stay in the main table, which
    the XLSX and CSV carry whole."""
    info = comparison.indicator
    results = [(e, e.indicator(info.key)) for e in evaluations]
    results = sorted(
        ((e, r) for e, r in results if r is not None), key=lambda er: er[0].member.municipality_name
    )
    rows = [(e, r, shown(r, e.member.municipality_id == viewer)) for e, r in results]
    compact = len(rows) >= COMPACT_FROM
    digits = decimals_needed(
        [v for _e, _r, s in rows for v in (s.baseline, s.target, s.latest)]
        + [comparison.median.latest],
        1,
    )
    name = localized(info, "name")
    columns = [Column(_("Kommune"))]
    if not compact:
        columns += [
            Column(_("Basislinje"), Kind.DECIMAL, digits, as_entered=True),
            Column(_("Målbillede"), Kind.DECIMAL, digits, as_entered=True),
        ]
    columns += [
        Column(_("Seneste værdi"), Kind.DECIMAL, digits, as_entered=True),
        Column(_("Fremdrift"), Kind.PERCENT, 0),
        Column(_("Status")),
    ]
    table = Table(
        _("%(name)s pr. kommune", name=name),
        columns,
        short_title=sheet(name, sheet_suffix),
        empty_text=_("Ingen kommuner deltager endnu."),
        note=_("Basislinje og målbillede pr. kommune står i regnearket (XLSX) og CSV-filen.")
        if compact
        else "",
        fixed_layout=compact,
        paged=True,
    )
    words: dict = {}  # each status's word, looked up once (a row per municipality)
    for e, r, s in rows:
        known = () if compact else (s.baseline, s.target)
        word = words.get(r.status) or words.setdefault(r.status, status_word(r))
        table.add(e.member.municipality_name, *known, s.latest, progress_value(r), word)
    if rows:
        median = comparison.median
        blanks = () if compact else (None, None)
        table.subtotal(_("Median"), *blanks, *median_values(median), "")
    return table


def chart_alt(comparison: IndicatorComparison) -> str:
    median = comparison.median.progress
    return _(
        "Søjlediagram: fremdriften mod målbilledet for %(name)s for hver af %(n)d kommuner,"
        " lavest først; medianen er %(median)s. Tallene står i tabellen.",
        name=localized(comparison.indicator, "name"),
        n=comparison.median.progress_count,
        median=too_few_text() if comparison.median.progress_withheld else percent_text(median),
    )
