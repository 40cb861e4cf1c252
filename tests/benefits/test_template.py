"""The import template: the participation's indicators with name, unit and frequency, a row
for each period that is due; filled in and imported, blank values are skipped."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.benefits import recording
from portal.benefits.files.exporting import template_table, to_bytes
from portal.benefits.files.importing import import_figures
from portal.benefits.models import Baseline, Measurement, Target
from portal.db import db
from tests.benefits.helpers import figures_round, indicator, participation_of

TODAY = date(2026, 1, 10)


@pytest.fixture
def round_():
    return figures_round(codes=(101,))


@pytest.fixture
def own(round_):
    return participation_of(round_, 101)


def rows_of(table, key, kind):
    return table[(table["indicator"] == key) & (table["kind"] == kind)]


def test_the_template_names_the_indicators_and_the_periods_due(app, round_, own):
    visits = indicator(round_, "screen_visits")
    recording.set_baseline(own, visits, D(10), date(2025, 8, 1), "", actor=None)
    recording.record_measurement(own, visits, date(2025, 10, 1), D(3), actor=None)
    with app.test_request_context():
        table = template_table(round_, [own], TODAY)
    first = rows_of(table, "screen_visits", "measurement").iloc[0]
    assert (first["name"], first["unit"], first["frequency"]) == (
        "Screen visits",
        "besøg pr. måned",
        "Månedlig",
    )
    # September, November and December 2025 are due; October is measured
    assert list(rows_of(table, "screen_visits", "measurement")["date"]) == [
        "2025-09-01",
        "2025-11-01",
        "2025-12-01",
    ]
    assert rows_of(table, "screen_visits", "baseline").empty  # recorded already
    assert len(rows_of(table, "screen_visits", "target")) == 1
    assert list(rows_of(table, "punctuality", "measurement")["date"]) == [
        "2025-07-01",
        "2025-10-01",
    ]
    assert rows_of(table, "punctuality", "measurement")["frequency"].iloc[0] == "Kvartalsvis"
    assert set(table["value"]) == {""}
    assert "2026-01-01" not in set(table["date"])  # every row is no longer 2026-01-01


def test_an_indicator_with_nothing_due_gets_the_current_period(app, round_, own):
    with app.test_request_context():
        table = template_table(round_, [own], date(2025, 9, 15))
    assert list(rows_of(table, "screen_visits", "measurement")["date"]) == ["2025-09-01"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filled_in_template_imports_and_blank_rows_are_skipped(app, round_, own, fmt):
    with app.test_request_context():
        table = template_table(round_, [own], TODAY)
        filled = table.copy()
        due = filled.index[(filled["indicator"] == "screen_visits") & (filled["kind"] != "cost")]
        baseline, target, *months = due
        filled.loc[baseline, ["date", "value"]] = ["2025-08-01", "300"]
        filled.loc[target, ["date", "value"]] = ["2027-03-31", "200"]
        filled.loc[months, "value"] = "250.5"
        result = import_figures(to_bytes(filled, fmt), round_, actor=None)
        assert result.created == 2 + len(months)
        assert result.skipped == len(table) - len(due)
        assert "rækker uden værdi blev sprunget over" in result.summary()
    db.session.flush()
    assert db.session.scalar(select(func.count(Measurement.id))) == len(months)
    assert db.session.scalar(select(Baseline.value)) == D(300)
    assert db.session.scalar(select(Target.value)) == D(200)


def test_a_template_with_only_blanks_imports_nothing_and_says_so(app, round_, own):
    with app.test_request_context():
        result = import_figures(
            to_bytes(template_table(round_, [own], TODAY), "csv"), round_, actor=None
        )
        assert result.total == 0 and result.skipped > 0
        assert result.summary() == "Intet blev indlæst: filen havde ingen udfyldte værdier."
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
