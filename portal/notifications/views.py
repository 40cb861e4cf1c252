from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import access
from portal.access import admits
from portal.db import db
from portal.notifications import services, texts
from portal.notifications.models import Notification, OutboxMessage
from portal.notifications.outbox import NO_SERVER, OUTBOX_FILTERS, deliver_outbox, outbox_listing
from portal.notifications.permissions import (
    can_mark_read,
    reads_all_notices,
)
from portal.pagination import paginate
from portal.web import commit_or_flash

bp = Blueprint("notifications", __name__, url_prefix="/beskeder")


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


@bp.route("/")
@login_required
def index():
    page = paginate(
        services.notices_for(current_user),
        _page_number(),
        current_app.config["PAGE_SIZE"],
        request.args.to_dict(),
        keep=(),
        rows=True,
    )
    return render_template(
        "notifications/index.html",
        page=page,
        has_scope=reads_all_notices(current_user) or can_mark_read(current_user),
        all_municipalities=reads_all_notices(current_user),
        can_mark=can_mark_read(current_user),
        can_mark_notice=lambda user, notice: access.allows(user, notice, "change"),
        unread=services.unread_count(current_user),
        notice_text=texts.notice_text,
    )


def _back_to_list():
    return redirect(url_for(".index", page=request.form.get("page", type=int)))


@bp.route("/<int:notice_id>/laest", methods=["POST"])
@login_required
def mark_read(notice_id: int):
    notice = access.get_visible_or_404(Notification, notice_id, current_user)
    if not access.allows(current_user, notice, "change"):
        abort(403)
    commit_or_flash(lambda: services.mark_read(notice, actor=current_user))
    return _back_to_list()


@bp.route("/laest", methods=["POST"])
@login_required
def mark_all_read():
    if not can_mark_read(current_user):
        abort(403)
    if commit_or_flash(lambda: services.mark_all_read(actor=current_user)):
        flash(_("Alle beskeder er markeret som læst."), "success")
    return _back_to_list()


@bp.route("/udbakke")
@admits(OutboxMessage)
def outbox():
    status = request.args.get("status", "")
    status = status if status in OUTBOX_FILTERS else ""
    page = paginate(
        outbox_listing(status),
        _page_number(),
        current_app.config["PAGE_SIZE"],
        request.args.to_dict(),
        keep=("status",),
        rows=True,
    )
    return render_template(
        "notifications/outbox.html",
        page=page,
        status=status,
        mail_server=bool(current_app.config.get("SMTP_HOST")),
        NO_SERVER=NO_SERVER,
    )


@bp.route("/udbakke/send", methods=["POST"])
@admits(OutboxMessage, "change")
def send_outbox():
    result = deliver_outbox(after_each=lambda _message, _outcome: db.session.commit())
    db.session.commit()
    if result.logged:
        flash(
            ngettext(
                "Der er ingen mailserver sat op: %(num)d e-mail er skrevet i loggen og venter"
                " i udbakken.",
                "Der er ingen mailserver sat op: %(num)d e-mails er skrevet i loggen og venter"
                " i udbakken.",
                len(result.logged),
            ),
            "warning",
        )
    flash(
        _(
            "Sendt: %(sent)d. Fejlede: %(failed)d. Venter nu: %(waiting)d.",
            sent=len(result.sent),
            failed=len(result.failed),
            waiting=result.waiting,
        ),
        "error" if result.failed else "success",
    )
    status = request.form.get("status", "")
    return redirect(url_for(".outbox", status=status if status in OUTBOX_FILTERS else None))
