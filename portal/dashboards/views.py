"""The dashboards: a municipality's, a community's and a round's national view."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from portal.auth.permissions import can_see_draft_rounds, role_required
from portal.benefits import freeze
from portal.benefits.calculation import national_totals
from portal.dashboards import services as dashboards
from portal.dashboards.disclosure import is_suppressed
from portal.dashboards.permissions import (
    READERS,
    TEMPLATE_PERMISSIONS,
    can_view_round_dashboard,
    get_community_or_404,
    get_participation_or_404,
)
from portal.participations.services import my_participations, rounds_overview
from portal.programmes.services import get_round_by_slug
from portal.reporting.services import items_for, local_today

bp = Blueprint("dashboards", __name__, url_prefix="/oversigt")


@bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals.update(
        TEMPLATE_PERMISSIONS,
        status_label=dashboards.status_label,
        projection_text=dashboards.projection_text,
        indicator_explanations=dashboards.indicator_explanations,
        is_suppressed=is_suppressed,
    )


def national_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not can_view_round_dashboard(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


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
    participation = get_participation_or_404(participation_id, current_user)
    board = dashboards.municipality_dashboard(participation)
    due = items_for([participation], local_today())[participation.id]
    histories = freeze.histories([participation.id]).get(participation.id, {})
    return render_template(
        "dashboards/participation.html",
        board=board,
        due=due,
        changes=freeze.target_changes(board.evaluation, histories),
        participation=participation,
        charts={b.own.indicator.key: dashboards.indicator_svg(b.own) for b in board.benchmarks},
    )


@bp.route("/faellesskab/<int:community_id>")
@role_required(*READERS)
def community(community_id: int):
    community = get_community_or_404(community_id, current_user)
    view = dashboards.community_view(community, current_user.municipality_id)
    return render_template(
        "dashboards/community.html",
        view=view,
        charts={c.indicator.key: dashboards.distribution_svg(c) for c in view.indicators},
    )


@bp.route("/forloeb/<slug>")
@national_required
def round_(slug: str):
    round_ = get_round_by_slug(slug, include_drafts=can_see_draft_rounds(current_user))
    if round_ is None:
        abort(404)
    view = dashboards.round_view(round_)
    return render_template(
        "dashboards/round.html",
        view=view,
        charts={c.indicator.key: dashboards.distribution_svg(c) for c in view.indicators},
    )
