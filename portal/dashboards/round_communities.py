"""The national view's benefits per community, a page at a time (issue 19 item 7): a round
of 750 municipalities has 75 communities, and the view shows ``PER_PAGE`` of them, sorted
by the reader's column, with the round's totals beneath every page. Everything comes from
the round's stored summary (``summary``: one row, each community's totals already added
up), so the table reads no municipality's row, whatever the page."""

from __future__ import annotations

from collections.abc import Mapping

from flask import render_template
from markupsafe import Markup

from portal.benefits.calculation import CommunityTotals
from portal.dashboards import summary
from portal.pagination import Page, page_of, sort_items

PER_PAGE = 25
ANCHOR = "faellesskaber"  # the table's id: a page or sort link lands on the table
DEFAULT_SORT = "name"

# The sortable columns (the unplaced have no name: they come last when sorted by name).
SORTS = {
    "name": lambda c: c.name if c.community_id is not None else None,
    "municipalities": lambda c: c.totals.municipalities,
    "hours": lambda c: c.totals.hours,
    "fte": lambda c: c.totals.fte_12m,
    "gross": lambda c: c.totals.gross,
    "costs": lambda c: c.totals.costs,
    "net": lambda c: c.totals.net,
}


def communities_page(
    communities: tuple[CommunityTotals, ...], slug: str, args: Mapping[str, str]
) -> Page:
    """The page ``args`` asks for (``page``, ``sort``: one of ``SORTS``, ``-`` descending),
    its links carrying the sort in effect and landing on the table."""
    ordered, key = sort_items(communities, args.get("sort"), SORTS, DEFAULT_SORT)
    try:
        number = int(args.get("page", 1))
    except (TypeError, ValueError):
        number = 1
    page = page_of(ordered, number, PER_PAGE)
    # ``link_args`` keeps user input out of url_for's own arguments; the slug and the
    # anchor are ours
    page.args = {"slug": slug, "sort": key, "_anchor": ANCHOR}
    return page


def table(found: dict, slug: str, args: Mapping[str, str]) -> Markup:
    """The table of ``found`` (a round summary) for the page ``args`` asks for."""
    totals, communities = summary.communities(found)
    return Markup(
        render_template(
            "dashboards/_round_communities.html",
            page=communities_page(communities, slug, args),
            totals=totals,
            anchor=ANCHOR,
        )
    )
