from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length


class EraseForm(FlaskForm):
    """The second confirmation: the request is named and the person's e-mail typed again."""

    requested = BooleanField(
        _l("Personen har bedt om at blive slettet, eller sletningen har en anden lovlig grund"),
        validators=[DataRequired(_l("Bekræft, at der er grund til at slette personens data."))],
    )
    email = StringField(
        _l("Skriv personens e-mailadresse for at bekræfte"),
        validators=[DataRequired(_l("Skriv personens e-mailadresse.")), Length(max=254)],
        render_kw={"autocomplete": "off", "type": "email"},
    )
