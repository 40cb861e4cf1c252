"""An admin's pages for a person's data: what the portal holds about them (and the ZIP of
it), their erasure (confirmed twice: on this page, then by typing their e-mail), and the
retention table with its last runs."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import admits
from portal.audit import services as audit
from portal.auth.models import User
from portal.db import db
from portal.privacy import retention
from portal.privacy.erasure import erase_person, erasure_preview, is_erased, stand_in
from portal.privacy.export import person_zip
from portal.privacy import words as _words  # noqa: F401 (the audit log's words)
from portal.privacy.forms import EraseForm
from portal.privacy.models import RetentionRun
from portal.web import commit_or_show, run_and_commit

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
    return render_template(
        "privacy/person.html", user=user, preview=erasure_preview(user), erased=is_erased(user)
    )


@bp.route("/<int:user_id>/eksport", methods=["POST"])
@admits(User, "change")
def export(user_id: int):
    user = access.get_visible_or_404(User, user_id, current_user, "change")
    data = person_zip(user)
    run_and_commit(
        lambda: audit.record(
            "person_exported", actor=current_user, obj=user, municipality_id=user.municipality_id
        )
    )
    response = Response(data, mimetype="application/zip")
    response.headers.set("Content-Disposition", "attachment", filename=f"persondata-{user.id}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response


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
        else:
            ok, erased = commit_or_show(
                form, lambda: erase_person(user, actor=current_user, reason="request")
            )
            if ok:
                flash(
                    _("Personens data er slettet (%(rows)d rækker rettet).", rows=erased.rows),
                    "success",
                )
                current_app.logger.info("person %s erased", user_id)
                return redirect(url_for(".person", user_id=user_id))
    return render_template(
        "privacy/erase.html",
        user=user,
        form=form,
        preview=erasure_preview(user),
        words=stand_in(user),
    )
