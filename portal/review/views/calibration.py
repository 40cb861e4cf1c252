"""A round's calibration page, for coordinators: each reviewer's habit against the others',
how the normalised score is worked out, and the round's threshold for disagreement."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import access
from portal.access import admits
from portal.applications.models import Application
from portal.review import calibration as calibrating
from portal.review import disagreement as disagreeing
from portal.review import overview
from portal.review.criteria import criterion_label, format_signed
from portal.review.forms import ThresholdForm
from portal.review.views import bp
from portal.web import commit_or_show

bp.add_app_template_filter(criterion_label, "criterion_label")
bp.add_app_template_filter(format_signed, "signed")


@bp.route("/forloeb/<slug>/kalibrering")
@admits(Application, "decide")
def calibration(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = ThresholdForm(formdata=None)
    form.fill_from(round_)
    return _render(round_, form)


@bp.route("/forloeb/<slug>/uenighed", methods=["POST"])
@admits(Application, "decide")
def disagreement_threshold(slug: str):
    round_ = access.round_or_404(slug, current_user)
    form = ThresholdForm()
    if form.validate():
        ok, _saved = commit_or_show(
            form,
            lambda: disagreeing.set_threshold(
                round_, form.threshold.data, actor=current_user, version=form.loaded_version()
            ),
        )
        if ok:
            flash(_("Grænsen for uenighed er gemt."), "success")
            return redirect(url_for(".calibration", slug=round_.slug))
    return _render(round_, form, 400)


def _render(round_, form, status=200):
    review = overview.round_review(round_)
    found = disagreeing.disagreements(review)
    return render_template(
        "review/calibration.html",
        round=round_,
        form=form,
        calibration=calibrating.calibrate(review),
        flagged=len(disagreeing.flagged_ids(found)),
        min_reviews=calibrating.MIN_REVIEWS,
        back=request.args.get("back"),
    ), status
