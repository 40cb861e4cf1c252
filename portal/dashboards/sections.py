"""A municipality's dashboard in two parts that change apart: its own sections (its figures,
benefits, charts, what is due), drawn once per version of what they show and kept for every
app process (``rendered.kept``), and the rows of the round's medians, filled into their slots
on every view from medians worked out once per version of the round's results
(``services.round_medians``). A neighbour's save moves only the medians.

``draw(participation)`` draws a participation's own sections before its reader comes
(``portal dashboards draw``): a reader then finds them ready, and the view draws only the
page around them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from flask import get_template_attribute, render_template
from flask_babel import get_locale
from markupsafe import Markup

from portal import rendered
from portal.benefits import display
from portal.benefits.display.scenario_words import scenario_summary
from portal.benefits.display.wording import Wording
from portal.benefits.recording import freeze
from portal.dashboards import services as dashboards
from portal.dashboards.versions import versions_of
from portal.i18n import local_today
from portal.participations.models import Participation
from portal.reporting.services import items_for

MEDIAN_SLOT = re.compile(r"<!--medians:(\d+)-->")


def own_version(participation, own: tuple, items: tuple, national_link: bool) -> tuple:
    """What the municipality's own sections change with: its own stored results (its figures,
    baselines and targets, and so what a report due lacks), the day (status and what is due
    are judged on it), the reporting items, the names and versions of the participation and
    its round, and whether the reader may open the national view (a link). Not the round's
    results: a neighbour's save moves only the medians (``with_medians``)."""
    community = participation.community
    return (
        participation.id,
        participation.created_at,  # an id used again (SQLite, after a removal) is another
        own,
        local_today(),
        items,
        participation.version,
        participation.round.version,
        participation.municipality.name,
        community.name if community else None,
        national_link,
    )


def own_sections(participation, version: tuple, results: str, national_link: bool) -> Markup:
    """The participation's own sections of ``version``: as kept, or drawn and kept."""
    return rendered.kept.get_or_render(
        _name(participation, national_link),
        version,
        lambda: _draw(participation, results, national_link),
    )


def _name(participation, national_link: bool) -> str:
    """One file for the municipal readers, one for those who may open the national view."""
    return f"participation-{participation.id}{'-national' if national_link else ''}"


def _draw(participation, results: str, national_link: bool) -> str:
    board = dashboards.municipality_dashboard(participation, medians_version=results)
    histories = freeze.histories([participation.id]).get(participation.id, {})
    return render_template(
        "dashboards/_participation_body.html",
        board=board,
        due=items_for([participation], local_today())[participation.id],
        changes=freeze.target_changes(board.evaluation, histories),
        participation=participation,
        words=Wording.of(board.evaluation),
        charts={b.own.indicator.key: display.indicator_svg(b.own) for b in board.benchmarks},
        median_slot=lambda indicator_id: Markup(f"<!--medians:{int(indicator_id)}-->"),
        national_link=national_link,
        scenarios=scenario_summary(participation.round, board.evaluation),
    )


def with_medians(own: str, participation, results: str) -> Markup:
    """``own`` with each indicator's median rows (``dashboards/_medians.html``) in its slot:
    the round's medians of this version."""
    rows = _median_rows(participation.round_id, results, participation.community_id, _locale())
    return Markup(MEDIAN_SLOT.sub(lambda slot: rows.get(int(slot[1]), rows[None]), own))


def _locale() -> str:
    return str(get_locale())


@lru_cache(maxsize=256)
def _median_rows(round_id: int, results: str, community_id: int | None, _locale: str) -> dict:
    """Each indicator's median rows for a community (or none) in a language: the same for
    every dashboard of the community while the round's results keep their ``results``
    version, so drawn once per version in this process (a macro call costs a millisecond, a
    page has one per indicator). ``None``: the rows of an indicator without figures."""
    found = dashboards.round_medians(round_id, results)
    macro = get_template_attribute("dashboards/_medians.html", "median_rows")
    # once per indicator (the keys hold every community's too: a round of 750 has dozens)
    indicators = {i for i, _c in found}
    rows = {i: str(macro(*dashboards.medians_of(found, i, community_id))) for i in indicators}
    rows[None] = str(macro(*dashboards.medians_of({}, 0, community_id)))
    return rows


def draw(participations: Iterable[Participation]) -> int:
    """Each participation's own sections drawn and kept as a municipal reader finds them
    (without the national view's link), unless already kept: how many were drawn. Run in a
    request context (links are made with ``url_for``)."""
    drawn = 0
    for participation in participations:
        results, own, items = versions_of(participation)
        version = own_version(participation, own, items, False)
        if rendered.kept.get(_name(participation, False), version) is None:
            own_sections(participation, version, results, False)
            drawn += 1
    return drawn
