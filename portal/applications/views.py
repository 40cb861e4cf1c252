from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import access
from portal.access import admits
from portal.applications import checks, membership, queries, services, versions
from portal.applications.forms import ApplicationForm, ExtensionForm, ReopenForm
from portal.applications.models import (
    Application,
    ApplicationMember,
    ApplicationStatus,
    ApplicationVersion,
    DeadlineExtension,
)
from portal.applications.permissions import (
    can_confirm_membership,
    can_decline_membership,
    can_edit_application,
    can_manage_applications,
    can_reopen,
    can_withdraw,
    is_own,
)
from portal.db import db, utcnow, valid_id
from portal.errors import PortalError, RuleViolations
from portal.municipalities.models import Municipality
from portal.municipalities.services import active_municipalities
from portal.pagination import paginate
from portal.programmes import services as programmes
from portal.programmes.models import Round
from portal.web import commit_or_flash, commit_or_show, posted_version, run_and_commit, show_error

bp = Blueprint("applications", __name__, url_prefix="/ansoegninger")


@bp.route("/")
@login_required
def index():
    if access.is_national(current_user):
        stmt = (
            select(Application)
            .options(
                selectinload(Application.round),
                selectinload(Application.municipality),
                selectinload(Application.members).joinedload(ApplicationMember.municipality),
            )
            .where(Application.status != ApplicationStatus.DRAFT)
            .order_by(Application.submitted_at.desc().nulls_last(), Application.id.desc())
        )
        status = request.args.get("status", "")
        if status in {s.value for s in ApplicationStatus}:
            stmt = stmt.where(Application.status == status)
        page = paginate(
            access.visible(stmt, current_user),
            request.args.get("page", 1, type=int),
            current_app.config["PAGE_SIZE"],
            request.args,
            keep=("status",),
        )
        return render_template("applications/national.html", page=page, status=status)
    if current_user.municipality_id is None or not access.can(current_user, Application):
        return render_template("applications/mine.html", applications=[], open_rounds=[])
    applications = queries.applications_of(current_user)
    applied = {a.round_id for a in applications}
    open_rounds = [r for r in programmes.open_rounds() if r.id not in applied]
    return render_template(
        "applications/mine.html", applications=applications, open_rounds=open_rounds
    )


def _application_form(round_: Round, own_id: int) -> ApplicationForm:
    form = ApplicationForm()
    form.set_choices(services.goals_of(round_), active_municipalities(), own_id)
    return form


def _after_save(form: ApplicationForm, application: Application):
    """Saved; submit too when that button was pressed. Returns a redirect, or None to show
    the form again with what is missing at each field (the draft is kept)."""
    if request.form.get("action") != "submit":
        flash(_("Kladden er gemt."), "success")
        return redirect(url_for(".detail", application_id=application.id))
    ok, _result = commit_or_show(
        form, lambda: services.submit(application, actor=current_user, version=application.version)
    )
    if ok:
        flash(_("Ansøgningen er indsendt."), "success")
        return redirect(url_for(".detail", application_id=application.id))
    flash(_("Kladden er gemt, men ansøgningen kan ikke indsendes endnu."), "warning")
    form.version.data = str(application.version)
    return None


@bp.route("/ny/<slug>", methods=["GET", "POST"])
@admits(Application, "change")
def new(slug: str):
    round_ = access.round_or_404(slug, current_user)
    existing = queries.application_in_round(round_.id, current_user.municipality_id)
    if existing is not None:
        flash(_("Jeres kommune indgår allerede i en ansøgning til dette forløb."), "info")
        return redirect(url_for(".detail", application_id=existing.id))
    form = _application_form(round_, current_user.municipality_id)
    if request.method == "POST" and form.validate():
        ok, application = commit_or_show(
            form,
            lambda: services.start_application(
                round_, current_user.municipality, form.application_data(), actor=current_user
            ),
        )
        if ok:
            response = _after_save(form, application)
            if response is not None:
                return response
            return render_template(
                "applications/form.html", round=round_, application=application, form=form
            ), 400
    status = 400 if request.method == "POST" else 200
    return render_template(
        "applications/form.html", round=round_, application=None, form=form
    ), status


@bp.route("/<int:application_id>")
@login_required
def detail(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user)
    return render_template(
        "applications/detail.html",
        application=application,
        deadline=services.deadline_for(application.round, application.municipality_id),
        accepting=services.accepts_from(application.round, application.municipality_id),
        missing=checks.missing_for_submission(application)
        if application.status == ApplicationStatus.DRAFT
        else [],
        reopen_form=ReopenForm(formdata=None, version=application.version),
    )


@bp.route("/<int:application_id>/rediger", methods=["GET", "POST"])
@admits(Application, "change")
def edit(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user)
    if not can_edit_application(current_user, application):
        flash(_("Ansøgningen kan ikke redigeres."), "error")
        return redirect(url_for(".detail", application_id=application.id))
    form = _application_form(application.round, application.municipality_id)
    if request.method == "GET":
        form.fill_from(application)
    elif form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: services.save_draft(
                application,
                form.application_data(),
                actor=current_user,
                version=form.loaded_version(),
            ),
        )
        if ok:
            response = _after_save(form, application)
            if response is not None:
                return response
    status = 400 if request.method == "POST" else 200
    return render_template(
        "applications/form.html", round=application.round, application=application, form=form
    ), status


def _action(application_id: int, allowed, call, done: str):
    """A button on the application page: load in scope, check, run one service, commit."""
    application = access.get_visible_or_404(Application, application_id, current_user)
    if not allowed(current_user, application):
        abort(403)
    if commit_or_flash(lambda: call(application)):
        flash(done, "success")
    return redirect(url_for(".detail", application_id=application.id))


