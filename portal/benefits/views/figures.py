"""Pages for recording a participation's figures, and the imports and exports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import access
from portal.access import admits
from portal.benefits import recording
from portal.benefits.calculation import quality
from portal.benefits.models import Cost, CostKind, Measurement, Target
from portal.benefits.permissions import (
    can_edit_figures,
    can_enter_figures,
)
from portal.benefits.recording import costs, freeze
from portal.benefits.recording.entry import entry_overview
from portal.benefits.recording.forms import (
    BaselineForm,
    CostForm,
    HourlyCostForm,
    MeasurementEditForm,
    MeasurementForm,
    OwnerForm,
    TargetForm,
)
from portal.benefits.recording.page import indicator_page, participation_page
from portal.benefits.recording.rules import period_label
from portal.benefits.views import bp
from portal.db import db
from portal.participations.models import Participation
from portal.participations.services import my_participations
from portal.programmes.models import Indicator
from portal.web import commit_or_flash, commit_or_show, posted_version


@bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals.update(
        quality_label=quality.label, quality_mark_letter=quality.mark
    )


def editable_or_403(participation_id: int):
    participation = access.get_visible_or_404(Participation, participation_id, current_user)
    if not can_edit_figures(current_user, participation):
        abort(403)
    return participation


def _indicator_of(participation, indicator_id: int) -> Indicator:
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.programme_id != participation.round.programme_id:
        abort(404)
    return indicator


def _figure_of(model, ident: int, participation):
    figure = access.get_visible_or_404(model, ident, current_user)
    if figure.participation_id != participation.id:
        abort(404)
    return figure


def _back(participation, anchor: str | None = None):
    return redirect(url_for(".participation", participation_id=participation.id, _anchor=anchor))


def _to_indicator(participation, indicator_id: int):
    return redirect(
        url_for(".indicator", participation_id=participation.id, indicator_id=indicator_id)
    )


@bp.route("/deltagelse/<int:participation_id>")
@admits(Measurement)
def participation(participation_id: int):
    return _render(access.get_visible_or_404(Participation, participation_id, current_user))


def _render(participation, posted=None, status=200):
    page = participation_page(
        participation,
        editable=can_edit_figures(current_user, participation),
        posted=posted,
        can_approve=freeze.can_approve_picture(current_user),
    )
    return render_template("benefits/participation.html", page=page), status


@bp.route("/indtast")
@admits(Measurement, "change")
def enter():
    if not can_enter_figures(current_user):
        abort(403)
    participations = my_participations(current_user)
    return render_template(
        "benefits/enter.html",
        participations=participations,
        overview=entry_overview(participations),
        period_label=period_label,
    )


def _render_indicator(participation, indicator, posted=None, status=200):
    page = indicator_page(
        participation,
        indicator,
        editable=can_edit_figures(current_user, participation),
        posted=posted,
    )
    return render_template("benefits/indicator.html", page=page), status


@bp.route("/deltagelse/<int:participation_id>/indikator/<int:indicator_id>")
@admits(Measurement)
def indicator(participation_id: int, indicator_id: int):
    participation = access.get_visible_or_404(Participation, participation_id, current_user)
    return _render_indicator(participation, _indicator_of(participation, indicator_id))


def _save(participation, key, form, call, message, anchor, field_map=None):
    """Validate, call the service, commit once and go back; or show the form again (an
    indicator's form on that indicator's page, the others on the participation's page)."""
    what, indicator = key
    if form.validate():
        ok, _result = commit_or_show(form, call, field_map)
        if ok:
            flash(message, "success")
            if indicator is not None:
                return _to_indicator(participation, indicator.id)
            return _back(participation, anchor)
    if indicator is not None:
        return _render_indicator(participation, indicator, posted={what: form}, status=400)
    return _render(participation, posted={key: form}, status=400)


@bp.route(
    "/deltagelse/<int:participation_id>/indikator/<int:indicator_id>/basislinje",
    methods=["POST"],
)
@admits(Measurement, "change")
def set_baseline(participation_id: int, indicator_id: int):
    participation = editable_or_403(participation_id)
    indicator = _indicator_of(participation, indicator_id)
    form = BaselineForm(prefix=f"b{indicator.id}")
    return _save(
        participation,
        ("baseline", indicator),
        form,
        lambda: recording.set_baseline(
            participation,
            indicator,
            form.value.number,
            form.measured_on.data,
            form.source_note.data,
            actor=current_user,
            version=form.loaded_version(),
            quality=form.quality.quality,
            reason=form.reason.data or "",
        ),
        _("Basislinjen er gemt."),
        f"i{indicator.id}",
        {"date": "measured_on", "note": "source_note"},
    )


@bp.route("/deltagelse/<int:participation_id>/indikator/<int:indicator_id>/maal", methods=["POST"])
@admits(Measurement, "change")
def set_target(participation_id: int, indicator_id: int):
    participation = editable_or_403(participation_id)
    indicator = _indicator_of(participation, indicator_id)
    form = TargetForm(prefix=f"t{indicator.id}")
    return _save(
        participation,
        ("target", indicator),
        form,
        lambda: recording.set_target(
            participation,
            indicator,
            form.value.number,
            form.target_date.data,
            pessimistic=form.pessimistic.number,
            optimistic=form.optimistic.number,
            note=form.note.data,
            actor=current_user,
            version=form.loaded_version(),
            quality=form.quality.quality,
            reason=form.reason.data or "",
        ),
        _("Målbilledet er gemt."),
        f"i{indicator.id}",
        {"date": "target_date"},
    )


@bp.route(
    "/deltagelse/<int:participation_id>/indikator/<int:indicator_id>/maaling", methods=["POST"]
)
@admits(Measurement, "change")
def add_measurement(participation_id: int, indicator_id: int):
    participation = editable_or_403(participation_id)
    indicator = _indicator_of(participation, indicator_id)
    form = MeasurementForm(prefix=f"m{indicator.id}")
    return _save(
        participation,
        ("measurement", indicator),
        form,
        lambda: recording.record_measurement(
            participation,
            indicator,
            form.on.data,
            form.value.number,
            form.note.data,
            actor=current_user,
            quality=form.quality.quality,
        ),
        _("Målingen er gemt."),
        f"i{indicator.id}",
        {"date": "on"},
    )


@bp.route(
    "/deltagelse/<int:participation_id>/maalinger/<int:measurement_id>", methods=["GET", "POST"]
)
@admits(Measurement, "change")
def edit_measurement(participation_id: int, measurement_id: int):
    participation = editable_or_403(participation_id)
    measurement = _figure_of(Measurement, measurement_id, participation)
    form = MeasurementEditForm(obj=measurement if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(measurement.version)
    elif form.validate():
        ok, _result = commit_or_show(
            form,
            lambda: recording.update_measurement(
                measurement,
                form.value.number,
                form.note.data,
                actor=current_user,
                version=form.loaded_version(),
                quality=form.quality.quality,
            ),
        )
        if ok:
            flash(_("Målingen er gemt."), "success")
            return _to_indicator(participation, measurement.indicator_id)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "benefits/measurement.html",
        participation=participation,
        measurement=measurement,
        form=form,
        period_label=period_label,
    ), status


@bp.route(
    "/deltagelse/<int:participation_id>/maalinger/<int:measurement_id>/slet", methods=["POST"]
)
@admits(Measurement, "change")
def delete_measurement(participation_id: int, measurement_id: int):
    participation = editable_or_403(participation_id)
    measurement = _figure_of(Measurement, measurement_id, participation)
    indicator_id = measurement.indicator_id
    version = posted_version()
    if commit_or_flash(
        lambda: recording.delete_measurement(measurement, actor=current_user, version=version)
    ):
        flash(_("Målingen er slettet."), "success")
    return _to_indicator(participation, indicator_id)


@bp.route("/deltagelse/<int:participation_id>/omkostninger", methods=["POST"])
@admits(Measurement, "change")
def add_cost(participation_id: int):
    participation = editable_or_403(participation_id)
    form = CostForm(prefix="cost")
    return _save(
        participation,
        ("cost", None),
        form,
        lambda: costs.add_cost(
            participation,
            CostKind(form.kind.data),
            form.category.data,
            form.incurred_on.data,
            form.amount.number,
            form.note.data,
            actor=current_user,
        ),
        _("Omkostningen er gemt."),
        "omkostninger",
        {"date": "incurred_on", "value": "amount"},
    )


@bp.route("/deltagelse/<int:participation_id>/omkostninger/<int:cost_id>/slet", methods=["POST"])
@admits(Measurement, "change")
def delete_cost(participation_id: int, cost_id: int):
    participation = editable_or_403(participation_id)
    cost = _figure_of(Cost, cost_id, participation)
    version = posted_version()
    if commit_or_flash(lambda: costs.delete_cost(cost, actor=current_user, version=version)):
        flash(_("Omkostningen er slettet."), "success")
    return _back(participation, "omkostninger")


@bp.route("/deltagelse/<int:participation_id>/gevinstejer", methods=["POST"])
@admits(Measurement, "change")
def set_owner(participation_id: int):
    participation = editable_or_403(participation_id)
    form = OwnerForm(prefix="owner")
    return _save(
        participation,
        ("owner", None),
        form,
        lambda: costs.set_benefit_owner(
            participation,
            form.name.data,
            form.title.data,
            actor=current_user,
            version=form.loaded_version(),
        ),
        _("Gevinstejeren er gemt."),
        "ejer",
    )


@bp.route("/deltagelse/<int:participation_id>/godkend-maalbillede", methods=["POST"])
@admits(Target, "approve")
def approve_picture(participation_id: int):
    participation = access.get_visible_or_404(Participation, participation_id, current_user)
    if commit_or_flash(lambda: freeze.approve_target_picture(participation, actor=current_user)):
        flash(_("Basislinje og målbillede er godkendt og låst."), "success")
    return _back(participation, "maalbillede")


@bp.route("/deltagelse/<int:participation_id>/timepris", methods=["POST"])
@admits(Measurement, "change")
def set_hourly_cost(participation_id: int):
    participation = editable_or_403(participation_id)
    form = HourlyCostForm(prefix="hourly")
    return _save(
        participation,
        ("hourly", None),
        form,
        lambda: costs.set_hourly_cost(
            participation,
            form.amount.number,
            actor=current_user,
            version=form.loaded_version(),
        ),
        _("Timeprisen er gemt."),
        "ejer",
    )
