"""A round's national view, drawn once per version of what it shows and kept for every app
process (``rendered.kept``, as each municipality's own sections are): the round, its stored
results' version and the day (the statuses are judged on it). Reading it is then a query for
the version and a file, whatever the round's size; only the drawing reads every
municipality's stored rows (``services.round_view``: about two seconds of CPU at 750
municipalities). The worker draws it after the round's results change, with the
municipalities' own sections (``tasks.draw_dashboards``), so the first reader finds it ready
as well; a reader who comes sooner draws it for itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import cache

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from portal import rendered
from portal.benefits import display
from portal.benefits.display import charts
from portal.dashboards import round_communities, round_rows, summary
from portal.dashboards import services as dashboards
from portal.db import one_trip
from portal.i18n import local_today, localized
from portal.programmes.models import Round
from portal.results.read import data_version_query, version_text


def version(round_: Round, results) -> tuple:
    """What the view shows rests on: the round (its names, its version), its stored results
    (``results``: ``data_version_query``'s row) and the day."""
    return (round_.id, round_.version, version_text(round_.id, results), local_today())


COMMUNITIES_SLOT = "<!--communities-->"


def page(round_: Round, version: tuple, args: Mapping[str, str]) -> Markup:
    """The view's body of ``version`` with the page of its communities' table that ``args``
    asks for (``round_communities``) in its slot: both from the round's stored summary,
    read once."""
    found = cache(lambda: summary.summary(round_, version[2]))
    kept = body(round_, version, found)
    if COMMUNITIES_SLOT not in kept:  # a round without participations: no table
        return kept
    table = round_communities.table(found(), round_.slug, args)
    return Markup(kept.replace(COMMUNITIES_SLOT, table, 1))


def body(round_: Round, version: tuple, found: Callable[[], dict] | None = None) -> Markup:
    """The view's body of ``version``: held in this process, kept in a file, or drawn
    (from ``found()``'s summary when given)."""
    return rendered.sections.get_or_render(
        ("round", *version),
        lambda: rendered.kept.get_or_render(
            _name(round_), version, lambda: draw_body(round_, version[2], found=found)
        ),
    )


def _name(round_: Round) -> str:
    # "-paged": the body with the communities' slot (a file kept before it holds the table)
    return f"round-{round_.id}-paged"


def draw_body(
    round_: Round,
    results: str,
    *,
    keep: bool = False,
    found: Callable[[], dict] | None = None,
) -> str:
    """The body drawn from the round's stored summary of its ``results`` version: for a
    round of more than ``ROWS_SHOWN`` municipalities the summary alone (each indicator's
    municipalities counted in bands of progress), else every municipality's row too; the
    communities' table is left as a slot (``COMMUNITIES_SLOT``: each reader's page of it).
    ``keep``: a summary worked out here is stored (the worker; a request only reads)."""
    found = found() if found is not None else summary.summary(round_, results, keep=keep)
    if found["participations"] > round_rows.ROWS_SHOWN:
        view = summary.view(round_, found)
        drawn = {c.indicator.key: bands_svg(c) for c in view.indicators}
    else:
        view = dashboards.round_view(round_)
        drawn = {c.indicator.key: display.distribution_svg(c) for c in view.indicators}
    return render_template(
        "dashboards/_round_body.html",
        view=view,
        slug=round_.slug,
        rows_shown=round_rows.ROWS_SHOWN,
        charts=drawn,
        communities_slot=Markup(COMMUNITIES_SLOT),
    )


def bands_svg(c: summary.IndicatorSummary) -> Markup | None:
    """How many municipalities in each band of progress (``None``: none has a progress)."""
    if not any(n for _label, n in c.bands):
        return None
    return charts.distribution_chart(
        _(
            "Kommuner efter fremdrift mod målbilledet: %(name)s",
            name=localized(c.indicator, "name"),
        ),
        [(label, Decimal(n)) for label, n in c.bands],
        unit=_("kommuner"),
    )


def draw(rounds: Iterable[Round]) -> int:
    """Each round's view drawn and kept unless kept for its current version: how many were
    drawn. In a request context (links are made with ``url_for``)."""
    drawn = 0
    for round_ in rounds:
        (results,) = one_trip(data_version_query(round_.id))
        current = version(round_, results)
        if rendered.kept.get(_name(round_), current) is None:
            rendered.kept.put(_name(round_), current, draw_body(round_, current[2], keep=True))
            drawn += 1
    return drawn
