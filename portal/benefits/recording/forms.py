"""Forms for recording figures. Numbers go through ``parse_decimal`` (Danish ``1.234,5`` and
``1234.5`` alike); a rejected form shows what was typed."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.benefits.models import MAX_CATEGORY, CostKind, Quality
from portal.benefits.recording.costs import MAX_OWNER
from portal.benefits.recording.rules import MAX_NOTE
from portal.forms import DateField, VersionedForm
from portal.tabular import parse_decimal

NUMBER_HINT = _l("Et tal; decimaler med komma, fx 1234,5.")


# "25.000" typed by a person: Danish thousands (25000) or an English decimal point (25)?
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_DANISH_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


class NumberField(StringField):
    """A number as text; ``.number`` holds it as Decimal (None when empty). A person's
    "25.000" is refused as ambiguous rather than read as 25 (files follow the import
    format, where a single dot is a decimal point)."""

    number: Decimal | None = None  # also when the field was not posted at all

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.number = None
        if self.data and self.data.strip():
            text = self.data.strip().replace(" ", "")
            if _AMBIGUOUS.match(text):
                raise ValueError(
                    _l(
                        "'%(text)s' kan læses på to måder. Skriv tusinder uden punktum (fx"
                        " 25000) og decimaler med komma (fx 25,5).",
                        text=self.data.strip(),
                    )
                )
            try:
                self.number = parse_decimal(self.data)
            except ValueError as exc:
                raise ValueError(_l("Skriv et tal, fx 1234,5 eller 1.234,5.")) from exc

    def process_data(self, value):
        super().process_data(value)
        self.number = value if isinstance(value, Decimal) else None

    def _value(self):
        """A stored value as a person writes it: ``433,3``, not ``433.3000`` (decimal comma,
        no trailing zeros, and no thousands separator, since "1.234" would read back as
        ambiguous). Danish in English too: the hint asks for a decimal comma in both."""
        if isinstance(self.data, Decimal):
            return format_decimal(self.data, format="0.####", locale="da")
        return self.data or ""


class AmountNumberField(NumberField):
    """Kroner: a dot between groups of three digits is always Danish thousands (25.000)."""

    def process_formdata(self, valuelist):
        if valuelist and _DANISH_THOUSANDS.match((valuelist[0] or "").strip().replace(" ", "")):
            valuelist = [valuelist[0].replace(".", "")]
        super().process_formdata(valuelist)


QUALITY_CHOICES = [
    SelectChoice("", _l("Målt")),
    SelectChoice(Quality.ESTIMATED.value, _l("Skønnet")),
    SelectChoice(Quality.PROVISIONAL.value, _l("Foreløbig")),
    SelectChoice(Quality.REVISED.value, _l("Revideret (brud i serien)")),
]
# A target is decided, not measured: its plain state is "fastsat", never "målt".
TARGET_QUALITY_CHOICES = [
    SelectChoice("", _l("Fastsat")),
    *QUALITY_CHOICES[1:],
]


class QualityField(SelectField):
    """The quality mark: empty for a measured figure; ``.quality`` holds the enum or None."""

    def __init__(self, label=None, choices=QUALITY_CHOICES, **kwargs):
        super().__init__(label or _l("Kvalitet"), choices=choices, **kwargs)

    def process_data(self, value):
        super().process_data(getattr(value, "value", value) or "")

    @property
    def quality(self) -> Quality | None:
        return Quality(self.data) if self.data else None


def _reason():
    return TextAreaField(
        _l("Begrundelse for ændringen"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        description=_l("Kræves, når målbilledet er godkendt: ændringen gemmes som en ny version."),
    )


def _required(message):
    return [InputRequired(message)]


class BaselineForm(VersionedForm):
    value = NumberField(_l("Værdi"), validators=_required(_l("Angiv basislinjens værdi.")))
    measured_on = DateField(_l("Målt den"), validators=_required(_l("Angiv en gyldig dato.")))
    source_note = TextAreaField(
        _l("Kilde og metode"), validators=[Optional(), Length(max=MAX_NOTE)]
    )
    quality = QualityField()
    reason = _reason()


class TargetForm(VersionedForm):
    value = NumberField(_l("Forventet værdi"), validators=_required(_l("Angiv målets værdi.")))
    target_date = DateField(_l("Nås senest"), validators=_required(_l("Angiv en gyldig dato.")))
    pessimistic = NumberField(_l("Pessimistisk bud (valgfrit)"))
    optimistic = NumberField(_l("Optimistisk bud (valgfrit)"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])
    quality = QualityField(choices=TARGET_QUALITY_CHOICES)
    reason = _reason()


class MeasurementForm(FlaskForm):
    on = DateField(
        _l("Periode (en dag i perioden)"), validators=_required(_l("Angiv en gyldig dato."))
    )
    value = NumberField(_l("Værdi"), validators=_required(_l("Angiv målingens værdi.")))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])
    quality = QualityField()


class MeasurementEditForm(VersionedForm):
    value = NumberField(_l("Værdi"), validators=_required(_l("Angiv målingens værdi.")))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])
    quality = QualityField()


COST_KINDS = [
    SelectChoice(CostKind.ONE_OFF.value, _l("Engangsomkostning")),
    SelectChoice(CostKind.YEARLY.value, _l("Årlig omkostning")),
]


class CostForm(FlaskForm):
    kind = RadioField(
        _l("Art"),
        choices=COST_KINDS,
        default=CostKind.ONE_OFF.value,
        validators=_required(_l("Vælg engangs eller årlig.")),
    )
    category = StringField(
        _l("Kategori"),
        validators=[InputRequired(_l("Angiv en kategori.")), Length(max=MAX_CATEGORY)],
        description=_l("Fx licenser, udstyr, projektledelse, drift."),
    )
    incurred_on = DateField(_l("Dato"), validators=_required(_l("Angiv en gyldig dato.")))
    amount = AmountNumberField(_l("Beløb (kr.)"), validators=_required(_l("Angiv beløbet.")))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])


class OwnerForm(VersionedForm):
    name = StringField(_l("Gevinstejer"), validators=[Optional(), Length(max=MAX_OWNER)])
    title = StringField(_l("Stilling"), validators=[Optional(), Length(max=MAX_OWNER)])


class HourlyCostForm(VersionedForm):
    amount = NumberField(
        _l("Egen timepris (kr.)"),
        description=_l("Lad feltet stå tomt for at bruge forløbets timepris."),
    )


class UploadForm(FlaskForm):
    file = FileField(
        _l("Fil med tal (CSV eller XLSX)"),
        validators=[
            FileRequired(_l("Vælg en fil.")),
            FileAllowed(["csv", "txt", "xlsx"], _l("Filen skal være en .csv- eller .xlsx-fil.")),
        ],
    )
