"""The status or final report's narrative, and the coordinator's reopen button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from portal.forms import VersionedForm
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