@bp.route("/<int:application_id>/indsend", methods=["POST"])
@admits(Application, "change")
def submit(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user)
    if not is_own(current_user, application):
        abort(403)
    try:
        run_and_commit(
            lambda: services.submit(application, actor=current_user, version=posted_version())
        )
    except RuleViolations as error:
        flash(_("Ansøgningen kan ikke indsendes endnu: udfyld det, der mangler."), "error")
        form = _application_form(application.round, application.municipality_id)
        form.fill_from(application)
        show_error(form, error)
        return render_template(
            "applications/form.html", round=application.round, application=application, form=form
        ), 400
    except PortalError as error:
        flash(error.message, "error")
        return redirect(url_for(".detail", application_id=application.id))
    flash(_("Ansøgningen er indsendt."), "success")
    return redirect(url_for(".detail", application_id=application.id))


@bp.route("/<int:application_id>/traek-tilbage", methods=["POST"])
@admits(Application, "change")
def withdraw(application_id: int):
    return _action(
        application_id,
        is_own,
        lambda a: services.withdraw(a, actor=current_user, version=posted_version()),
        _("Ansøgningen er trukket tilbage."),
    )


@bp.route("/<int:application_id>/genoptag", methods=["POST"])
@admits(Application, "change")
def resume(application_id: int):
    return _action(
        application_id,
        is_own,
        lambda a: services.resume(a, actor=current_user, version=posted_version()),
        _("Ansøgningen er en kladde igen."),
    )


@bp.route("/<int:application_id>/bekraeft", methods=["POST"])
@admits(Application, "change")
def confirm(application_id: int):
    return _action(
        application_id,
        can_confirm_membership,
        lambda a: membership.confirm_membership(
            a, current_user.municipality_id, actor=current_user
        ),
        _("I har bekræftet den fælles ansøgning."),
    )


@bp.route("/<int:application_id>/afslaa", methods=["POST"])
@admits(Application, "change")
def decline(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user)
    if current_user.municipality_id not in application.municipality_ids[1:]:
        abort(403)
    if commit_or_flash(
        lambda: membership.decline_membership(
            application, current_user.municipality_id, actor=current_user
        )
    ):
        flash(_("I er ikke længere medansøger på ansøgningen."), "success")
        return redirect(url_for(".index"))
    return redirect(url_for(".detail", application_id=application.id))


@bp.route("/<int:application_id>/genaabn", methods=["POST"])
@admits(Application, "decide")
def reopen(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user)
    form = ReopenForm()
    if form.validate() and commit_or_flash(
        lambda: services.reopen(
            application, form.reason.data, actor=current_user, version=form.loaded_version()
        )
    ):
        flash(_("Ansøgningen er genåbnet, og kommunen kan rette den."), "success")
    elif form.errors:
        flash(_("Skriv, hvorfor ansøgningen genåbnes."), "error")
    return redirect(url_for(".detail", application_id=application.id))


@bp.route("/forloeb/<slug>/frister", methods=["GET", "POST"])
@admits(DeadlineExtension, "change")
def extensions(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = ExtensionForm()
    form.municipality_id.choices = [("", _("Vælg kommune"))] + [
        (str(m.id), m.name) for m in active_municipalities()
    ]
    if request.method == "POST" and form.validate():
        municipality = db.get_or_404(Municipality, form.municipality())
        ok, _ext = commit_or_show(
            form,
            lambda: services.extend_deadline(
                round_, municipality, form.until_at(), form.reason.data, actor=current_user
            ),
        )
        if ok:
            flash(_("Fristen for %(name)s er forlænget.", name=municipality.name), "success")
            return redirect(url_for(".extensions", slug=slug))
    return render_template(
        "applications/extensions.html",
        round=round_,
        form=form,
        extensions=services.extensions_of_round(round_),
        now=utcnow(),
    ), (400 if request.method == "POST" else 200)


@bp.route("/frister/<int:extension_id>/slet", methods=["POST"])
@admits(DeadlineExtension, "change")
def remove_extension(extension_id: int):
    extension = access.get_visible_or_404(DeadlineExtension, extension_id, current_user, "change")
    round_ = db.session.get(Round, extension.round_id)
    if commit_or_flash(lambda: services.remove_extension(extension, actor=current_user)):
        flash(_("Den forlængede frist er fjernet."), "success")
    return redirect(url_for(".extensions", slug=round_.slug))


def _visible_versions(application: Application) -> list[ApplicationVersion]:
    stmt = (
        select(ApplicationVersion)
        .where(ApplicationVersion.application_id == application.id)
        .order_by(ApplicationVersion.number)
    )
    return list(db.session.scalars(access.visible(stmt, current_user)))


@bp.app_template_global()
def application_changes(application: Application):
    """For an application's pages: what its last submission changed, when the user may
    read its versions (the coordinators, its own staff, the reviewers assigned to it)."""
    if not access.can(current_user, ApplicationVersion):
        return None
    return versions.latest_changes(_visible_versions(application))


@bp.route("/<int:application_id>/versioner")
@admits(ApplicationVersion)
def version_history(application_id: int):
    application = db.session.get(Application, application_id) if valid_id(application_id) else None
    if application is None or not (
        access.allows(current_user, application)
        or access.allows(current_user, application, "review")
    ):
        abort(404)
    found = _visible_versions(application)
    return render_template(
        "applications/versions.html",
        application=application,
        versions=found,
        changes=versions.changes_between(found),
    )


@bp.app_context_processor
def _application_permissions():
    return {
        "can_edit_application": can_edit_application,
        "can_confirm_membership": can_confirm_membership,
        "can_decline_membership": can_decline_membership,
        "can_withdraw": can_withdraw,
        "can_reopen": can_reopen,
        "can_manage_applications": can_manage_applications,
        "is_own_application": is_own,
    }
