from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


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
