"""Danish first, English complete; Danish number and date formats."""

from datetime import UTC, date, datetime
from decimal import Decimal

from babel.messages.pofile import read_po

from portal.auth.models import Role
from portal.i18n import TRANSLATIONS, local_date, local_datetime, money, number


def test_english_catalogue_translates_every_message():
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    untranslated = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []
    assert len(catalog) > 200


def test_pages_in_english(client, make_user, login):
    client.post("/sprog", data={"lang": "en"})
    assert "Log in" in client.get("/login").get_data(as_text=True)
    login(make_user(Role.COORDINATOR, name="Karen"))
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Karen" in page and "You are the national coordinator." in page
    assert '<html lang="en">' in page


def test_danish_formats(app):
    with app.test_request_context():
        assert money(1234567) == "1.234.567 kr."
        assert number(Decimal("1234.5")) == "1.234,5"
        assert local_date(date(2026, 11, 22)) == "22.11.2026"
        # stored in UTC, shown in Copenhagen time, summer and winter alike
        assert local_datetime(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == "01.07.2026 12:00"
        assert local_datetime(datetime(2026, 12, 1, 11, 0, tzinfo=UTC)) == "01.12.2026 12:00"


def test_long_dates_as_on_a_report_cover(app):
    from portal.i18n import long_date, long_datetime

    with app.test_request_context():
        assert long_date(date(2026, 11, 22)) == "22. november 2026"
        assert long_datetime(datetime(2026, 11, 22, 13, 5, tzinfo=UTC)) == (
            "22. november 2026 kl. 14.05"
        )
        assert long_date(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == "23. november 2026"
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        assert long_date(date(2026, 11, 22)) == "22 November 2026"


def test_numbers_are_babels_own_text_from_a_pattern_parsed_once(app):
    """The Danish (and English) number format applied from a parsed pattern gives exactly
    what Babel's format_decimal gives, for every kind of value the pages show."""
    import random
    from decimal import Decimal

    from flask import session
    from flask_babel import format_decimal

    from portal.i18n import money, number

    rng = random.Random(14)
    values = [Decimal("-0.001"), Decimal("-0"), -0.0, 0, 7, Decimal("0.125"), Decimal("1E+20")]
    values += [Decimal("999.995"), 12.345, 10**15, Decimal("-1234.5")]
    values += [Decimal(rng.randint(-(10**9), 10**9)).scaleb(-rng.randint(0, 8)) for _ in range(300)]
    values += [rng.uniform(-1e6, 1e6) for _ in range(100)]
    for language in ("da", "en"):
        with app.test_request_context():
            session["lang"] = language
            for value in values:
                for digits in range(5):
                    pattern = "#,##0" if digits == 0 else "#,##0." + "#" * digits
                    assert number(value, digits) == format_decimal(value, format=pattern)
            assert money(Decimal("1234567.5")) == format_decimal(1234568, "#,##0") + " kr."
