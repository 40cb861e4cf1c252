from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required

from portal import files
from portal.db import db
from portal.jobs import services, tasks
from portal.jobs.models import JobKind, JobStatus
from portal.jobs.permissions import get_job_or_404
from portal.reports.views import requested_scope

bp = Blueprint("jobs", __name__, url_prefix="/filer")

REFRESH_SECONDS = 3


@bp.route("/", methods=["POST"])
@login_required
def start():
    try:
        kind = JobKind(request.form.get("kind", ""))
    except ValueError:
        abort(404)
    scope = requested_scope(request.form.get("slug") or None, request.form)
    if not services.may_start(current_user, kind, scope):
        abort(403)
    job = services.start_job(kind, scope, actor=current_user, locale=str(get_locale()))
    db.session.commit()
    try:
        tasks.enqueue(job)
    except tasks.QueuePaused as paused:
        flash(paused.message, "error")
    return redirect(url_for(".show", job_id=job.id), code=303)


@bp.route("/<int:job_id>")
@login_required
def show(job_id: int):
    job = get_job_or_404(job_id, current_user)
    return render_template("jobs/show.html", job=job, refresh=REFRESH_SECONDS)


@bp.route("/<int:job_id>/status.json")
@login_required
def status(job_id: int):
    job = get_job_or_404(job_id, current_user)
    return jsonify(
        status=job.status.value,
        done=job.done,
        total=job.total,
        finished=job.finished,
        download=url_for(".download", job_id=job.id) if job.status == JobStatus.DONE else None,
    )


@bp.route("/<int:job_id>/fil")
@login_required
def download(job_id: int):
    job = get_job_or_404(job_id, current_user)
    if job.status != JobStatus.DONE or not job.file_path:
        abort(404)
    services.record_download(job, actor=current_user)
    db.session.commit()
    return files.send(job.file_path, mimetype=job.mimetype, download_name=job.filename)
