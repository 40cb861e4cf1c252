"""Form pieces every domain uses: a form that carries the version it was loaded with (so a
stale form conflicts instead of overwriting), and an amount in whole kroner."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from portal.errors import MISSING_VERSION
from portal.tabular import parse_whole_number


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
