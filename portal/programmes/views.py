from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access
from portal.access import admits
from portal.auth.permissions import can_see_draft_rounds
from portal.db import db, utcnow
from portal.errors import RowErrors
from portal.programmes import benefit_lines, services
from portal.programmes.forms import (
    BenefitLineForm,
    IndicatorForm,
    ProgrammeFileForm,
    ProgrammeForm,
    RoundForm,
)
from portal.programmes.loading import load_programme_file
from portal.programmes.models import BenefitLine, Indicator, Programme
from portal.programmes.wording import parameter_label
from portal.web import commit_or_flash, commit_or_show, posted_version

bp = Blueprint("programmes", __name__, url_prefix="/indsatser")


def _drafts() -> bool:
    return can_see_draft_rounds(current_user)


def _programme_or_404(slug: str):
    return services.get_programme_by_slug(slug, include_drafts=_drafts()) or abort(404)


def _indicator_of(programme, indicator_id: int | None) -> Indicator | None:
    if indicator_id is None:
        return None
    found = next((i for i in programme.indicators if i.id == indicator_id), None)
    return found or abort(404)


def _benefit_line_of(programme, line_id: int | None) -> BenefitLine | None:
    if line_id is None:
        return None
    found = next((b for b in programme.benefits if b.id == line_id), None)
    return found or abort(404)


@bp.route("/")
@login_required
def index():
    programmes = services.list_programmes(include_drafts=_drafts())
    return render_template("programmes/index.html", programmes=programmes)


@bp.route("/indlaes", methods=["GET", "POST"])
@admits(Programme, "change")
def upload():
    """Create or update a programme from a definition file, as ``portal programme load``."""
    form = ProgrammeFileForm()
    errors = None
    if form.validate_on_submit():
        try:
            result = load_programme_file(form.file.data.read(), actor=current_user)
        except RowErrors as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(result.summary(), "success")
            return redirect(url_for(".detail", slug=result.programme.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("programmes/upload.html", form=form, errors=errors), status


@bp.route("/<slug>")
@login_required
def detail(slug: str):
    return render_template("programmes/detail.html", programme=_programme_or_404(slug))


@bp.route("/forloeb/<slug>")
@login_required
def round_detail(slug: str):
    round_ = access.round_or_404(slug, current_user)
    return render_template(
        "programmes/round.html",
        round=round_,
        hourly_cost=services.hourly_cost(round_),
        parameter_label=parameter_label,
        accepting=round_.accepts_applications(utcnow()),
    )


@bp.route("/<slug>/rediger", methods=["GET", "POST"])
@admits(Programme, "change")
def edit(slug: str):
    programme = _programme_or_404(slug)
    form = ProgrammeForm(obj=programme)
    if request.method == "GET":
        form.fill_goals(programme)
    elif form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: services.update_programme(
                programme, form.programme_data(), actor=current_user, version=form.loaded_version()
            ),
        )
        if ok:
            flash(_("Indsatsen er gemt."), "success")
            return redirect(url_for(".detail", slug=slug))
    return render_template("programmes/edit.html", programme=programme, form=form)


@bp.route("/<slug>/indikatorer/ny", methods=["GET", "POST"])
@bp.route("/<slug>/indikatorer/<int:indicator_id>", methods=["GET", "POST"])
@admits(Programme, "change")
def indicator(slug: str, indicator_id: int | None = None):
    programme = _programme_or_404(slug)
    existing = _indicator_of(programme, indicator_id)
    form = IndicatorForm(obj=existing)
    if existing is not None:
        form.key.data = existing.key  # the key never changes once figures may use it
    if request.method == "GET":
        form.version.data = str(programme.version)
    elif form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: services.save_indicator(
                programme,
                form.indicator_data(),
                actor=current_user,
                indicator=existing,
                version=form.loaded_version(),
            ),
        )
        if ok:
            flash(_("Indikatoren er gemt."), "success")
            return redirect(url_for(".detail", slug=slug, _anchor="indikatorer"))
    return render_template(
        "programmes/indicator.html", programme=programme, indicator=existing, form=form
    )


