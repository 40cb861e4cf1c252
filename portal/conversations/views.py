"""The conversation pages: the inbox, a thread per application, participation and reporting
item (read, write, mark read), and an attachment's download — each through the gate."""

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal import access, files
from portal.access import admits
from portal.applications.models import Application
from portal.conversations import services
from portal.conversations.attachments import readable_size
from portal.conversations.forms import MessageForm
from portal.conversations.models import Attachment, Thread, ThreadKind
from portal.db import db
from portal.participations.models import Participation
from portal.reporting.models import ReportingRequirement
from portal.web import commit_or_show, run_and_commit

bp = Blueprint("conversations", __name__, url_prefix="/samtaler")
bp.add_app_template_filter(readable_size, "file_size")


@bp.app_template_global()
def can_converse(user) -> bool:
    return access.can(user, Thread, "read")


bp.add_app_template_global(services.unread_messages, "unread_messages")


@bp.app_template_global()
def conversation_panel(kind: str, obj):
    """For a subject's page: its thread in brief, or None when the user may not read it."""
    subject = services.Subject(ThreadKind(kind), obj)
    if not services.may_read(current_user, subject):
        return None
    thread = services.thread_of(subject)
    unread = services.unread_counts(current_user, [thread.id]).get(thread.id, 0) if thread else 0
    return {
        "thread": thread,
        "last": thread.messages[-1] if thread and thread.messages else None,
        "count": len(thread.messages) if thread else 0,
        "unread": unread,
        "link": subject.link,
        "writable": services.may_write(current_user, subject),
        "municipality_side": services.from_municipality(current_user),
    }


@bp.route("/")
@admits(Thread)
def index():
    return render_template("conversations/inbox.html", rows=services.inbox(current_user))


def _thread_page(subject: services.Subject, form=None, status=200):
    if not services.may_read(current_user, subject):
        abort(404)
    thread = services.thread_of(subject)
    writable = services.may_write(current_user, subject)
    form = form or MessageForm(formdata=None)
    return render_template(
        "conversations/thread.html",
        subject=subject,
        title=services.describe(subject),
        thread=thread,
        messages=thread.messages if thread else [],
        last_read=services.last_read(thread, current_user),
        unread=services.unread_counts(current_user, [thread.id]).get(thread.id, 0) if thread else 0,
        form=form if writable else None,
        may_correct=services.may_ask_correction(current_user, subject),
    ), status


def _post(subject: services.Subject):
    if not services.may_read(current_user, subject):
        abort(404)
    if not services.may_write(current_user, subject):
        abort(403)  # reads along (a municipality's leadership), writes nothing
    form = MessageForm()
    if form.validate():
        ok, _message = commit_or_show(
            form,
            lambda: services.post_message(
                subject,
                form.body.data or "",
                form.uploads(),
                actor=current_user,
                ask_correction=bool(form.ask_correction.data),
            ),
        )
        if ok:
            flash(_("Beskeden er sendt."), "success")
            return redirect(subject.link + "#seneste")
    if form.attachments.data and any(getattr(f, "filename", "") for f in form.attachments.data):
        form.form_errors.append(_("Vælg filerne igen: en browser kan ikke huske dem."))
    return _thread_page(subject, form, 400)


def _subject_route(kind: ThreadKind, model, ident: int):
    obj = access.get_visible_or_404(model, ident, current_user)
    subject = services.Subject(kind, obj)
    return _post(subject) if request.method == "POST" else _thread_page(subject)


@bp.route("/ansoegning/<int:application_id>", methods=["GET", "POST"])
@admits(Thread)
def application(application_id: int):
    return _subject_route(ThreadKind.APPLICATION, Application, application_id)


@bp.route("/deltagelse/<int:participation_id>", methods=["GET", "POST"])
@admits(Thread)
def participation(participation_id: int):
    return _subject_route(ThreadKind.PARTICIPATION, Participation, participation_id)


@bp.route("/rapport/<int:item_id>", methods=["GET", "POST"])
@admits(Thread)
def report(item_id: int):
    return _subject_route(ThreadKind.REPORT, ReportingRequirement, item_id)


@bp.route("/<int:thread_id>/laest", methods=["POST"])
@admits(Thread)
def mark_read(thread_id: int):
    thread = access.get_visible_or_404(Thread, thread_id, current_user)
    run_and_commit(lambda: services.mark_read(thread, actor=current_user))
    flash(_("Samtalen er markeret som læst."), "success")
    return redirect(services.subject_of_thread(thread).link)


@bp.route("/bilag/<int:attachment_id>")
@admits(Attachment)
def attachment(attachment_id: int):
    found = access.get_visible_or_404(Attachment, attachment_id, current_user)
    try:
        response = files.send(found.key, mimetype=found.content_type, download_name=found.filename)
    except FileNotFoundError:
        abort(404)
    services.record_download(found, actor=current_user)
    db.session.commit()
    return response
