"""The dashboards: a municipality's, a community's and a round's national view."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal import access
from portal.access import admits
from portal.auth.permissions import can_see_draft_rounds
from portal.benefits import display
from portal.benefits.calculation.disclosure import is_suppressed
from portal.benefits.display.wording import Wording
from portal.conditional import not_modified, page_etag, read_versions, with_etag
from portal.dashboards import round_page, round_rows, sections
from portal.dashboards import services as dashboards
from portal.dashboards.months import municipality_months
from portal.dashboards.permissions import (
    TEMPLATE_PERMISSIONS,
    can_view_round_dashboard,
)
from portal.dashboards.versions import participation_and_versions
from portal.participations.models import Community, Participation
from portal.participations.services import my_participations, rounds_overview
from portal.programmes.models import Round
from portal.results.read import data_version_query, national_totals

bp = Blueprint("dashboards", __name__, url_prefix="/oversigt")

# What the months page reads, joined in the same query.
MONTHS_LOADS = (
    joinedload(Participation.round).joinedload(Round.programme),
    joinedload(Participation.municipality),
    joinedload(Participation.community),
)


@bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals.update(
        TEMPLATE_PERMISSIONS,
        status_label=display.status_label,
        projection_text=display.projection_text,
        indicator_explanations=display.indicator_explanations,
        is_suppressed=is_suppressed,
    )


@bp.route("/")
@admits(Participation)
def index():
    if can_view_round_dashboard(current_user):
        include_drafts = can_see_draft_rounds(current_user)
        return render_template(
            "dashboards/index.html",
            rounds=rounds_overview(include_drafts),
            national=national_totals(),
        )
    return render_template("dashboards/index.html", participations=my_participations(current_user))


@bp.route("/deltagelse/<int:participation_id>")
@admits(Participation)
def participation(participation_id: int):
    participation, results, own, items = participation_and_versions(participation_id, current_user)
    national_link = can_view_round_dashboard(current_user)
    version = sections.own_version(participation, own, items, national_link)
    etag = page_etag(results, version)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    return with_etag(_participation_page(participation, version, results, national_link), etag)


def _participation_page(participation, version, results: str, national_link: bool) -> str:
    own = sections.own_sections(participation, version, results, national_link)
    body = sections.with_medians(own, participation, results)
    return render_template("dashboards/participation.html", participation=participation, body=body)


@bp.route("/deltagelse/<int:participation_id>/maaned-for-maaned")
@admits(Participation)
def months(participation_id: int):
    participation = access.get_visible_or_404(
        Participation, participation_id, current_user, options=MONTHS_LOADS
    )
    board = municipality_months(participation)
    return render_template(
        "dashboards/months.html",
        board=board,
        participation=participation,
        words=Wording.of(board.evaluation),
    )


@bp.route("/faellesskab/<int:community_id>")
@admits(Participation)
def community(community_id: int):
    community = access.get_visible_or_404(
        Community,
        community_id,
        current_user,
        options=(joinedload(Community.round).joinedload(Round.programme),),
    )
    view = dashboards.community_view(community, current_user.municipality_id)
    return render_template(
        "dashboards/community.html",
        view=view,
        charts={c.indicator.key: display.distribution_svg(c) for c in view.indicators},
    )


@bp.route("/forloeb/<slug>")
@admits(Participation, every=True)
def round_(slug: str):
    round_ = access.round_or_404(slug, current_user)
    # The view is the same for every national reader: its version is the round's and its
    # stored results', judged on the day.
    (results,) = read_versions(data_version_query(round_.id))
    version = round_page.version(round_, results)
    # the page and the order of the communities' table (``round_communities``)
    args = {k: request.args.get(k, "") for k in ("page", "sort")}
    etag = page_etag(version, args)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    body = round_page.page(round_, version, args)
    info = dashboards.RoundInfo.of(round_)
    return with_etag(render_template("dashboards/round.html", info=info, body=body), etag)


@bp.route("/forloeb/<slug>/indikator/<int:indicator_id>")
@admits(Participation, every=True)
def round_indicator(slug: str, indicator_id: int):
    round_ = access.round_or_404(slug, current_user)
    rows = round_rows.indicator_rows(round_, indicator_id, request.args)
    if rows is None:
        abort(404)
    return render_template("dashboards/round_indicator.html", rows=rows)
