"""Form fields shared by every domain."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField as _WTFormsDateField

# Dates the portal works with lie in this window: a year such as 0001 or 9999 is a typo, and
# pandas (nanosecond timestamps, 1677–2262) cannot compute with it.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
DATE_OUT_OF_RANGE = _l("Angiv en dato mellem år 1900 og 2199.")


def sensible_date(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


class DateField(_WTFormsDateField):
    """WTForms' date field, refusing dates outside ``EARLIEST_DATE``..``LATEST_DATE``."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not sensible_date(self.data):
            self.data = None
            raise ValueError(DATE_OUT_OF_RANGE)
