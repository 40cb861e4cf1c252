"""The status or final report's narrative, the coordinator's reopen button, and the
follow-up's figures after the end."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.benefits.recording.forms import NumberField
from portal.forms import DateField, VersionedForm
from portal.reporting.labels import GAINS_KEPT_LABELS
from portal.reporting.models import MAX_NARRATIVE, GainsKept
from portal.reporting.services import NarrativeData


class _CheckedByTheService:
    """Marks the field required (the asterisk); the service checks it, with the length and
    the CPR rule, so every problem of a report shows at once."""

    field_flags = {"required": True, "maxlength": MAX_NARRATIVE}

    def __call__(self, form, field) -> None:
        pass


def _text(label) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[_CheckedByTheService()],
        render_kw={"rows": 5},
    )


class NarrativeForm(VersionedForm):
    what_worked = _text(_l("Hvad har virket?"))
    obstacles = _text(_l("Hvilke forhindringer har I mødt?"))
    next_steps = _text(_l("Hvad er jeres næste skridt?"))
    # Shown on the follow-up a year after the end only; the service requires it there.
    gains_kept = RadioField(
        _l("Er gevinsterne fastholdt et år efter forløbet?"),
        choices=[SelectChoice(k.value, label) for k, label in GAINS_KEPT_LABELS.items()],
        validators=[_CheckedByTheService()],
        validate_choice=False,  # absent on the other reports; the service checks the value
    )

    def narrative(self) -> NarrativeData:
        return NarrativeData(
            self.what_worked.data,
            self.obstacles.data,
            self.next_steps.data,
            GainsKept(self.gains_kept.data)
            if self.gains_kept.data in {k.value for k in GainsKept}
            else None,
        )


class ReopenForm(VersionedForm):
    pass


class FollowUpValueForm(FlaskForm):
    """A key indicator's value for a period after the end (the follow-up a year after)."""

    indicator = SelectField(_l("Indikator"), coerce=int, validate_choice=True)
    on = DateField(
        _l("Periode (en dag i perioden)"),
        validators=[InputRequired(_l("Angiv en gyldig dato."))],
    )
    value = NumberField(_l("Værdi"), validators=[InputRequired(_l("Angiv værdien."))])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=1000)])
