"""Pages for recording a participation's figures, and the imports and exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.audit import services as audit
from portal.auth.models import Role
from portal.auth.permissions import can_see_draft_rounds, get_scoped_or_404, role_required
from portal.benefits import exporting, recording
from portal.benefits.forms import (
    BaselineForm,
    CostForm,
    HourlyCostForm,
    MeasurementEditForm,
    MeasurementForm,
    OwnerForm,
    TargetForm,
    UploadForm,
)
from portal.benefits.importing import import_figures
from portal.benefits.models import Cost, CostKind, Measurement
from portal.benefits.page import participation_page
from portal.benefits.permissions import (
    READERS,
    can_edit_figures,
    can_export_round,
    can_import_for_any,
    get_participation_or_404,
)
from portal.benefits.rules import period_label
from portal.db import db
from portal.errors import PortalError, RowErrors
from portal.participations.models import Participation
from portal.participations.services import participations_of_round, scope_participations
from portal.programmes.models import Indicator
from portal.programmes.services import get_round_by_slug
from portal.web import commit_or_flash, commit_or_show

bp = Blueprint("benefits", __name__, url_prefix="/gevinster")


def _editable(participation_id: int):
    participation = get_participation_or_404(participation_id, current_user)
    if not can_edit_figures(current_user, participation):
        abort(403)
    return participation


def _indicator_of(participation, indicator_id: int) -> Indicator:
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.programme_id != participation.round.programme_id:
        abort(404)
    return indicator


def _figure_of(model, ident: int, participation):
    figure = get_scoped_or_404(model, ident, current_user)
    if figure.participation_id != participation.id:
        abort(404)
    return figure


def _back(participation, anchor: str | None = None):
    return redirect(url_for(".participation", participation_id=participation.id, _anchor=anchor))


@bp.route("/deltagelse/<int:participation_id>")
@role_required(*READERS)
def participation(participation_id: int):
    return _render(get_participation_or_404(participation_id, current_user))


def _render(participation, posted=None, status=200):
    page = participation_page(
        participation, editable=can_edit_figures(current_user, participation), posted=posted
    )
    return render_template("benefits/participation.html", page=page), status


def _save(participation, key, form, call, message, anchor, field_map=None):
    """Validate, call the service, commit once and go back; or show the form again."""
    if form.validate():
        ok, _result = commit_or_show(form, call, field_map)
        if ok:
            flash(message, "success")
            return _back(participation, anchor)
    return _render(participation, posted={key: form}, status=400)


@bp.route(
    "/deltagelse/<int:participation_id>/indikator/<int:indicator_id>/basislinje",
    methods=["POST"],
)
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def set_baseline(participation_id: int, indicator_id: int):
    participation = _editable(participation_id)
    indicator = _indicator_of(participation, indicator_id)
    form = BaselineForm(prefix=f"b{indicator.id}")
    return _save(
        participation,
        ("baseline", indicator.id),
        form,
        lambda: recording.set_baseline(
            participation,
            indicator,
            form.value.number,
            form.measured_on.data,
            form.source_note.data,
            actor=current_user,
            version=form.loaded_version(),
        ),
        _("Basislinjen er gemt."),
        f"i{indicator.id}",
        {"date": "measured_on", "note": "source_note"},
    )


@bp.route("/deltagelse/<int:participation_id>/indikator/<int:indicator_id>/maal", methods=["POST"])
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def set_target(participation_id: int, indicator_id: int):
    participation = _editable(participation_id)
    indicator = _indicator_of(participation, indicator_id)
    form = TargetForm(prefix=f"t{indicator.id}")
    return _save(
        participation,
        ("target", indicator.id),
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
        ),
        _("Målbilledet er gemt."),
        f"i{indicator.id}",
        {"date": "target_date"},
    )


@bp.route(
    "/deltagelse/<int:participation_id>/indikator/<int:indicator_id>/maaling", methods=["POST"]
)
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def add_measurement(participation_id: int, indicator_id: int):
    participation = _editable(participation_id)
    indicator = _indicator_of(participation, indicator_id)
    form = MeasurementForm(prefix=f"m{indicator.id}")
    return _save(
        participation,
        ("measurement", indicator.id),
        form,
        lambda: recording.record_measurement(
            participation,
            indicator,
            form.on.data,
            form.value.number,
            form.note.data,
            actor=current_user,
        ),
        _("Målingen er gemt."),
        f"i{indicator.id}",
        {"date": "on"},
    )


@bp.route(
    "/deltagelse/<int:participation_id>/maalinger/<int:measurement_id>", methods=["GET", "POST"]
)
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def edit_measurement(participation_id: int, measurement_id: int):
    participation = _editable(participation_id)
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
            ),
        )
        if ok:
            flash(_("Målingen er gemt."), "success")
            return _back(participation, f"i{measurement.indicator_id}")
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
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def delete_measurement(participation_id: int, measurement_id: int):
    participation = _editable(participation_id)
    measurement = _figure_of(Measurement, measurement_id, participation)
    anchor = f"i{measurement.indicator_id}"
    version = request.form.get("version", type=int)
    if commit_or_flash(
        lambda: recording.delete_measurement(measurement, actor=current_user, version=version)
    ):
        flash(_("Målingen er slettet."), "success")
    return _back(participation, anchor)


@bp.route("/deltagelse/<int:participation_id>/omkostninger", methods=["POST"])
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def add_cost(participation_id: int):
    participation = _editable(participation_id)
    form = CostForm(prefix="cost")
    return _save(
        participation,
        ("cost", None),
        form,
        lambda: recording.add_cost(
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
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def delete_cost(participation_id: int, cost_id: int):
    participation = _editable(participation_id)
    cost = _figure_of(Cost, cost_id, participation)
    version = request.form.get("version", type=int)
    if commit_or_flash(lambda: recording.delete_cost(cost, actor=current_user, version=version)):
        flash(_("Omkostningen er slettet."), "success")
    return _back(participation, "omkostninger")


@bp.route("/deltagelse/<int:participation_id>/gevinstejer", methods=["POST"])
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def set_owner(participation_id: int):
    participation = _editable(participation_id)
    form = OwnerForm(prefix="owner")
    return _save(
        participation,
        ("owner", None),
        form,
        lambda: recording.set_benefit_owner(
            participation,
            form.name.data,
            form.title.data,
            actor=current_user,
            version=form.loaded_version(),
        ),
        _("Gevinstejeren er gemt."),
        "ejer",
    )


@bp.route("/deltagelse/<int:participation_id>/timepris", methods=["POST"])
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def set_hourly_cost(participation_id: int):
    participation = _editable(participation_id)
    form = HourlyCostForm(prefix="hourly")
    return _save(
        participation,
        ("hourly", None),
        form,
        lambda: recording.set_hourly_cost(
            participation,
            form.amount.number,
            actor=current_user,
            version=form.loaded_version(),
        ),
        _("Timeprisen er gemt."),
        "ejer",
    )


# --- files -----------------------------------------------------------------------------------


def _send(table, stem: str, fmt: str, **audit_fields) -> Response:
    audit.record("figures_exported", actor=current_user, format=fmt, **audit_fields)
    db.session.commit()
    return Response(
        exporting.to_bytes(table, fmt),
        mimetype=exporting.MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={stem}.{fmt}"},
    )


def _format(fmt: str) -> str:
    if fmt not in exporting.FORMATS:
        abort(404)
    return fmt


@bp.route("/deltagelse/<int:participation_id>/tal.<fmt>")
@role_required(*READERS)
def export_participation(participation_id: int, fmt: str):
    participation = get_participation_or_404(participation_id, current_user)
    table = exporting.figures_table(participation.round, [participation])
    stem = f"tal-{participation.round.slug}-{participation.municipality.code_display}"
    return _send(
        table,
        stem,
        _format(fmt),
        municipality_id=participation.municipality_id,
        round_id=participation.round_id,
    )


def _round_or_404(slug: str):
    return get_round_by_slug(slug, include_drafts=can_see_draft_rounds(current_user)) or abort(404)


@bp.route("/forloeb/<slug>/tal.<fmt>")
@role_required(*READERS)
def export_round(slug: str, fmt: str):
    if not can_export_round(current_user):
        abort(403)
    round_ = _round_or_404(slug)
    table = exporting.figures_table(round_, participations_of_round(round_))
    return _send(table, f"tal-{round_.slug}", _format(fmt), round_id=round_.id)


@bp.route("/forloeb/<slug>/skabelon.<fmt>")
@role_required(*READERS)
def template(slug: str, fmt: str):
    """The import template: every participating municipality for national users, only their
    own for a municipality's users (404 when it does not participate)."""
    round_ = _round_or_404(slug)
    participations = list(
        db.session.scalars(
            scope_participations(
                select(Participation).where(Participation.round_id == round_.id), current_user
            )
        )
    )
    if not participations and not current_user.is_national:
        abort(404)
    fmt = _format(fmt)
    return Response(
        exporting.to_bytes(exporting.template_table(round_, participations), fmt),
        mimetype=exporting.MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename=skabelon-{round_.slug}.{fmt}"},
    )


def _upload(round_, back_url: str, participation=None):
    form = UploadForm()
    errors = None
    if form.validate_on_submit():
        try:
            result = import_figures(form.file.data.read(), round_, actor=current_user)
        except RowErrors as error:
            db.session.rollback()
            errors = error.errors
        except PortalError as error:
            db.session.rollback()
            form.file.errors = [error.message]
        else:
            db.session.commit()
            flash(result.summary(), "success")
            return redirect(back_url)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "benefits/upload.html",
        round=round_,
        participation=participation,
        form=form,
        errors=errors,
        back_url=back_url,
    ), status


@bp.route("/deltagelse/<int:participation_id>/indlaes", methods=["GET", "POST"])
@role_required(Role.MUNICIPAL, Role.COORDINATOR)
def upload_participation(participation_id: int):
    participation = _editable(participation_id)
    return _upload(
        participation.round,
        url_for(".participation", participation_id=participation.id),
        participation,
    )


@bp.route("/forloeb/<slug>/indlaes", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def upload_round(slug: str):
    round_ = _round_or_404(slug)
    if not can_import_for_any(current_user):
        abort(403)
    return _upload(round_, url_for(".upload_round", slug=round_.slug))
