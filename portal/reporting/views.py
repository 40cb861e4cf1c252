"""The reporting pages: a municipality's due items with the report form, one item, and the
coordinator's list of who is late per round."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal import access
from portal.access import admits
from portal.benefits.models import FollowUpMeasurement
from portal.db import db
from portal.i18n import local_today, localized
from portal.participations.models import Participation
from portal.programmes.models import Indicator
from portal.reporting import follow_up, late, services
from portal.reporting.forms import FollowUpValueForm, NarrativeForm, ReopenForm
from portal.reporting.labels import gains_kept_label
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.reporting.permissions import (
    can_follow_rounds,
    can_reopen_report,
    can_submit_report,
    has_own_reports,
)
from portal.web import commit_or_flash, commit_or_show

bp = Blueprint("reporting", __name__, url_prefix="/rapportering")


def _item_or_404(item_id: int):
    """The item with its participation, round and municipality, or 404 when it is missing
    or not the user's to read."""
    return access.get_visible_or_404(
        ReportingRequirement,
        item_id,
        current_user,
        options=(
            joinedload(ReportingRequirement.participation).joinedload(Participation.round),
            joinedload(ReportingRequirement.participation).joinedload(Participation.municipality),
        ),
    )


def _narrative_form(item, formdata=None) -> NarrativeForm:
    form = NarrativeForm(formdata=formdata, obj=None if formdata else item, prefix=f"r{item.id}")
    if formdata is None:
        form.version.data = str(item.version)
    return form


@bp.route("/")
@admits(ReportingRequirement)
def index():
    today = local_today()
    if has_own_reports(current_user):
        groups = services.my_items(current_user, today)
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
    return render_template("reporting/rounds.html", rounds=rounds)


@bp.route("/forloeb/<slug>")
@admits(ReportingRequirement)
def round_list(slug: str):
    if not can_follow_rounds(current_user):
        abort(403)
    round_ = access.round_or_404(slug, current_user)
    report = late.late_list(
        round_,
        local_today(),
        show=request.args.get("vis", "overdue"),
        sort=request.args.get("sort", ""),
    )
    return render_template(
        "reporting/round.html",
        report=report,
        args={"slug": slug, "vis": report.show, "sort": report.sort},
    )


@bp.route("/<int:item_id>")
@admits(ReportingRequirement)
def detail(item_id: int):
    item = _item_or_404(item_id)
    return _render_detail(item)


def _follow_up_form(item, formdata=None) -> FollowUpValueForm | None:
    """The form for a value after the end, while the follow-up is the municipality's to
    write (not submitted)."""
    if item.kind != ReportKind.FOLLOW_UP or item.submitted_at is not None:
        return None
    if not can_submit_report(current_user, item):
        return None
    form = FollowUpValueForm(formdata=formdata, prefix=f"f{item.id}")
    form.indicator.choices = [(i.id, localized(i, "name")) for i in follow_up.key_indicators(item)]
    return form


def _render_detail(item, form=None, status=200, value_form=None):
    view = services.view_of(item, local_today())
    editable = can_submit_report(current_user, item) and view.state in (
        services.OPEN,
        services.OVERDUE,
    )
    is_follow_up = item.kind == ReportKind.FOLLOW_UP
    return (
        render_template(
            "reporting/detail.html",
            view=view,
            item=item,
            follow_up=follow_up.summary(item) if is_follow_up else None,
            value_form=value_form or _follow_up_form(item),
            form=form or (_narrative_form(item) if editable and item.has_narrative else None),
            gains_kept_label=gains_kept_label,
            reopen_form=ReopenForm(formdata=None, data={"version": str(item.version)})
            if can_reopen_report(current_user) and item.submitted_at is not None
            else None,
        ),
        status,
    )


@bp.route("/<int:item_id>", methods=["POST"])
@admits(ReportingRequirement, "change")
def submit(item_id: int):
    item = _item_or_404(item_id)
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


@bp.route("/<int:item_id>/opfoelgning", methods=["POST"])
@admits(FollowUpMeasurement, "change")
def record_follow_up(item_id: int):
    item = _item_or_404(item_id)
    form = _follow_up_form(item, formdata=request.form)
    if form is None:
        abort(403)
    if form.validate():
        indicator = db.session.get(Indicator, form.indicator.data)
        ok, _result = commit_or_show(
            form,
            lambda: follow_up.record_follow_up_value(
                item, indicator, form.on.data, form.value.number, form.note.data, actor=current_user
            ),
        )
        if ok:
            flash(_("Tallet er registreret."), "success")
            return redirect(url_for(".detail", item_id=item.id))
    return _render_detail(item, status=400, value_form=form)


@bp.route("/<int:item_id>/genaabn", methods=["POST"])
@admits(ReportingRequirement, "reopen")
def reopen(item_id: int):
    item = _item_or_404(item_id)
    form = ReopenForm()
    if commit_or_flash(
        lambda: services.reopen_report(item, actor=current_user, version=form.loaded_version())
    ):
        flash(_("Rapporten er genåbnet, så kommunen kan rette og aflevere den igen."), "success")
    return redirect(url_for(".detail", item_id=item.id))
