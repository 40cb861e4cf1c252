"""The dashboards: a municipality's, a community's and a round's national view."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from portal.auth.permissions import can_see_draft_rounds, role_required
from portal.conditional import not_modified, page_etag, with_etag
from portal.dashboards import section_cache
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
from portal.results.read import data_version, national_totals

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
    due = items_for([participation], local_today())[participation.id]
    version = _participation_version(participation, due)
    etag = page_etag(version)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    body = section_cache.get_or_render(
        ("participation", *version), lambda: _participation_body(participation, due)
    )
    return with_etag(
        render_template("dashboards/participation.html", participation=participation, body=body),
        etag,
    )


def _participation_body(participation, due) -> str:
    board = dashboards.municipality_dashboard(participation)
    return render_template(
        "dashboards/_participation_body.html",
        board=board,
        due=due,
        participation=participation,
        charts={b.own.indicator.key: dashboards.indicator_svg(b.own) for b in board.benchmarks},
    )


def _participation_version(participation, due) -> tuple:
    """What the dashboard shows changes with: the round's stored results (its own figures
    and the medians), the day (status and what is due are judged on it), the reports due, the
    names and versions of the participation and its round, and whether the reader may open
    the national view (a link)."""
    community = participation.community
    return (
        participation.id,
        data_version(participation.round_id),
        local_today(),
        tuple(_due_key(view) for view in due),
        participation.version,
        participation.round.version,
        participation.municipality.name,
        community.name if community else None,
        can_view_round_dashboard(current_user),
    )


def _due_key(view) -> tuple:
    """A report due as the dashboard shows it: which, in what state, with what missing."""
    return (
        view.item.id,
        view.item.version,
        view.state,
        view.days_left,
        tuple((m.indicator.id, m.baseline, m.target) for m in view.missing),
    )


@bp.route("/deltagelse/<int:participation_id>/maaned-for-maaned")
@role_required(*READERS)
def months(participation_id: int):
    participation = get_participation_or_404(participation_id, current_user)
    board = dashboards.municipality_months(participation)
    return render_template("dashboards/months.html", board=board, participation=participation)


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
    # The view is the same for every national reader: its version is the round's and its
    # stored results', judged on the day.
    version = (round_.id, round_.version, data_version(round_.id), local_today())
    etag = page_etag(version)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    body = section_cache.get_or_render(("round", *version), lambda: _round_body(round_))
    return with_etag(
        render_template("dashboards/round.html", info=dashboards.RoundInfo.of(round_), body=body),
        etag,
    )


def _round_body(round_) -> str:
    view = dashboards.round_view(round_)
    return render_template(
        "dashboards/_round_body.html",
        view=view,
        charts={c.indicator.key: dashboards.distribution_svg(c) for c in view.indicators},
    )
