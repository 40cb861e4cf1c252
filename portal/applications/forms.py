"""The application form and the coordinator's small forms (reopen, deadline extension)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.applications.data import SNAPSHOT_FIELDS, ApplicationData
from portal.applications.labels import EXPERIENCE_LABELS
from portal.applications.models import (
    MAX_EXTENSION_REASON,
    MAX_TEXT,
    ApplicantRole,
    Application,
    Experience,
)
from portal.forms import DateField, VersionedForm
from portal.i18n import COPENHAGEN


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes (keyboard- and screen-reader-friendly)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _ids(values) -> list[int]:
    result = []
    for value in values or []:
        text = str(value)
        if text.isascii() and text.isdigit():
            result.append(int(text))
    return result


class ApplicationForm(VersionedForm):
    role = RadioField(
        _l("Kommunen søger som"),
        choices=[
            SelectChoice(ApplicantRole.PARTICIPANT.value, _l("Deltagerkommune")),
            SelectChoice(ApplicantRole.LEAD.value, _l("Skaleringsleder")),
        ],
        default=ApplicantRole.PARTICIPANT.value,
        validators=[InputRequired(_l("Vælg en rolle."))],
    )
    experience = RadioField(
        _l("Jeres erfaring med teknologien (deltagerkommune)"),
        choices=[SelectChoice(e.value, label) for e, label in EXPERIENCE_LABELS.items()],
        validators=[Optional()],
    )
    competence_statement = TextAreaField(
        _l("Kompetencer (skaleringsleder)"), validators=[Length(max=MAX_TEXT)]
    )
    capacity_statement = TextAreaField(
        _l("Kapacitet (skaleringsleder)"), validators=[Length(max=MAX_TEXT)]
    )
    goal_ids = CheckboxListField(_l("Målsætninger"), choices=[], validate_choice=False)
    motivation = TextAreaField(_l("Motivation"), validators=[Length(max=MAX_TEXT)])
    project_lead_name = StringField(_l("Projektleder: navn"), validators=[Length(max=150)])
    project_lead_email = StringField(_l("Projektleder: e-mail"), validators=[Length(max=254)])
    project_owner_name = StringField(_l("Projektejer (chef): navn"), validators=[Length(max=150)])
    project_owner_title = StringField(_l("Projektejer: titel"), validators=[Length(max=150)])
    backing_board = BooleanField(_l("Initiativet har opbakning i direktionen"))
    backing_management = BooleanField(_l("Initiativet har opbakning på chefniveau"))
    backing_political = BooleanField(_l("Initiativet har opbakning på politisk niveau"))
    member_ids = SelectMultipleField(
        _l("Medansøgere"), choices=[], validate_choice=False, render_kw={"size": 8}
    )

    def set_choices(self, goals, municipalities, own_id: int) -> None:
        from portal.i18n import localized

        self.goal_ids.choices = [SelectChoice(str(g.id), localized(g, "text")) for g in goals]
        self.member_ids.choices = [
            SelectChoice(str(m.id), f"{m.name} ({m.region})")
            for m in municipalities
            if m.id != own_id
        ]

    def fill_from(self, application: Application) -> None:
        self.role.data = application.role.value
        self.experience.data = application.experience.value if application.experience else None
        for name in SNAPSHOT_FIELDS[2:]:  # the texts and the backing, as stored
            self[name].data = getattr(application, name)
        self.goal_ids.data = [str(g.id) for g in application.goals]
        self.member_ids.data = [str(m.municipality_id) for m in application.members]
        self.version.data = str(application.version)

    def application_data(self) -> ApplicationData:
        return ApplicationData(
            role=self.role.data or ApplicantRole.PARTICIPANT.value,
            experience=self.experience.data
            if self.experience.data in {e.value for e in Experience}
            else "",
            competence_statement=self.competence_statement.data or "",
            capacity_statement=self.capacity_statement.data or "",
            goal_ids=_ids(self.goal_ids.data),
            motivation=self.motivation.data or "",
            project_lead_name=self.project_lead_name.data or "",
            project_lead_email=self.project_lead_email.data or "",
            project_owner_name=self.project_owner_name.data or "",
            project_owner_title=self.project_owner_title.data or "",
            backing_board=bool(self.backing_board.data),
            backing_management=bool(self.backing_management.data),
            backing_political=bool(self.backing_political.data),
            member_ids=_ids(self.member_ids.data),
        )


class ReopenForm(VersionedForm):
    reason = TextAreaField(
        _l("Begrundelse (kommunen kan læse den)"),
        validators=[InputRequired(_l("Skriv, hvorfor ansøgningen genåbnes.")), Length(max=2000)],
    )


class ExtensionForm(FlaskForm):
    municipality_id = SelectField(
        _l("Kommune"), choices=[], validators=[InputRequired(_l("Vælg en kommune."))]
    )
    until_date = DateField(_l("Ny frist (dato)"), validators=[InputRequired(_l("Angiv en dato."))])
    until_time = TimeField(
        _l("Ny frist (klokkeslæt)"), default=time(12, 0), validators=[Optional()]
    )
    reason = StringField(
        _l("Begrundelse"),
        validators=[InputRequired(_l("Skriv en begrundelse.")), Length(max=MAX_EXTENSION_REASON)],
    )

    def until_at(self) -> datetime:
        moment = self.until_time.data or time(12, 0)
        return datetime.combine(self.until_date.data, moment, COPENHAGEN).astimezone(UTC)

    def municipality(self) -> int | None:
        ids = _ids([self.municipality_id.data])
        return ids[0] if ids else None
