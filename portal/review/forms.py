"""Forms of the review: the criteria guide, a reviewer's scores, assignment and decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.applications.models import ApplicationStatus
from portal.forms import VersionedForm
from portal.review.criteria import ANCHORS, CRITERIA, SCORES, effective_guide, is_default
from portal.review.decisions import DECISIONS
from portal.review.labels import DECISION_LABELS
from portal.review.models import MAX_TEXT
from portal.review.services import ScoreData


class ScoreField(RadioField):
    """A score from 1 to 5, or none yet (a draft may leave it open)."""

    def __init__(self, label=None, **kwargs):
        super().__init__(
            label,
            choices=[SelectChoice(s, str(s)) for s in SCORES],
            coerce=int,
            validate_choice=False,
            **kwargs,
        )

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0] not in ("", None):
            try:
                self.data = int(valuelist[0])
            except ValueError as exc:
                raise ValueError(_l("Vælg en score fra 1 til 5.")) from exc
            if self.data not in SCORES:
                self.data = None
                raise ValueError(_l("Vælg en score fra 1 til 5."))


def _guide_field_name(info, score: int) -> str:
    return f"guide_{info.key}_{score}"


class CriteriaGuideForm(VersionedForm):
    """Nine texts: what a 1, 3 and 5 mean for each criterion. Fields are added below."""

    def fill_from(self, round_) -> None:
        guide = effective_guide(round_)
        for info in CRITERIA:
            for score in ANCHORS:
                self[_guide_field_name(info, score)].data = (
                    ""
                    if is_default(round_, info.criterion, score)
                    else guide[info.criterion][score]
                )
        self.version.data = str(round_.version)

    def texts(self):
        return {
            info.criterion: {
                score: self[_guide_field_name(info, score)].data or "" for score in ANCHORS
            }
            for info in CRITERIA
        }

    @staticmethod
    def field_name(info, score: int) -> str:
        return _guide_field_name(info, score)


for _info in CRITERIA:
    for _score in ANCHORS:
        setattr(
            CriteriaGuideForm,
            _guide_field_name(_info, _score),
            TextAreaField(_l("Score %(score)d", score=_score), validators=[Length(max=MAX_TEXT)]),
        )


class ReviewForm(VersionedForm):
    save = SubmitField(_l("Gem kladde"))
    submit_review = SubmitField(_l("Indsend bedømmelsen"))

    def fill_from(self, review) -> None:
        for info in CRITERIA:
            self[info.score_attr].data = getattr(review, info.score_attr)
            self[info.comment_attr].data = getattr(review, info.comment_attr)
        self.version.data = str(review.version)

    def score_data(self) -> ScoreData:
        return ScoreData(
            scores={info.criterion: self[info.score_attr].data for info in CRITERIA},
            comments={info.criterion: self[info.comment_attr].data or "" for info in CRITERIA},
        )


for _info in CRITERIA:
    setattr(ReviewForm, _info.score_attr, ScoreField(_info.label))
    setattr(
        ReviewForm,
        _info.comment_attr,
        TextAreaField(
            _l("Kommentar: %(criterion)s", criterion=_info.label),
            validators=[Length(max=MAX_TEXT)],
        ),
    )


class ConflictForm(VersionedForm):
    """Shares the reviewer's page with the score form, hence its own prefix (unique ids)."""

    FIELD_FOR_RULE = {"conflict_note": "note"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="conflict", **kwargs)

    note = TextAreaField(
        _l("Hvorfor er du inhabil?"),
        validators=[DataRequired(_l("Skriv kort, hvorfor du er inhabil.")), Length(max=MAX_TEXT)],
    )


class AssignForm(FlaskForm):
    reviewers = SelectMultipleField(
        _l("Bedømmere"),
        coerce=int,
        validators=[DataRequired(_l("Vælg mindst én bedømmer."))],
    )

    def with_reviewers(self, reviewers):
        self.reviewers.choices = [
            SelectChoice(r.id, f"{r.name} ({r.municipality.name})" if r.municipality else r.name)
            for r in reviewers
        ]
        return self


DECISION_CHOICES = [SelectChoice("", _l("Vælg afgørelse"))] + [
    SelectChoice(d.value, DECISION_LABELS[d]) for d in DECISIONS
]


class DecisionForm(VersionedForm):
    decision = SelectField(
        _l("Afgørelse"),
        choices=DECISION_CHOICES,
        validators=[DataRequired(_l("Vælg godkend, venteliste eller afvis."))],
    )
    reason = TextAreaField(
        _l("Begrundelse (kommunen kan læse den)"),
        validators=[
            DataRequired(_l("Skriv en begrundelse; kommunen kan læse den.")),
            Length(max=MAX_TEXT),
        ],
    )

    # shown when approving would set a grant below what was already paid
    confirm_overpaid = BooleanField(
        _l("Godkend alligevel: det for meget udbetalte afregnes med kommunen"), default=False
    )

    def fill_from(self, application) -> None:
        if application.status in DECISIONS:
            self.decision.data = application.status.value
            self.reason.data = application.decision_reason
        self.version.data = str(application.version)

    def chosen(self) -> ApplicationStatus:
        return ApplicationStatus(self.decision.data)


class BulkDecisionForm(DecisionForm):
    """The same decision and reason for the applications ticked in the list; each ticked
    application's version travels as ``version-<id>``."""


class ThresholdForm(VersionedForm):
    """How many points apart reviewers' scores of one criterion must lie before an
    application is flagged for discussion."""

    threshold = IntegerField(
        _l(
            "Markér uenighed, når scorerne for ét kriterium ligger mindst så mange point fra hinanden"
        ),
        validators=[
            InputRequired(_l("Skriv et helt antal point fra 1 til 4.")),
            NumberRange(min=1, max=4, message=_l("Skriv et helt antal point fra 1 til 4.")),
        ],
    )

    def fill_from(self, round_) -> None:
        self.threshold.data = round_.disagreement_threshold
        self.version.data = str(round_.version)
