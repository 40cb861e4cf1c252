"""An admin's pages for a person's data: what the portal holds about them (and the ZIP of
it), their erasure (confirmed twice: on this page, then by typing their e-mail), and the
retention table with its last runs."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import admits
from portal.auth.models import User
from portal.db import db
from portal.jobs import tasks
from portal.jobs.models import JobKind
from portal.privacy import retention
from portal.privacy import words as _words  # noqa: F401 (the audit log's words)
from portal.privacy.erasure import is_erased, stand_in
from portal.privacy.forms import EraseForm
from portal.privacy.jobs import start_person_job
from portal.privacy.models import RetentionRun

bp = Blueprint("privacy", __name__, url_prefix="/admin/persondata")


@bp.route("/")
@admits(User, "change")
def overview():
    runs = db.session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc()).limit(20))
    return render_template("privacy/overview.html", table=retention.notice(), runs=list(runs))


@bp.route("/<int:user_id>")
@admits(User, "change")
def person(user_id: int):
    user = access.get_visible_or_404(User, user_id, current_user, "change")
    return render_template("privacy/person.html", user=user, erased=is_erased(user))


def _started(kind: JobKind, user: User):
    """The job made, committed and queued; its page shows the bar (``jobs.show``)."""
    job = start_person_job(kind, user, actor=current_user, locale=str(get_locale()))
    db.session.commit()
    try:
        tasks.enqueue(job)
    except tasks.QueuePaused as paused:
        flash(paused.message, "error")
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


@bp.route("/<int:user_id>/eksport", methods=["POST"])
@admits(User, "change")
def export(user_id: int):
    """The ZIP is made by the worker; its download is audited as the hand-over."""
    user = access.get_visible_or_404(User, user_id, current_user, "change")
    return _started(JobKind.PERSON_EXPORT, user)


@bp.route("/<int:user_id>/slet", methods=["GET", "POST"])
@admits(User, "change")
def erase(user_id: int):
    user = access.get_visible_or_404(User, user_id, current_user, "change")
    if is_erased(user):
        flash(_("Personens data er allerede slettet."), "info")
        return redirect(url_for(".person", user_id=user.id))
    form = EraseForm()
    if form.validate_on_submit():
        if form.email.data.strip().lower() != user.email:
            form.email.errors.append(_("E-mailadressen er ikke personens."))
        elif user.id == current_user.id:
            form.form_errors.append(_("Du kan ikke slette dine egne persondata."))
        else:
            return _started(JobKind.PERSON_ERASURE, user)
    return render_template(
        "privacy/erase.html",
        user=user,
        form=form,
        words=stand_in(user),
    )
