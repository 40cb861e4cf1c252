"""The status or final report's narrative, and the coordinator's reopen button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from portal.programmes.forms import VersionedForm
from portal.reporting.models import MAX_NARRATIVE
from portal.reporting.services import REQUIRED_MESSAGES, NarrativeData


def _text(label, name: str) -> TextAreaField:
    return TextAreaField(
        label,
        # The length is checked by the service, after line breaks are counted as one.
        validators=[DataRequired(REQUIRED_MESSAGES[name])],
        render_kw={"rows": 5, "maxlength": MAX_NARRATIVE},
    )


class NarrativeForm(VersionedForm):
    what_worked = _text(_l("Hvad har virket?"), "what_worked")
    obstacles = _text(_l("Hvilke forhindringer har I mødt?"), "obstacles")
    next_steps = _text(_l("Hvad er jeres næste skridt?"), "next_steps")

    def narrative(self) -> NarrativeData:
        return NarrativeData(self.what_worked.data, self.obstacles.data, self.next_steps.data)


class ReopenForm(VersionedForm):
    pass
