from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import access
from portal.access import admits
from portal.auth.permissions import can_see_draft_rounds
from portal.db import db
from portal.errors import RowErrors
from portal.i18n import bare_community
from portal.municipalities.services import population_credit
from portal.participations import communities, funding, grants, services, suggestion
from portal.participations.forms import (
    AssignForm,
    CommunityForm,
    DisbursementForm,
    ImportForm,
    OverrideForm,
    SuggestionForm,
)
from portal.participations.importing import import_participants
from portal.participations.models import Community, Participation
from portal.participations.permissions import (
    can_manage_participations,
    can_view_all_participations,
    has_own_participations,
)
from portal.web import commit_or_flash, commit_or_show, posted_version

bp = Blueprint("participations", __name__, url_prefix="/deltagere")


def _community_of(round_, community_id) -> Community | None:
    """A community of this round, or 404 (an id of another round is not found)."""
    if not community_id:
        return None
    community = access.get_visible_or_404(Community, community_id, current_user)
    if community.round_id != round_.id:
        abort(404)
    return community


@bp.route("/")
@admits(Participation)
def index():
    if not can_view_all_participations(current_user):
        return redirect(url_for(".mine"))
    rounds = services.rounds_overview(include_drafts=can_see_draft_rounds(current_user))
    return render_template("participations/index.html", rounds=rounds)


@bp.route("/mine")
@admits(Participation)
def mine():
    if not has_own_participations(current_user):
        return redirect(url_for(".index"))
    participations = services.my_participations(current_user)
    return render_template(
        "participations/mine.html",
        participations=participations,
        members=services.community_members,
    )


@bp.route("/<int:participation_id>")
@admits(Participation)
def detail(participation_id: int):
    return _render_detail(access.get_visible_or_404(Participation, participation_id, current_user))


def _render_detail(participation, *, override=None, disbursement=None, status=200):
    if override is None:
        override = OverrideForm(formdata=None, obj=participation)
        override.amount.data = participation.grant_override
        override.reason.data = participation.grant_override_reason
        override.version.data = str(participation.version)
    return (
        render_template(
            "participations/detail.html",
            participation=participation,
            members=services.community_members(participation),
            funding=funding.participation_funding(participation),
            override_form=override,
            communities_of_round=communities.round_communities(participation.round)
            if can_manage_participations(current_user)
            else [],
            disbursement_form=disbursement or DisbursementForm(formdata=None),
        ),
        status,
    )


@bp.route("/<int:participation_id>/tilskud", methods=["POST"])
@admits(Participation, "change")
def override(participation_id: int):
    participation = access.get_visible_or_404(
        Participation, participation_id, current_user, "change"
    )
    form = OverrideForm()
    if form.validate():
        ok, _result = commit_or_show(
            form,
            lambda: grants.override_grant(
                participation,
                form.amount.amount,
                form.reason.data,
                actor=current_user,
                version=form.loaded_version(),
            ),
        )
        if ok:
            flash(_("Tilskuddet er gemt."), "success")
            return redirect(url_for(".detail", participation_id=participation.id))
    return _render_detail(participation, override=form, status=400)


@bp.route("/<int:participation_id>/udbetalinger", methods=["POST"])
@admits(Participation, "change")
def disburse(participation_id: int):
    participation = access.get_visible_or_404(
        Participation, participation_id, current_user, "change"
    )
    form = DisbursementForm()
    if form.validate():
        ok, _result = commit_or_show(
            form,
            lambda: grants.record_disbursement(
                participation,
                form.paid_on.data,
                form.amount.amount,
                form.note.data,
                actor=current_user,
            ),
        )
        if ok:
            flash(_("Udbetalingen er registreret."), "success")
            return redirect(url_for(".detail", participation_id=participation.id))
    return _render_detail(participation, disbursement=form, status=400)


@bp.route("/<int:participation_id>/udbetalinger/<int:disbursement_id>/slet", methods=["POST"])
@admits(Participation, "change")
def delete_disbursement(participation_id: int, disbursement_id: int):
    participation = access.get_visible_or_404(
        Participation, participation_id, current_user, "change"
    )
    found = next((d for d in participation.disbursements if d.id == disbursement_id), None)
    if found is None:
        abort(404)
    if commit_or_flash(lambda: grants.delete_disbursement(found, actor=current_user)):
        flash(_("Udbetalingen er slettet."), "success")
    return redirect(url_for(".detail", participation_id=participation.id))


@bp.route("/forloeb/<slug>")
@admits(Participation, every=True)
def round_page(slug: str):
    """The round's own page among the participants: what its sub-pages hold."""
    round_ = access.round_or_404(slug, current_user)
    return render_template(
        "participations/round.html", round=round_, overview=communities.overview(round_)
    )


