"""A round's review, for coordinators: the overview with its filters and bulk actions, the
ranked list with the capacity line, the criteria guide and the XLSX export."""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.access import admits
from portal.applications.models import ApplicantRole, Application, ApplicationStatus
from portal.audit import services as audit
from portal.db import db
from portal.errors import MISSING_VERSION
from portal.pagination import link_args
from portal.review import criteria, decisions, fairness, overview, services
from portal.review import disagreement as disagreeing
from portal.review import ranking as ranked
from portal.review.calibration import MIN_REVIEWS
from portal.review.forms import AssignForm, BulkDecisionForm, CriteriaGuideForm
from portal.review.permissions import NOT_DRAFT
from portal.review.views import bp
from portal.review.xlsx import review_workbook
from portal.web import commit_or_show

BACK_PAGES = {"overview": ".round_overview", "ranking": ".ranking"}


def _selected_ids() -> list[int]:
    return [i for i in request.form.getlist("application", type=int) if i]


def _selected_applications(round_) -> list[Application]:
    """The ticked applications, only of this round and not drafts (any other id is ignored)."""
    ids = _selected_ids()
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Application)
            .options(joinedload(Application.municipality), joinedload(Application.round))
            .where(
                Application.round_id == round_.id,
                Application.id.in_(ids),
                Application.status.in_(NOT_DRAFT),
            )
            .order_by(Application.id)
        )
    )


def _forms(assign_form=None, decision_form=None):
    assign_form = assign_form or AssignForm(formdata=None)
    assign_form.with_reviewers(services.eligible_reviewers())
    return {
        "assign_form": assign_form,
        "decision_form": decision_form or BulkDecisionForm(formdata=None),
    }


@bp.route("/forloeb/<slug>")
@admits(Application, "decide")
def round_overview(slug: str):
    return _render_overview(access.round_or_404(slug, current_user))


def _render_overview(round_, status=200, **forms):
    review = overview.round_review(round_)
    found = disagreeing.disagreements(review)
    page, sort = overview.overview_page(
        review,
        request.args,
        request.args.get("page", 1, type=int),
        current_app.config["PAGE_SIZE"],
        disagreeing.flagged_ids(found),
    )
    filter_args = dict(page.args)
    # the sort and page links need the slug; the sort in effect marks its column
    page.args = {**filter_args, "slug": round_.slug, "sort": sort}
    return render_template(
        "review/round.html",
        round=round_,
        review=review,
        page=page,
        filter_args=filter_args,
        sort=sort,
        disagreements=found,
        flagged=len(disagreeing.flagged_ids(found)),
        capacity=ranked.capacity(review),
        approval_warnings=_approval_warnings(review),
        selected=set(_selected_ids()) if request.method == "POST" else set(),
        **_forms(**forms),
    ), status


@bp.route("/forloeb/<slug>/rangering")
@admits(Application, "decide")
def ranking(slug: str):
    return _render_ranking(access.round_or_404(slug, current_user))


def _render_ranking(round_, status=200, **forms):
    review = overview.round_review(round_)
    cap = ranked.capacity(review)
    fair = fairness.fair_ranking(
        review, cap, request.args.get("sort"), bool(request.args.get("flagged"))
    )
    return render_template(
        "review/ranking.html",
        round=round_,
        review=review,
        capacity=cap,
        fair=fair,
        lists=fair.lists,
        min_reviews=MIN_REVIEWS,
        approval_warnings=_approval_warnings(review),
        ApplicantRole=ApplicantRole,
        selected=set(_selected_ids()) if request.method == "POST" else set(),
        **_forms(**forms),
    ), status


def _approval_warnings(review) -> list[str]:
    """Before approving: the round's undecided applications and their reviews."""
    waiting = [r.progress for r in review.rows if r.status == ApplicationStatus.SUBMITTED]
    return decisions.approval_warnings(review.round, waiting)


def _back(round_, page: str):
    return redirect(url_for(BACK_PAGES[page], slug=round_.slug, **link_args(request.args)))


@bp.route("/forloeb/<slug>/tildel", methods=["POST"])
@admits(Application, "decide")
def bulk_assign(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = AssignForm().with_reviewers(services.eligible_reviewers())
    if form.validate():
        chosen = [r for r in services.eligible_reviewers() if r.id in form.reviewers.data]
        ok, created = commit_or_show(
            form,
            lambda: services.assign_reviewers(
                _selected_applications(round_), chosen, actor=current_user
            ),
        )
        if ok:
            flash(
                ngettext(
                    "%(num)d tildeling oprettet.", "%(num)d tildelinger oprettet.", len(created)
                ),
                "success",
            )
            return _back(round_, "overview")
    return _render_overview(round_, 400, assign_form=form)


@bp.route("/forloeb/<slug>/afgoer", methods=["POST"])
@admits(Application, "decide")
def bulk_decide(slug: str):
    round_ = access.round_or_404(slug, current_user)
    back = request.form.get("back") if request.form.get("back") in BACK_PAGES else "overview"
    form = BulkDecisionForm()
    if form.validate():
        chosen = [
            (a, request.form.get(f"version-{a.id}", type=int) or MISSING_VERSION)
            for a in _selected_applications(round_)
        ]
        ok, decided = commit_or_show(
            form,
            lambda: decisions.decide_many(
                chosen, form.chosen(), form.reason.data, actor=current_user
            ),
        )
        if ok:
            flash(
                ngettext(
                    "%(num)d ansøgning er afgjort.", "%(num)d ansøgninger er afgjort.", len(decided)
                ),
                "success",
            )
            if form.chosen() == ApplicationStatus.APPROVED:
                for warning in decisions.approval_warnings(
                    round_, [services.progress(services.reviews_of(a)) for a in decided]
                ):
                    flash(_("Godkendt, men bemærk: %(warning)s", warning=warning), "warning")
            return _back(round_, back)
    render = _render_ranking if back == "ranking" else _render_overview
    return render(round_, 400, decision_form=form)


@bp.route("/forloeb/<slug>/kriterier", methods=["GET", "POST"])
@admits(Application, "decide")
def criteria_guide(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = CriteriaGuideForm()
    if request.method == "GET":
        form.fill_from(round_)
    elif form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: criteria.update_criteria_guide(
                round_, form.texts(), actor=current_user, version=form.loaded_version()
            ),
        )
        if ok:
            flash(_("Vurderingskriterierne er gemt."), "success")
            return redirect(url_for(".criteria_guide", slug=round_.slug))
    return render_template(
        "review/criteria.html",
        round=round_,
        form=form,
        criteria=criteria.CRITERIA,
        anchors=criteria.ANCHORS,
        defaults=criteria.DEFAULT_GUIDE,
        weights=criteria.weights(round_),
    ), (400 if request.method == "POST" else 200)


@bp.route("/forloeb/<slug>/bedoemmelser.xlsx")
@admits(Application, "decide")
def export_xlsx(slug: str):
    round_ = access.round_or_404(slug, current_user)
    data = review_workbook(overview.round_review(round_))
    audit.record("review_exported", actor=current_user, obj=round_, round_id=round_.id)
    db.session.commit()
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="bedoemmelser-{round_.slug}.xlsx"'},
    )
