"""Files of figures: the exports, the import template and the upload pages (routes of the
``benefits`` blueprint)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import admits
from portal.audit import services as audit
from portal.benefits.files import exporting
from portal.benefits.files.import_job import is_large_import
from portal.benefits.files.importing import import_figures
from portal.benefits.models import CostKind, Measurement
from portal.benefits.permissions import (
    can_export_round,
    can_import_for_any,
)
from portal.benefits.recording.forms import UploadForm
from portal.benefits.views import bp
from portal.benefits.views.figures import editable_or_403
from portal.db import db
from portal.errors import PortalError, RowErrors
from portal.jobs import services as jobs
from portal.jobs import tasks
from portal.participations.models import Participation
from portal.participations.services import participations_of_round


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
@admits(Measurement)
def export_participation(participation_id: int, fmt: str):
    participation = access.get_visible_or_404(Participation, participation_id, current_user)
    table = exporting.figures_table(participation.round, [participation])
    stem = f"tal-{participation.round.slug}-{participation.municipality.code_display}"
    return _send(
        table,
        stem,
        _format(fmt),
        municipality_id=participation.municipality_id,
        round_id=participation.round_id,
    )


@bp.route("/forloeb/<slug>/tal.<fmt>")
@admits(Measurement, every=True)
def export_round(slug: str, fmt: str):
    if not can_export_round(current_user):
        abort(403)
    round_ = access.round_or_404(slug, current_user)
    table = exporting.figures_table(round_, participations_of_round(round_))
    return _send(table, f"tal-{round_.slug}", _format(fmt), round_id=round_.id)


@bp.route("/forloeb/<slug>/skabelon.<fmt>")
@admits(Participation)
def template(slug: str, fmt: str):
    """The import template: every participating municipality for national users, only their
    own for a municipality's users (404 when it does not participate)."""
    round_ = access.round_or_404(slug, current_user)
    participations = list(
        db.session.scalars(
            access.visible(
                select(Participation).where(Participation.round_id == round_.id), current_user
            )
        )
    )
    if not participations and not access.is_national(current_user):
        abort(404)
    fmt = _format(fmt)
    return Response(
        exporting.to_bytes(exporting.template_table(round_, participations), fmt),
        mimetype=exporting.MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename=skabelon-{round_.slug}.{fmt}"},
    )


def _import_as_job(data: bytes, round_):
    """A whole round's large file goes to the worker; its page follows it."""
    job = jobs.start_import(data, round_, actor=current_user, locale=str(get_locale()))
    db.session.commit()
    try:
        tasks.enqueue(job)
    except tasks.QueuePaused as paused:
        flash(paused.message, "error")
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


def _upload(round_, back_url: str, participation=None):
    form = UploadForm()
    errors = None
    if form.validate_on_submit():
        data = form.file.data.read()
        if participation is None and is_large_import(data):
            return _import_as_job(data, round_)
        try:
            result = import_figures(data, round_, actor=current_user)
        except RowErrors as error:
            db.session.rollback()
            errors = error.errors
        except PortalError as error:
            db.session.rollback()
            form.file.errors = [error.message]
        else:
            db.session.commit()
            flash(result.summary(), "success" if result.total else "warning")
            return redirect(back_url)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "benefits/upload.html",
        round=round_,
        participation=participation,
        form=form,
        errors=errors,
        back_url=back_url,
        cost_word=CostKind.ONE_OFF.file_word(),
    ), status


@bp.route("/deltagelse/<int:participation_id>/indlaes", methods=["GET", "POST"])
@admits(Measurement, "change")
def upload_participation(participation_id: int):
    participation = editable_or_403(participation_id)
    return _upload(
        participation.round,
        url_for(".participation", participation_id=participation.id),
        participation,
    )


@bp.route("/forloeb/<slug>/indlaes", methods=["GET", "POST"])
@admits(Measurement, "change", every=True)
def upload_round(slug: str):
    round_ = access.round_or_404(slug, current_user)
    if not can_import_for_any(current_user):
        abort(403)
    return _upload(round_, url_for(".upload_round", slug=round_.slug))
