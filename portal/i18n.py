"""Language choice and the Danish formats for numbers, money and dates."""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_babel import format_decimal, get_locale

LOCALES = ("da", "en")
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    if not has_request_context():  # the CLI, imports and other work outside a request
        return "da"
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    return "da"


def localized(obj, field: str) -> str:
    """``obj.<field>_en`` when English is chosen and present, else the Danish text."""
    if str(get_locale()) == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_da")


def money(value: int | Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{format_decimal(value, format='#,##0')} kr."


def number(value: int | float | Decimal | str | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = Decimal(value)  # stored decimal strings (round parameters) stay exact
    pattern = "#,##0" if digits == 0 else "#,##0." + "#" * digits
    return format_decimal(value, format=pattern)


def local_date(value: date | datetime | None, fmt: str = "dd.MM.yyyy") -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return format_datetime(to_local(value), fmt, tzinfo=COPENHAGEN, locale=get_locale())
    return format_date(value, fmt, locale=get_locale())


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
    app.add_template_global(get_locale, "get_locale")

    @app.after_request
    def _content_language(response):
        if request.endpoint != "static":
            response.headers.setdefault("Content-Language", str(get_locale()))
        return response
