"""Free text must not carry personal data: the portal holds aggregated figures and staff
contact details only, so anything shaped like a CPR number is refused."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l

# DDMMYY, an optional dash or space, then four digits, not inside a longer number.
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?\d{4}(?!\d)")

CPR_MESSAGE = _l(
    "Teksten ser ud til at indeholde et CPR-nummer. Skriv ikke personoplysninger om borgere"
    " eller medarbejdere i portalen."
)


def looks_like_cpr(text: str | None) -> bool:
    """True when ``text`` holds ten digits that read as a valid birth date + four digits."""
    for match in _CPR.finditer(text or ""):
        day, month, year = (int(g) for g in match.groups())
        try:
            date(2000 + year, month, day)
        except ValueError:
            continue
        return True
    return False


def cpr_problems(fields: dict[str, str | None]) -> list[tuple[str, str]]:
    """``(field, message)`` for each text field that looks like it holds a CPR number."""
    return [(name, CPR_MESSAGE) for name, text in fields.items() if looks_like_cpr(text)]
