from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from portal.webhooks.events import EVENTS
from portal.webhooks.services import EndpointData


class EventsField(SelectMultipleField):
    """The events as checkboxes (keyboard- and screen-reader-friendly)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EndpointForm(FlaskForm):
    url = StringField(
        _l("Adresse (URL)"),
        validators=[
            DataRequired(_l("Skriv adressen, der skal modtage hændelserne.")),
            Length(max=500),
        ],
    )
    description = StringField(_l("Beskrivelse"), validators=[Length(max=200)])
    events = EventsField(_l("Hændelser"), choices=[], validate_choice=False)
    active = BooleanField(_l("Aktiv"), default=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.events.choices = [(key, str(label)) for key, label in EVENTS.items()]

    def data_for_service(self) -> EndpointData:
        return EndpointData(
            url=self.url.data or "",
            events=list(self.events.data or []),
            description=self.description.data or "",
            active=bool(self.active.data),
        )
