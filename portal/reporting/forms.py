"""The status or final report's narrative, and the coordinator's reopen button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from portal.forms import VersionedForm
from portal.reporting.models import MAX_NARRATIVE
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

    def narrative(self) -> NarrativeData:
        return NarrativeData(self.what_worked.data, self.obstacles.data, self.next_steps.data)


class ReopenForm(VersionedForm):
    pass
