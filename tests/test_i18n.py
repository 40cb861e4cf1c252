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


def test_wtforms_own_messages_are_danish_and_english_in_english(app):
    from flask_babel import force_locale
    from flask_wtf import FlaskForm
    from wtforms import DateField, IntegerField, StringField
    from wtforms.validators import Length

    class Form(FlaskForm):
        on = DateField("Dato")
        count = IntegerField("Antal")
        text = StringField("Tekst", validators=[Length(max=3)])

    data = {"on": "31/03/2026", "count": "mange", "text": "for lang"}
    for locale, expected in (
        (
            "da",
            [
                "Ugyldig dato. Skriv den som åååå-mm-dd, fx 2026-03-31.",
                "Skriv et helt tal.",
                "Feltet må højst være 3 tegn.",
            ],
        ),
        (
            "en",
            [
                "Not a valid date. Write it as yyyy-mm-dd, e.g. 2026-03-31.",
                "Write a whole number.",
                "The field cannot be longer than 3 characters.",
            ],
        ),
    ):
        with app.test_request_context(method="POST", data=data), force_locale(locale):
            app.preprocess_request()
            form = Form()
            assert not form.validate()
            assert [form.on.errors[0], form.count.errors[0], form.text.errors[0]] == expected


def test_units_come_in_the_readers_language_from_the_programme_file(app):
    from flask_babel import force_locale
    from sqlalchemy import select

    from portal.db import db
    from portal.i18n import localized
    from portal.programmes.loading import load_shipped_programmes
    from portal.programmes.models import Indicator

    load_shipped_programmes()
    db.session.flush()
    hours = db.session.scalars(select(Indicator).where(Indicator.key == "planning_hours")).first()
    share = db.session.scalars(select(Indicator).where(Indicator.unit == "%")).first()
    with app.test_request_context():
        with force_locale("en"):
            assert localized(hours, "unit") == "hours per month"
            assert localized(share, "unit") == "%"  # no English given: the one unit
        with force_locale("da"):
            assert localized(hours, "unit") == "timer pr. måned"


def test_counts_read_right_at_one_and_at_many(app):
    from flask_babel import force_locale

    from portal.benefits.files.importing import ImportResult

    with app.test_request_context():
        assert ImportResult(created=1).summary() == "1 række læst: 1 oprettet, 0 ændret, 0 uændret."
        assert ImportResult(created=2, updated=1).summary() == (
            "3 rækker læst: 2 oprettet, 1 ændret, 0 uændret."
        )
        with force_locale("en"):
            assert ImportResult(unchanged=1).summary() == (
                "1 row read: 0 new, 0 changed, 1 unchanged."
            )


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
