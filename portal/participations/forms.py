"""Coordinator forms for communities, grants, disbursements and the participant import.

The choices of the community and lead selects are set by the view from the round's own rows,
so an id of another round (or municipality) posted by hand is refused at the field.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.forms import AmountField, DateField, VersionedForm
from portal.participations.communities import MAX_NAME
from portal.participations.models import MAX_NOTE, MAX_REASON


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class CommunityForm(FlaskForm):
    name = StringField(
        _l("Navn på fællesskabet"),
        validators=[DataRequired(_l("Giv fællesskabet et navn.")), Length(max=MAX_NAME)],
    )
    lead = SelectField(_l("Skaleringsleder"), coerce=_optional_id, validate_choice=True)

    def set_leads(self, leads) -> None:
        self.lead.choices = [("", _l("Vælg senere"))] + [(p.id, p.municipality.name) for p in leads]


class AssignForm(VersionedForm):
    community = SelectField(_l("Fællesskab"), coerce=_optional_id, validate_choice=True)

    def set_communities(self, communities) -> None:
        self.community.choices = [("", _l("Intet fællesskab"))] + [
            (c.id, c.name) for c in communities
        ]


class OverrideForm(VersionedForm):
    # Own ids: the page also holds the disbursement form, whose amount field is "amount" too
    # (two id="amount" left the override's label pointing at the other form's field).
    amount = AmountField(
        _l("Fastsat tilskud (kr.)"),
        description=_l("Lad feltet stå tomt for at bruge forløbets regel igen."),
        id="grant-override-amount",
    )
    reason = TextAreaField(
        _l("Begrundelse"), validators=[Length(max=MAX_REASON)], id="grant-override-reason"
    )

    def validate_reason(self, field):
        if self.amount.data and self.amount.data.strip() and not (field.data or "").strip():
            raise ValidationError(_l("Skriv hvorfor tilskuddet fastsættes."))


class DisbursementForm(FlaskForm):
    paid_on = DateField(
        _l("Udbetalt den"), validators=[InputRequired(_l("Angiv udbetalingsdatoen."))]
    )
    amount = AmountField(_l("Beløb (kr.)"), validators=[InputRequired(_l("Angiv beløbet."))])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])


class SuggestionForm(FlaskForm):
    fingerprint = HiddenField(validators=[DataRequired()])


class ImportForm(FlaskForm):
    file = FileField(
        _l("Fil med deltagere (CSV)"),
        validators=[
            FileRequired(_l("Vælg en fil.")),
            FileAllowed(["csv", "txt"], _l("Filen skal være en .csv-fil.")),
        ],
    )