@bp.route("/forloeb/<slug>/tilskud")
@admits(Participation, every=True)
def grants_page(slug: str):
    round_ = access.round_or_404(slug, current_user)
    return render_template(
        "participations/grants.html", round=round_, summary=funding.funding_summary(round_)
    )


@bp.route("/forloeb/<slug>/faellesskaber")
@admits(Participation, every=True)
def communities_page(slug: str):
    return _render_communities(access.round_or_404(slug, current_user))


def _render_communities(round_, form=None, status=200):
    overview = communities.overview(round_)
    if form is None:
        form = CommunityForm(formdata=None)
        form.set_leads(overview.unassigned_leads)
    return (
        render_template(
            "participations/communities.html",
            round=round_,
            overview=overview,
            form=form,
            choices=[c.community for c in overview.communities],
            population_credit=population_credit(
                [p.municipality for v in overview.communities for p in [v.lead, *v.members] if p]
                + [p.municipality for p in overview.unassigned]
            ),
        ),
        status,
    )


@bp.route("/forloeb/<slug>/faellesskaber", methods=["POST"])
@admits(Participation, "change")
def create_community(slug: str):
    round_ = access.round_or_404(slug, current_user)
    leads = communities.overview(round_).unassigned_leads
    form = CommunityForm()
    form.set_leads(leads)
    if form.validate():
        lead = next((p for p in leads if p.id == form.lead.data), None)
        ok, community = commit_or_show(
            form,
            lambda: communities.create_community(
                round_, form.name.data, actor=current_user, lead=lead
            ),
        )
        if ok:
            flash(
                _("Fællesskabet %(name)s er oprettet.", name=bare_community(community.name)),
                "success",
            )
            return redirect(url_for(".communities_page", slug=slug))
    return _render_communities(round_, form, status=400)


@bp.route("/faellesskaber/<int:community_id>/slet", methods=["POST"])
@admits(Participation, "change")
def delete_community(community_id: int):
    community = access.get_visible_or_404(Community, community_id, current_user, "change")
    slug, name = community.round.slug, community.name
    version = posted_version()
    if commit_or_flash(
        lambda: communities.delete_community(community, actor=current_user, version=version)
    ):
        flash(
            _(
                "Fællesskabet %(name)s er slettet; medlemmerne er ikke placeret.",
                name=bare_community(name),
            ),
            "success",
        )
    return redirect(url_for(".communities_page", slug=slug))


@bp.route("/<int:participation_id>/faellesskab", methods=["POST"])
@admits(Participation, "change")
def assign(participation_id: int):
    participation = access.get_visible_or_404(
        Participation, participation_id, current_user, "change"
    )
    round_ = participation.round
    form = AssignForm()
    form.set_communities(communities.round_communities(round_))
    if not form.validate():
        abort(400)
    target = _community_of(round_, form.community.data)
    if commit_or_flash(
        lambda: communities.assign(
            participation, target, actor=current_user, version=form.loaded_version()
        )
    ):
        name = participation.municipality.name
        if target is None:
            flash(_("%(name)s er ikke længere i et fællesskab.", name=name), "success")
        else:
            flash(
                _("%(name)s er placeret i %(community)s.", name=name, community=target.name),
                "success",
            )
    if request.form.get("back") == "detail":
        return redirect(url_for(".detail", participation_id=participation.id))
    return redirect(url_for(".communities_page", slug=round_.slug, _anchor=f"p{participation.id}"))


@bp.route("/forloeb/<slug>/faellesskaber/forslag", methods=["GET", "POST"])
@admits(Participation, every=True)
def suggest(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = SuggestionForm()
    status = 200
    if request.method == "POST":
        if not can_manage_participations(current_user):
            abort(403)
        status = 400
        if form.validate() and commit_or_flash(
            lambda: suggestion.accept_suggestion(round_, form.fingerprint.data, actor=current_user)
        ):
            flash(_("Forslaget er gennemført."), "success")
            return redirect(url_for(".communities_page", slug=slug))
    proposal = suggestion.suggest(round_)
    form.fingerprint.data = proposal.fingerprint
    return render_template(
        "participations/suggestion.html", round=round_, proposal=proposal, form=form
    ), status


@bp.route("/forloeb/<slug>/indlaes", methods=["GET", "POST"])
@admits(Participation, "change")
def upload(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = ImportForm()
    errors = None
    if form.validate_on_submit():
        try:
            result = import_participants(form.file.data.read(), round_, actor=current_user)
        except RowErrors as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(result.summary(), "success")
            return redirect(url_for(".communities_page", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "participations/upload.html", round=round_, form=form, errors=errors
    ), status
