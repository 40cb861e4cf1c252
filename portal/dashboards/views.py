"""The dashboards: a municipality's, a community's and a round's national view."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal import access, rendered
from portal.auth.permissions import can_see_draft_rounds, permission_required, role_required
from portal.benefits import display, freeze
from portal.benefits.disclosure import is_suppressed
from portal.benefits.wording import Wording
from portal.conditional import cached_page, not_modified, page_etag, read_versions
from portal.dashboards import round_rows
from portal.dashboards import services as dashboards
from portal.dashboards.months import municipality_months
from portal.dashboards.permissions import (
    READERS,
    TEMPLATE_PERMISSIONS,
    can_view_round_dashboard,
)
from portal.dashboards.versions import participation_and_versions
from portal.i18n import local_today
from portal.participations.models import Community, Participation
from portal.participations.services import my_participations, rounds_overview
from portal.programmes.models import Round
from portal.reporting.services import items_for
from portal.results.read import data_version_query, national_totals, version_text

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
@role_required(*READERS)
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
@role_required(*READERS)
def participation(participation_id: int):
    participation, results, items = participation_and_versions(participation_id, current_user)
    version = _participation_version(participation, results, items)
    etag = page_etag(version)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    return cached_page(etag, lambda: _participation_page(participation, version))


def _participation_page(participation, version) -> str:
    body = rendered.sections.get_or_render(
        ("participation", *version), lambda: _participation_body(participation)
    )
    return render_template("dashboards/participation.html", participation=participation, body=body)


def _participation_body(participation) -> str:
    board = dashboards.municipality_dashboard(participation)
    histories = freeze.histories([participation.id]).get(participation.id, {})
    return render_template(
        "dashboards/_participation_body.html",
        board=board,
        due=items_for([participation], local_today())[participation.id],
        changes=freeze.target_changes(board.evaluation, histories),
        participation=participation,
        words=Wording.of(board.evaluation),
        charts={b.own.indicator.key: display.indicator_svg(b.own) for b in board.benchmarks},
    )


def _participation_version(participation, results: str, items: tuple) -> tuple:
    """What the dashboard shows changes with: the round's stored results (its own figures
    and the medians, and so the baselines and targets a report due lacks), the day (status
    and what is due are judged on it), the reporting items, the names and versions of the
    participation and its round, and whether the reader may open the national view (a
    link). Read with the participation in one query (``versions``): an unchanged dashboard
    costs little to serve."""
    community = participation.community
    return (
        participation.id,
        results,
        local_today(),
        items,
        participation.version,
        participation.round.version,
        participation.municipality.name,
        community.name if community else None,
        can_view_round_dashboard(current_user),
    )


@bp.route("/deltagelse/<int:participation_id>/maaned-for-maaned")
@role_required(*READERS)
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
@role_required(*READERS)
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
@permission_required(can_view_round_dashboard)
def round_(slug: str):
    round_ = access.round_or_404(slug, current_user)
    # The view is the same for every national reader: its version is the round's and its
    # stored results', judged on the day.
    (results,) = read_versions(data_version_query(round_.id))
    version = (round_.id, round_.version, version_text(round_.id, results), local_today())
    etag = page_etag(version)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    return cached_page(etag, lambda: _round_page(round_, version))


@bp.route("/forloeb/<slug>/indikator/<int:indicator_id>")
@permission_required(can_view_round_dashboard)
def round_indicator(slug: str, indicator_id: int):
    round_ = access.round_or_404(slug, current_user)
    rows = round_rows.indicator_rows(round_, indicator_id, request.args.get("page", 1, type=int))
    if rows is None:
        abort(404)
    return render_template("dashboards/round_indicator.html", rows=rows)


def _round_page(round_, version) -> str:
    body = rendered.sections.get_or_render(("round", *version), lambda: _round_body(round_))
    return render_template("dashboards/round.html", info=dashboards.RoundInfo.of(round_), body=body)


def _round_body(round_) -> str:
    view = dashboards.round_view(round_)
    return render_template(
        "dashboards/_round_body.html",
        view=view,
        rows_shown=round_rows.ROWS_SHOWN,
        charts={c.indicator.key: display.distribution_svg(c) for c in view.indicators},
    )
