"""Review pages: the reviewer's assignments and score form, an application's review page with
the coordinator's assignment and decision forms, and the PDF dossier. The round's overview,
ranked list, criteria and exports are in ``rounds``."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.access import admits
from portal.applications.models import Application, ApplicationStatus
from portal.audit import services as audit
from portal.db import db
from portal.pdf import css_string, render_pdf
from portal.review import decisions, services
from portal.review import disagreement as disagreeing
from portal.review.criteria import CRITERIA, effective_guide, format_score, weights
from portal.review.dossier import application_facts, build_dossier
from portal.review.forms import AssignForm, ConflictForm, DecisionForm, ReviewForm
from portal.review.labels import review_status_label
from portal.review.models import Review, ReviewStatus
from portal.review.overview import review_row, round_summaries
from portal.review.permissions import (
    can_manage_review,
    can_see_others,
    own_review,
)
from portal.review.views import bp
from portal.web import commit_or_flash, commit_or_show, posted_version


@bp.app_template_global()
def can_use_review(user) -> bool:
    """For the navigation: coordinators and reviewers have a review area."""
    return access.can(user, Application, "review")


bp.add_app_template_filter(format_score, "score")


bp.add_app_template_filter(css_string, "css_string")


bp.add_app_template_global(review_status_label, "review_status_label")
bp.add_app_template_global(can_manage_review, "can_manage_review")


def _coordinator_only():
    if not can_manage_review(current_user):
        abort(403)


@bp.route("/")
@admits(Application, "review")
def index():
    stmt = access.visible(
        select(Review)
        .join(Application, Application.id == Review.application_id)
        .options(
            joinedload(Review.application).joinedload(Application.municipality),
            joinedload(Review.application).joinedload(Application.round),
        )
        .order_by(Review.status, Review.assigned_at.desc(), Review.id),
        current_user,
    )
    reviews = list(db.session.scalars(stmt))
    if can_manage_review(current_user):
        return render_template("review/rounds.html", summaries=round_summaries(), reviews=reviews)
    return render_template("review/assignments.html", reviews=reviews)


def _render_application(application, status=200, **forms):
    own = own_review(application, current_user)
    manage = can_manage_review(current_user)
    round_ = application.round
    rows = [review_row(r, round_) for r in services.visible_reviews(application, current_user)]
    if own is not None and own.status == ReviewStatus.ASSIGNED:
        if "review_form" not in forms:
            forms["review_form"] = ReviewForm(formdata=None)
            forms["review_form"].fill_from(own)
        forms.setdefault(
            "conflict_form", ConflictForm(formdata=None, data={"version": str(own.version)})
        )
    if manage:
        forms.setdefault("assign_form", AssignForm(formdata=None))
        forms["assign_form"].with_reviewers(services.eligible_reviewers())
        if "decision_form" not in forms:
            forms["decision_form"] = DecisionForm(formdata=None)
            forms["decision_form"].fill_from(application)
        # the spread beside the scores: only for the coordinator, who sees every score
        forms["disagreement"] = disagreeing.of_application(application.id, rows, round_)
        forms["threshold"] = round_.disagreement_threshold or disagreeing.DEFAULT_THRESHOLD
        forms["approval_warnings"] = decisions.approval_warnings(
            round_, [services.progress(services.reviews_of(application))]
        )
    return render_template(
        "review/application.html",
        application=application,
        facts=application_facts(application),
        own=own,
        own_total=format_score(services.review_total(own)) if own else None,
        rows=rows,
        show_others=can_see_others(own, current_user),
        progress=services.progress(services.reviews_of(application)),
        guide=effective_guide(round_),
        criteria=CRITERIA,
        weights=weights(round_),
        manage=manage,
        **forms,
    ), status


@bp.route("/ansoegning/<int:application_id>", methods=["GET", "POST"])
@admits(Application, "review")
def application(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user, "review")
    if request.method == "GET":
        return _render_application(application)
    own = own_review(application, current_user) or abort(403)
    form = ReviewForm()
    if form.validate():
        submit = bool(form.submit_review.data)
        ok, _saved = commit_or_show(
            form,
            lambda: services.save_review(
                own,
                form.score_data(),
                actor=current_user,
                submit=submit,
                version=form.loaded_version(),
            ),
        )
        if ok:
            flash(_("Bedømmelsen er indsendt.") if submit else _("Kladden er gemt."), "success")
            return redirect(url_for(".application", application_id=application.id))
    return _render_application(application, 400, review_form=form)


@bp.route("/ansoegning/<int:application_id>/inhabil", methods=["POST"])
@admits(Application, "review")
def conflict(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user, "review")
    own = own_review(application, current_user) or abort(404)
    form = ConflictForm()
    if form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: services.declare_conflict(
                own, form.note.data, actor=current_user, version=form.loaded_version()
            ),
            ConflictForm.FIELD_FOR_RULE,
        )
        if ok:
            flash(_("Du er registreret som inhabil i denne ansøgning."), "success")
            return redirect(url_for(".index"))
    return _render_application(application, 400, conflict_form=form)


@bp.route("/ansoegning/<int:application_id>/tildel", methods=["POST"])
@admits(Application, "decide")
def assign(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user, "review")
    form = AssignForm().with_reviewers(services.eligible_reviewers())
    if form.validate():
        chosen = [r for r in services.eligible_reviewers() if r.id in form.reviewers.data]
        ok, created = commit_or_show(
            form,
            lambda: services.assign_reviewers([application], chosen, actor=current_user),
        )
        if ok:
            flash(
                ngettext("%(num)d bedømmer tildelt.", "%(num)d bedømmere tildelt.", len(created)),
                "success",
            )
            return redirect(url_for(".application", application_id=application.id))
    return _render_application(application, 400, assign_form=form)


@bp.route("/bedoemmelse/<int:review_id>/fjern", methods=["POST"])
@admits(Application, "decide")
def unassign(review_id: int):
    review = access.get_visible_or_404(Review, review_id, current_user, "change")
    application_id = review.application_id
    version = posted_version()
    name = review.reviewer.name
    if commit_or_flash(lambda: services.unassign(review, actor=current_user, version=version)):
        flash(_("%(name)s er ikke længere bedømmer af ansøgningen.", name=name), "success")
    return redirect(url_for(".application", application_id=application_id))


@bp.route("/ansoegning/<int:application_id>/afgoerelse", methods=["POST"])
@admits(Application, "decide")
def decide(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user, "review")
    form = DecisionForm()
    if form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: decisions.decide(
                application,
                form.chosen(),
                form.reason.data,
                actor=current_user,
                version=form.loaded_version(),
                confirm_overpaid=form.confirm_overpaid.data,
            ),
        )
        if ok:
            flash(_("Afgørelsen er gemt, og kommunen har fået besked."), "success")
            if application.status == ApplicationStatus.APPROVED:
                _flash_approval_warnings(
                    application.round, [services.progress(services.reviews_of(application))]
                )
            return redirect(url_for(".application", application_id=application.id))
    return _render_application(application, 400, decision_form=form)


def _flash_approval_warnings(round_, progresses) -> None:
    for warning in decisions.approval_warnings(round_, progresses):
        flash(_("Godkendt, men bemærk: %(warning)s", warning=warning), "warning")


@bp.route("/ansoegning/<int:application_id>/dossier.pdf")
@admits(Application, "decide")
def dossier(application_id: int):
    application = access.get_visible_or_404(Application, application_id, current_user, "review")
    pdf = render_pdf(render_template("review/dossier.html", dossier=build_dossier(application)))
    audit.record(
        "dossier_downloaded",
        actor=current_user,
        obj=application,
        round_id=application.round_id,
        application_id=application.id,
    )
    db.session.commit()
    filename = f"dossier-{application.round.slug}-{application.municipality.code_display}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
