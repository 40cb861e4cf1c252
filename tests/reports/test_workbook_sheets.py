"""The national workbook's sheets say whose they are (issue 21: "(3)", "(4)" unexplained):
a round's sheets are numbered as its chapter (1, 2 …, never its database id), and "Om
rapporten" lists every sheet with its full title and round; the key figures per round."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import load_workbook

from portal.db import db
from portal.reports import progress
from portal.reports.scope import ReportScope
from portal.reports.xlsx import report_workbook
from tests.dashboards.helpers import baseline, measure, screen_round, stored, target
from tests.participations.helpers import participation
from tests.reports.test_progress import build


def test_the_national_workbook_names_each_rounds_sheets(app, progress_round, monkeypatch):
    monkeypatch.setattr(progress, "local_today", lambda: date(2026, 6, 1))
    second = screen_round()
    second.period_start, second.period_end = date(2026, 1, 1), date(2027, 6, 30)
    odense = participation(second, 461)
    baseline(odense, "screen_visits", 10, date(2025, 12, 15))
    target(odense, "screen_visits", 50, date(2027, 6, 30))
    measure(odense, "screen_visits", [20, 30], first=date(2026, 1, 1))
    db.session.commit()
    stored()
    first = progress_round.round
    report = build(app, ReportScope())
    with app.test_request_context():
        book = load_workbook(io.BytesIO(report_workbook(report)))
    numbered = [n for n in book.sheetnames if re.search(r"\(\d+\)$", n)]
    assert numbered and {re.search(r"\((\d+)\)$", n).group(1) for n in numbered} == {"1", "2"}
    assert not any(f"({r.id})" in n for n in book.sheetnames for r in (first, second) if r.id > 2)
    listed = {
        row[0].value: row[1].value for row in book["Om rapporten"].iter_rows() if row[0].value
    }
    for name in numbered:
        round_ = first if name.endswith("(1)") else second
        assert listed[name].endswith(f" – {round_.name_da}"), (name, listed[name])
    key = [[c.value for c in row] for row in book["Nøgletal"].iter_rows()]
    assert [row[0] for row in key[1:]] == [first.name_da, second.name_da, "Alle forløb"]
    assert key[-1][1] == 4 and key[-1][6] == key[1][6] + key[2][6]


def test_one_number_format_per_quantity_in_every_sheet(app, progress_round):
    """Issue 21: consistent decimals. A column of the same heading is written with the same
    number format on every sheet (progress 66,7 % everywhere, an indicator's value with two
    decimals everywhere)."""
    report = build(app, ReportScope(round=progress_round.round))
    with app.test_request_context():
        book = load_workbook(io.BytesIO(report_workbook(report)))
    formats: dict[str, set[str]] = {}
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for label, cell in zip(header, row, strict=False):
                if cell.data_type == "n" and cell.value is not None and not cell.is_date:
                    formats.setdefault(label, set()).add(cell.number_format)
    assert formats["Fremdrift"] == {"0.0%"}
    assert formats["Seneste værdi"] == {"#,##0.00"} and formats["Basislinje"] == {"#,##0.00"}
    assert all(len(f) == 1 for f in formats.values()), formats
