"""A round's national view at any size (issue 19 item 7): the view itself summarises each
indicator — status counts, the median, the distribution chart — and lists the
municipalities' rows only for a round of a few (``ROWS_SHOWN``); beyond that each indicator's
rows are a page of their own, ``ROWS_PER_PAGE`` at a time, so the view of 750 municipalities
is as long as the view of 98.

An indicator's page reads only its own rows: the page's participations (``LIMIT`` and
``OFFSET``, sorted in the query) and their stored rows, with the count, the median and the
status counts over every municipality from the round's stored summary (``summary``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import and_, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.benefits.display import IndicatorComparison, compare
from portal.dashboards import summary
from portal.dashboards.services import RoundInfo
from portal.municipalities.models import Municipality
from portal.pagination import Page, apply_sort, paginate
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.results.models import IndicatorResultRow
from portal.results.read import data_version, stored_evaluations

ROWS_SHOWN = 30  # an indicator's rows in the round's view itself, up to this many
ROWS_PER_PAGE = 50
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class IndicatorRows:
    round: RoundInfo
    comparison: IndicatorComparison  # its rows: this page's; median and counts: the round's
    page: Page


# The sortable columns: the municipality's name, and the indicator's stored latest value and
# progress (the status is judged on the day: not a column).
SORTS = {
    "name": Municipality.name,
    "latest": IndicatorResultRow.latest_value,
    "progress": IndicatorResultRow.progress,
}


def page_query(round_: Round, indicator_id: int, sort: str | None):
    """The round's participations with the indicator's stored row joined for sorting; with
    the sort key in effect."""
    stmt = (
        select(Participation)
        .join(Participation.municipality)
        .outerjoin(
            IndicatorResultRow,
            and_(
                IndicatorResultRow.participation_id == Participation.id,
                IndicatorResultRow.indicator_id == indicator_id,
            ),
        )
        .options(
            contains_eager(Participation.municipality),
            joinedload(Participation.community),
            joinedload(Participation.round).joinedload(Round.programme),
        )
        .where(Participation.round_id == round_.id)
    )
    return apply_sort(stmt, sort, SORTS, DEFAULT_SORT)


def indicator_rows(
    round_: Round, indicator_id: int, args: Mapping[str, str]
) -> IndicatorRows | None:
    """The page ``args`` asks for (``page``, ``sort``) of every municipality's row of one
    indicator of the round, with the round's median and status counts (``None``: no such
    indicator in its programme, or no municipality in the round). Reads the round's
    summary (one row when kept), the page's participations and their stored rows."""
    found = summary.summary(round_, data_version(round_.id))
    indicator = summary.indicator(round_, found, indicator_id)
    if indicator is None:
        return None
    stmt, key = page_query(round_, indicator_id, args.get("sort"))
    try:
        number = int(args.get("page") or 1)
    except ValueError:
        number = 1
    page = paginate(stmt, number, ROWS_PER_PAGE)
    page.args = {"slug": round_.slug, "indicator_id": str(indicator_id), "sort": key}
    shown = _comparison(page.items, indicator_id) or IndicatorComparison(
        indicator.indicator, (), indicator.median, ()
    )
    comparison = replace(
        shown,
        indicator=indicator.indicator,
        median=indicator.median,
        status_counts=indicator.status_counts,
    )
    return IndicatorRows(RoundInfo.of(round_), comparison, page)


def _comparison(participations: list[Participation], indicator_id: int):
    """The indicator's rows of ``participations`` (their stored rows: one query)."""
    compared = compare(stored_evaluations(participations), None)
    return next((c for c in compared if c.indicator.id == indicator_id), None)