@bp.route("/<slug>/indikatorer/<int:indicator_id>/slet", methods=["POST"])
@admits(Programme, "change")
def delete_indicator(slug: str, indicator_id: int):
    programme = _programme_or_404(slug)
    existing = _indicator_of(programme, indicator_id)
    version = posted_version()
    if commit_or_flash(
        lambda: services.delete_indicator(existing, actor=current_user, version=version)
    ):
        flash(_("Indikatoren %(key)s er slettet.", key=existing.key), "success")
    return redirect(url_for(".detail", slug=slug, _anchor="indikatorer"))


@bp.route("/<slug>/gevinster/ny", methods=["GET", "POST"])
@bp.route("/<slug>/gevinster/<int:line_id>", methods=["GET", "POST"])
@admits(Programme, "change")
def benefit_line(slug: str, line_id: int | None = None):
    programme = _programme_or_404(slug)
    existing = _benefit_line_of(programme, line_id)
    form = BenefitLineForm(obj=existing)
    if existing is not None:
        form.key.data = existing.key  # the key never changes
    if request.method == "GET":
        form.version.data = str(programme.version)
    elif form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: benefit_lines.save_benefit_line(
                programme,
                form.benefit_line_data(),
                actor=current_user,
                line=existing,
                version=form.loaded_version(),
            ),
        )
        if ok:
            flash(_("Gevinstlinjen er gemt."), "success")
            return redirect(url_for(".detail", slug=slug, _anchor="gevinstmodel"))
    indicator_keys, parameter_names = benefit_lines.formula_names(programme)
    return render_template(
        "programmes/benefit_line.html",
        programme=programme,
        line=existing,
        form=form,
        indicator_keys=indicator_keys,
        parameter_names=parameter_names,
    )


@bp.route("/<slug>/gevinster/<int:line_id>/slet", methods=["POST"])
@admits(Programme, "change")
def delete_benefit_line(slug: str, line_id: int):
    programme = _programme_or_404(slug)
    existing = _benefit_line_of(programme, line_id)
    version = posted_version()
    if commit_or_flash(
        lambda: benefit_lines.delete_benefit_line(existing, actor=current_user, version=version)
    ):
        flash(_("Gevinstlinjen %(key)s er slettet.", key=existing.key), "success")
    return redirect(url_for(".detail", slug=slug, _anchor="gevinstmodel"))


@bp.route("/<slug>/forloeb/nyt", methods=["GET", "POST"])
@admits(Programme, "change")
def new_round(slug: str):
    programme = _programme_or_404(slug)
    form = RoundForm()
    if request.method == "GET":
        form.parameters.data = "annual_cost = 450000\nannual_hours = 1924"
    elif form.validate():
        ok, round_ = commit_or_show(
            form,
            lambda: services.create_round(programme, form.round_data(), actor=current_user),
            RoundForm.FIELD_FOR_RULE,
        )
        if ok:
            flash(_("Forløbet er oprettet."), "success")
            return redirect(url_for(".round_detail", slug=round_.slug))
    return render_template("programmes/round_form.html", programme=programme, round=None, form=form)


@bp.route("/forloeb/<slug>/rediger", methods=["GET", "POST"])
@admits(Programme, "change")
def edit_round(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = RoundForm()
    if request.method == "GET":
        form.fill_from(round_)
    elif form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: services.update_round(
                round_, form.round_data(), actor=current_user, version=form.loaded_version()
            ),
            RoundForm.FIELD_FOR_RULE,
        )
        if ok:
            flash(_("Forløbet er gemt."), "success")
            return redirect(url_for(".round_detail", slug=round_.slug))
    return render_template(
        "programmes/round_form.html", programme=round_.programme, round=round_, form=form
    )
