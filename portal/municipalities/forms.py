from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from portal.municipalities.services import COUNTRIES

COUNTRY_LABELS = {
    "DK": _l("Danmark"),
    "NO": _l("Norge"),
    "SE": _l("Sverige"),
    "FI": _l("Finland"),
    "IS": _l("Island"),
}


class RegisterUploadForm(FlaskForm):
    file = FileField(
        _l("CSV-fil med kommuner"),
        validators=[
            FileRequired(_l("Vælg en fil.")),
            FileAllowed(["csv", "txt"], _l("Filen skal være en CSV-fil.")),
        ],
    )
    country = SelectField(
        _l("Land for rækker uden kolonnen country"),
        choices=[SelectChoice(c, COUNTRY_LABELS[c]) for c in COUNTRIES],
        default="DK",
    )


class RegisterFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Søg på navn eller kode"), render_kw={"maxlength": 100})
    region = SelectField(_l("Region"), choices=[], validate_choice=False)
    country = SelectField(_l("Land"), choices=[], validate_choice=False)


def country_label(code: str) -> str:
    return str(COUNTRY_LABELS.get(code, code))
