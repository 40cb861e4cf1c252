"""A round's national view at any size (issue 19 item 7): the view itself summarises each
indicator — status counts, the median, the distribution chart — and lists the
municipalities' rows only for a round of a few (``ROWS_SHOWN``); beyond that each indicator's
rows are a page of their own, ``ROWS_PER_PAGE`` at a time, so the view of 750 municipalities
is as long as the view of 98."""

from __future__ import annotations

from dataclasses import dataclass, replace

from portal.benefits.calculation import round_participations
from portal.benefits.display import IndicatorComparison, compare
from portal.dashboards.services import RoundInfo, _ordered
from portal.pagination import Page
from portal.programmes.models import Round
from portal.results.read import stored_evaluations

ROWS_SHOWN = 30  # an indicator's rows in the round's view itself, up to this many
ROWS_PER_PAGE = 50


@dataclass(frozen=True)
class IndicatorRows:
    round: RoundInfo
    comparison: IndicatorComparison  # its rows: this page's
    page: Page


def indicator_rows(round_: Round, indicator_id: int, number: int) -> IndicatorRows | None:
    """One page of every municipality's row of one indicator of the round, with the
    round's median and status counts (``None``: no such indicator in its programme). From
    the stored results: four queries, whatever the round's size."""
    evaluations = _ordered(stored_evaluations(round_participations(round_.id)))
    comparison = next(
        (c for c in compare(evaluations, None) if c.indicator.id == indicator_id), None
    )
    if comparison is None:
        return None
    total = len(comparison.rows)
    pages = max(1, -(-total // ROWS_PER_PAGE))
    number = min(max(1, number), pages)
    rows = comparison.rows[(number - 1) * ROWS_PER_PAGE : number * ROWS_PER_PAGE]
    args = {"slug": round_.slug, "indicator_id": str(indicator_id)}
    page = Page(list(rows), number, ROWS_PER_PAGE, total, args)
    return IndicatorRows(RoundInfo.of(round_), replace(comparison, rows=rows), page)
