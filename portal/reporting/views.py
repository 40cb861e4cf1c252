"""The reporting pages: a municipality's due items with the report form, one item, and the
coordinator's list of who is late per round."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.auth.permissions import can_see_draft_rounds, role_required
from portal.db import db
from portal.programmes.services import get_round_by_slug
from portal.reporting import late, services
from portal.reporting.forms import NarrativeForm, ReopenForm
from portal.reporting.labels import gains_kept_label
from portal.reporting.permissions import (
    READERS,
    can_follow_rounds,
    can_reopen_report,
    can_submit_report,
    get_requirement_or_404,
    has_own_reports,
)
from portal.reporting.schedule import ensure_quietly
from portal.web import commit_or_flash, commit_or_show

bp = Blueprint("reporting", __name__, url_prefix="/rapportering")


def _commit_schedule(change) -> None:
    """The pages complete the schedules lazily; keep what they made."""
    if change:
        db.session.commit()


def _narrative_form(item, formdata=None) -> NarrativeForm:
    form = NarrativeForm(formdata=formdata, obj=None if formdata else item, prefix=f"r{item.id}")
    if formdata is None:
        form.version.data = str(item.version)
    return form


@bp.route("/")
@role_required(*READERS)
def index():
    today = services.local_today()
    if has_own_reports(current_user):
        groups = services.my_items(current_user, today)
        db.session.commit()  # the schedules completed on the way
        may_submit = any(can_submit_report(current_user, g.participation) for g in groups)
        return render_template(
            "reporting/mine.html",
            groups=groups,
            today=today,
            may_submit=may_submit,
            form_for=_narrative_form,
        )
    if not can_follow_rounds(current_user):
        abort(403)
    rounds = late.rounds_with_reporting(today)
    db.session.commit()
    return render_template("reporting/rounds.html", rounds=rounds)


@bp.route("/forloeb/<slug>")
@role_required(*READERS)
def round_list(slug: str):
    if not can_follow_rounds(current_user):
        abort(403)
    round_ = get_round_by_slug(slug, include_drafts=can_see_draft_rounds(current_user))
    if round_ is None:
        abort(404)
    report = late.late_list(
        round_,
        services.local_today(),
        show=request.args.get("vis", "overdue"),
        sort=request.args.get("sort", ""),
    )
    db.session.commit()
    return render_template(
        "reporting/round.html",
        report=report,
        args={"slug": slug, "vis": report.show, "sort": report.sort},
    )


@bp.route("/<int:item_id>")
@role_required(*READERS)
def detail(item_id: int):
    item = get_requirement_or_404(item_id, current_user)
    _commit_schedule(ensure_quietly([item.participation]))
    return _render_detail(item)


def _render_detail(item, form=None, status=200):
    view = services.view_of(item, services.local_today())
    editable = can_submit_report(current_user, item) and view.state in (
        services.OPEN,
        services.OVERDUE,
    )
    return (
        render_template(
            "reporting/detail.html",
            view=view,
            item=item,
            form=form or (_narrative_form(item) if editable and item.has_narrative else None),
            gains_kept_label=gains_kept_label,
            reopen_form=ReopenForm(formdata=None, data={"version": str(item.version)})
            if can_reopen_report(current_user) and item.submitted_at is not None
            else None,
        ),
        status,
    )


@bp.route("/<int:item_id>", methods=["POST"])
@role_required(Role.MUNICIPAL)
def submit(item_id: int):
    item = get_requirement_or_404(item_id, current_user)
    if not can_submit_report(current_user, item):
        abort(403)
    form = _narrative_form(item, formdata=request.form)
    if form.validate():
        ok, _result = commit_or_show(
            form,
            lambda: services.submit_report(
                item, form.narrative(), actor=current_user, version=form.loaded_version()
            ),
        )
        if ok:
            flash(_("Rapporten er afleveret."), "success")
            return redirect(url_for(".index"))
    return _render_detail(item, form, status=400)


@bp.route("/<int:item_id>/genaabn", methods=["POST"])
@role_required(Role.COORDINATOR)
def reopen(item_id: int):
    item = get_requirement_or_404(item_id, current_user)
    form = ReopenForm()
    if commit_or_flash(
        lambda: services.reopen_report(item, actor=current_user, version=form.loaded_version())
    ):
        flash(_("Rapporten er genåbnet, så kommunen kan rette og aflevere den igen."), "success")
    return redirect(url_for(".detail", item_id=item.id))
