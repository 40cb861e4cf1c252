"""Language choice and the Danish formats for numbers, money and dates."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.dates import parse_pattern as parse_date_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)
from babel.numbers import parse_pattern as parse_number_pattern
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, get_translations

LOCALES = ("da", "en")
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    if not has_request_context():  # the CLI, imports and other work outside a request
        return "da"
    if request.path.startswith("/api/"):  # the API: Accept-Language, never the session
        return request.accept_languages.best_match(LOCALES) or "da"
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    return "da"


def localized(obj, field: str) -> str:
    """``obj.<field>_en`` when English is chosen and present, else the Danish text
    (``<field>_da``, or plain ``<field>`` where Danish has no suffix, as an indicator's unit)."""
    if str(get_locale()) == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    if hasattr(obj, f"{field}_da"):
        return getattr(obj, f"{field}_da")
    return getattr(obj, field)


def bare_community(name: str) -> str:
    """A community's name to follow the word "Fællesskabet" in a text: "Fællesskab Odense"
    gives "Odense", so no page says "Fællesskabet Fællesskab Odense"."""
    for prefix in ("fællesskabet ", "fællesskab "):
        if name.lower().startswith(prefix) and name[len(prefix) :].strip():
            return name[len(prefix) :].strip()
    return name


# Patterns parsed once, then applied: a national view formats thousands of numbers and
# dates, and Babel's ``format_decimal``/``format_date`` parse their pattern on every call.
# A number pattern is applied by ``_Format`` (Python's own formatting with the locale's
# symbols: the same text as Babel's ``NumberPattern.apply``, a test holds them equal).
_NUMBER_FORMATS: dict[tuple[int, str], _Format] = {}
_DATE_PATTERNS: dict[str, object] = {}


@dataclass(frozen=True)
class _Format:
    min_frac: int
    max_frac: int
    group: str
    decimal: str
    minus: str

    @classmethod
    def of(cls, digits: int, locale) -> _Format:
        text = "#,##0" if digits == 0 else "#,##0." + "#" * digits
        pattern = parse_number_pattern(text)
        if pattern.grouping != (3, 3):
            raise ValueError(f"{text}: only groups of three are supported")
        return cls(
            *pattern.frac_prec,
            get_group_symbol(locale),
            get_decimal_symbol(locale),
            get_minus_sign_symbol(locale),
        )

    def apply(self, value) -> str:
        if isinstance(value, float):
            value = Decimal(str(value))  # as Babel does: the shortest text of the float
        elif not isinstance(value, Decimal):
            value = Decimal(value)
        text = f"{value:,.{self.max_frac}f}"  # rounded half to even, as Babel rounds
        whole, _, fraction = text.partition(".")
        fraction = fraction.rstrip("0").ljust(self.min_frac, "0")
        if whole.startswith("-"):
            whole = self.minus + whole[1:]
        whole = whole.replace(",", self.group)
        return f"{whole}{self.decimal}{fraction}" if fraction else whole


def _number_format(digits: int) -> _Format:
    locale = get_locale()
    key = (digits, str(locale))
    found = _NUMBER_FORMATS.get(key)
    if found is None:
        found = _NUMBER_FORMATS[key] = _Format.of(digits, locale)
    return found


def _date_pattern(fmt: str):
    pattern = _DATE_PATTERNS.get(fmt)
    if pattern is None:
        pattern = _DATE_PATTERNS[fmt] = parse_date_pattern(fmt)
    return pattern


def money(value: int | Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{_number_format(0).apply(value)} kr."


def number(value: int | float | Decimal | str | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = Decimal(value)  # stored decimal strings (round parameters) stay exact
    return _number_format(digits).apply(value)


def local_date(value: date | datetime | None, fmt: str = "dd.MM.yyyy") -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return format_datetime(to_local(value), fmt, tzinfo=COPENHAGEN, locale=get_locale())
    return _date_pattern(fmt).apply(value, get_locale())


def local_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    # zoneinfo, not Flask-Babel's conversion: its rules stop at 2037 and lose summer time.
    return format_datetime(
        to_local(value), "dd.MM.yyyy HH:mm", tzinfo=COPENHAGEN, locale=get_locale()
    )


# A date written out, as on a report's cover: "22. november 2026", "22 November 2026".
LONG_DATE = {"da": "d. MMMM y", "en": "d MMMM y"}
LONG_DATETIME = {"da": "d. MMMM y 'kl.' HH.mm", "en": "d MMMM y 'at' HH:mm"}


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    locale = get_locale()
    pattern = LONG_DATE.get(str(locale), LONG_DATE["da"])
    if isinstance(value, datetime):
        return format_datetime(to_local(value), pattern, tzinfo=COPENHAGEN, locale=locale)
    return format_date(value, pattern, locale=locale)


def long_datetime(value: datetime | None) -> str:
    """ "22. november 2026 kl. 14.05" in Copenhagen time."""
    if value is None:
        return "–"
    locale = get_locale()
    pattern = LONG_DATETIME.get(str(locale), LONG_DATETIME["da"])
    return format_datetime(to_local(value), pattern, tzinfo=COPENHAGEN, locale=locale)


def to_local(value: datetime) -> datetime:
    return value.astimezone(COPENHAGEN)


def local_today() -> date:
    """Today in Denmark (a figure's period has begun or not by the Danish calendar)."""
    return datetime.now(COPENHAGEN).date()


def compile_catalogs(directory: Path = TRANSLATIONS) -> None:
    """Compile every ``messages.po`` below ``directory`` into its ``.mo`` when out of date."""
    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        # Several app processes may start at once: write aside, then swap in atomically.
        with tempfile.NamedTemporaryFile("wb", dir=mo_path.parent, delete=False) as mo_file:
            write_mo(mo_file, catalog)
        os.replace(mo_file.name, mo_path)


# WTForms ships no Danish: the messages of its own a user can meet, in Danish. The Danish
# texts are msgids of our catalogue, so an English reader gets English back.
WTFORMS_MESSAGES = {
    "This field is required.": "Feltet skal udfyldes.",
    "Invalid input.": "Ugyldig værdi.",
    "Not a valid date value.": "Ugyldig dato. Skriv den som åååå-mm-dd, fx 2026-03-31.",
    "Not a valid datetime value.": "Ugyldigt tidspunkt. Skriv dato og klokkeslæt.",
    "Not a valid time value.": "Ugyldigt klokkeslæt. Skriv det som tt:mm, fx 12:00.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid decimal value.": "Skriv et tal.",
    "Not a valid float value.": "Skriv et tal.",
    "Not a valid choice.": "Vælg en af mulighederne.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne.",
    "Invalid choice(s): one or more data inputs could not be coerced.": (
        "Vælg blandt mulighederne."
    ),
    "Invalid email address.": "Ugyldig e-mailadresse.",
    "Number must be at least %(min)s.": "Tallet skal være mindst %(min)s.",
    "Number must be at most %(max)s.": "Tallet må højst være %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Tallet skal være mellem %(min)s og %(max)s.",
    "Field must be between %(min)d and %(max)d characters long.": (
        "Feltet skal være mellem %(min)d og %(max)d tegn."
    ),
}
WTFORMS_PLURALS = {
    "Field must be at least %(min)d character long.": (
        "Feltet skal være mindst %(min)d tegn.",
        "Feltet skal være mindst %(min)d tegn.",
    ),
    "Field cannot be longer than %(max)d character.": (
        "Feltet må højst være %(max)d tegn.",
        "Feltet må højst være %(max)d tegn.",
    ),
}


class WTFormsMessages:
    """What Flask-WTF asks for WTForms' own messages (it looks for
    ``request.wtforms_translations``): the Danish text above, in the reader's language,
    unformatted — WTForms fills in the numbers itself."""

    def ugettext(self, string: str) -> str:
        danish = WTFORMS_MESSAGES.get(string)
        return string if danish is None else get_translations().ugettext(danish)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        danish = WTFORMS_PLURALS.get(singular)
        if danish is None:
            return singular if n == 1 else plural
        return get_translations().ungettext(*danish, n)


def init_app(app: Flask) -> None:
    compile_catalogs()
    for name, func in {
        "money": money,
        "number": number,
        "local_date": local_date,
        "local_datetime": local_datetime,
        "long_date": long_date,
        "long_datetime": long_datetime,
    }.items():
        app.add_template_filter(func, name)
    app.add_template_global(localized, "localized")
    app.add_template_filter(bare_community, "bare_community")
    app.add_template_global(get_locale, "get_locale")

    @app.before_request
    def _wtforms_messages():
        request.wtforms_translations = WTFormsMessages()

    @app.after_request
    def _content_language(response):
        if request.endpoint != "static":
            response.headers.setdefault("Content-Language", str(get_locale()))
        return response
