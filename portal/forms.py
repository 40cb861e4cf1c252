"""Form pieces every domain uses: a form that carries the version it was loaded with (so a
stale form conflicts instead of overwriting), an amount in whole kroner, and a date within
the years the portal works with."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField as _WTFormsDateField
from wtforms import HiddenField, StringField

from portal.errors import MISSING_VERSION
from portal.tabular import parse_whole_number

# Dates the portal works with lie in this window: a year such as 0001 or 9999 is a typo, and
# pandas (nanosecond timestamps, 1677–2262) cannot compute with it.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
DATE_OUT_OF_RANGE = _l("Angiv en dato mellem år 1900 og 2199.")


class AmountField(StringField):
    """Whole kroner, with or without Danish thousands separators."""

    amount: int | None = None  # also when the field was not posted at all

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.amount = None
        if self.data and self.data.strip():
            try:
                self.amount = parse_whole_number(self.data.strip().removesuffix("kr.").strip())
            except ValueError as exc:
                self.amount = None
                raise ValueError(_l("Skriv et helt antal kroner, fx 900.000.")) from exc

    def _value(self):
        return (
            self.data
            if isinstance(self.data, str)
            else ("" if self.data is None else f"{self.data:,}".replace(",", "."))
        )


class VersionedForm(FlaskForm):
    version = HiddenField()

    def loaded_version(self) -> int:
        """The version the editor loaded; ``MISSING_VERSION`` (a conflict) without one."""
        # The posted text, or the stored number when nothing was posted; isdigit() alone
        # accepts "²" and other digits int() cannot read.
        text = str(self.version.data or "")
        return int(text) if text.isascii() and text.isdigit() else MISSING_VERSION


def sensible_date(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


class DateField(_WTFormsDateField):
    """WTForms' date field, refusing dates outside ``EARLIEST_DATE``..``LATEST_DATE``."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not sensible_date(self.data):
            self.data = None
            raise ValueError(DATE_OUT_OF_RANGE)
