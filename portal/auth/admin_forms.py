from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.auth.labels import ROLE_LABELS
from portal.auth.models import Role, User
from portal.auth.services import UserData


def role_choices(empty: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    return ([SelectChoice("", empty)] if empty else []) + choices


def municipality_choices(municipalities, empty) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + [
        SelectChoice(str(m.id), f"{m.name} ({m.code_display})") for m in municipalities
    ]


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
    active = BooleanField(_l("Aktiv (kan logge ind)"), default=True)
    version = HiddenField()

    def fill_from(self, user: User) -> None:
        self.role.data = user.role.value
        self.municipality_id.data = str(user.municipality_id or "")
        self.version.data = str(user.version)

    def user_data(self, active: bool | None = None) -> UserData:
        """The form's user; once created, ``active`` changes only through its own buttons."""
        return UserData(
            email=self.email.data,
            name=self.name.data,
            role=Role(self.role.data),
            municipality_id=self.selected_municipality(),
            active=self.active.data if active is None else active,
        )

    def selected_municipality(self) -> int | None:
        value = self.municipality_id.data
        return int(value) if value and str(value).isdigit() else None

    def loaded_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None


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

    q = StringField(_l("Søg på navn eller e-mail"))
    role = SelectField(
        _l("Rolle"), choices=role_choices(empty=_l("Alle roller")), validate_choice=False
    )
    municipality = SelectField(_l("Kommune"), choices=[], validate_choice=False)
