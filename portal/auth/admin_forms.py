from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.auth.labels import ROLE_LABELS
from portal.auth.models import Role, User
from portal.auth.services import UserData
from portal.db import valid_id
from portal.errors import MISSING_VERSION


def role_choices(empty: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    return ([SelectChoice("", empty)] if empty else []) + choices


def municipality_choices(municipalities, empty, current=None) -> list[SelectChoice]:
    """The active municipalities, and ``current`` (a user's own) even when it is inactive, so
    editing that user does not silently move them."""
    listed = list(municipalities)
    if current is not None and current not in listed:
        listed.append(current)
    return [SelectChoice("", empty)] + [
        SelectChoice(str(m.id), _municipality_label(m)) for m in listed
    ]


def region_choices(regions, empty) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + [SelectChoice(r, r) for r in regions]


def _municipality_label(m) -> str:
    country = "" if m.country == "DK" else f"{m.country} "
    return f"{m.name} ({country}{m.code_display})"


class UserForm(FlaskForm):
    email = StringField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Angiv en e-mailadresse.")),
            Email(_l("Angiv en gyldig e-mailadresse.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Angiv et navn.")), Length(max=150)])
    role = SelectField(_l("Rolle"), choices=role_choices())
    municipality_id = SelectField(_l("Kommune"), choices=[], validate_choice=False)
    # A regional consultant's region (the service refuses one the register does not know).
    region = SelectField(_l("Region"), choices=[], validate_choice=False)
    active = BooleanField(_l("Aktiv (kan logge ind)"), default=True)
    version = HiddenField()

    def fill_from(self, user: User) -> None:
        self.role.data = user.role.value
        self.municipality_id.data = str(user.municipality_id or "")
        self.region.data = user.region or ""
        self.version.data = str(user.version)

    def user_data(self, active: bool | None = None) -> UserData:
        """The form's user; once created, ``active`` changes only through its own buttons."""
        return UserData(
            email=self.email.data,
            name=self.name.data,
            role=Role(self.role.data),
            municipality_id=self.selected_municipality(),
            region=(self.region.data or "").strip() or None,
            active=self.active.data if active is None else active,
        )

    def selected_municipality(self) -> int | None:
        """The chosen id; anything else that was posted becomes 0, which no municipality
        has, so the service refuses it at the field instead of dropping it silently."""
        value = str(self.municipality_id.data or "").strip()
        if not value:
            return None
        number = _whole_number(value)
        return number if valid_id(number) else 0

    def loaded_version(self) -> int:
        version = _whole_number(str(self.version.data or ""))
        return MISSING_VERSION if version is None else version


def _whole_number(text: str) -> int | None:
    # isdigit() alone accepts "²" and other digits int() cannot read.
    return int(text) if text.isascii() and text.isdigit() else None


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Adgangskode"),
        validators=[Optional()],
        description=_l(
            "Mindst 10 tegn. Lad feltet stå tomt for at danne en midlertidig adgangskode."
        ),
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("Ny adgangskode"),
        validators=[Optional()],
        render_kw={"autocomplete": "new-password"},
    )


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Søg på navn eller e-mail"), render_kw={"maxlength": 100})
    role = SelectField(
        _l("Rolle"), choices=role_choices(empty=_l("Alle roller")), validate_choice=False
    )
    municipality = SelectField(_l("Kommune"), choices=[], validate_choice=False)
