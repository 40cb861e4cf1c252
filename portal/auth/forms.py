from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-mail"),
        validators=[DataRequired(_l("Angiv din e-mailadresse.")), Length(max=254)],
        render_kw={"autocomplete": "username", "type": "email"},
    )
    password = PasswordField(
        _l("Adgangskode"),
        validators=[DataRequired(_l("Angiv din adgangskode."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Husk mig på denne computer"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Nuværende adgangskode"),
        validators=[DataRequired(_l("Angiv din nuværende adgangskode."))],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("Ny adgangskode"),
        validators=[DataRequired(_l("Angiv en ny adgangskode."))],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("Gentag ny adgangskode"),
        validators=[
            DataRequired(_l("Gentag den nye adgangskode.")),
            EqualTo("new", _l("De to adgangskoder er ikke ens.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
