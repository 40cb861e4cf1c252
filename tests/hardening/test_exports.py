"""Free text never becomes a live formula in a file the portal writes: every CSV and XLSX goes
through ``portal.spreadsheets``; imports read the escaped text back as it was typed."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from portal.auth.models import Role
from portal.benefits import recording
from portal.db import db
from portal.municipalities.services import export_register, import_register
from portal.reports.csv import report_csv
from portal.reports.xlsx import report_workbook
from portal.spreadsheets import csv_text, is_dangerous
from portal.tabular import read_table
from tests.benefits.helpers import figures_round, indicator, participation_of
from tests.reports.test_framework import small_report

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_shaped_text_is_escaped(text):
    assert is_dangerous(text) and csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "+4,5", "-1.234,5", "-", "Aarhus", "", "a=b"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert csv_text(text) == text


def test_report_files_hold_text_not_formulas():
    report = small_report()
    report.summary = "=1+1"
    report.main_table.add("=cmd|' /C calc'!A0", 1, 2, D("1"), D("0.1"), date(2026, 1, 1))
    book = load_workbook(io.BytesIO(report_workbook(report)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    planted = [c for c in cells if c.value in ("=1+1", "=cmd|' /C calc'!A0")]
    assert len(planted) == 2 and all(c.data_type == "s" and c.quotePrefix for c in planted)
    numbers = [c for c in cells if isinstance(c.value, int | float)]
    assert numbers and not any(c.quotePrefix for c in numbers)
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig")), delimiter=";"))
    assert rows[-1][:3] == ["'=cmd|' /C calc'!A0", "1", "2"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_figure_notes_export_as_text_and_import_back_unchanged(client, login, make_user, fmt):
    round_ = figures_round(codes=(101,))
    own = participation_of(round_, 101)
    recording.record_measurement(
        own, indicator(round_, "screen_visits"), date(2025, 10, 1), D(-3), "=1+2", actor=None
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    data = client.get(f"/gevinster/deltagelse/{own.id}/tal.{fmt}").get_data()
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data))["tal"]
        note = sheet["F2"]
        assert note.value == "=1+2" and note.data_type == "s" and note.quotePrefix
        assert sheet["E2"].value == -3
    else:
        assert "'=1+2" in data.decode("utf-8-sig") and ",-3," in data.decode("utf-8-sig")
    # the exchange format's columns (Danish headers, read as the codes); the quality mark is
    # optional (issue 11)
    from portal.benefits.files.importing.parsing import HEADER_WORDS

    again = read_table(
        data,
        ["municipality", "indicator", "kind", "date", "value", "note"],
        ["quality"],
        aliases=HEADER_WORDS,
    )
    assert list(again["note"]) == ["=1+2"] and list(again["value"]) == ["-3"]


def test_the_register_export_escapes_names_and_reimports_unchanged():
    import_register("code,name,region\n101,@SUM(1+1),Region Hovedstaden\n")
    exported = export_register()
    assert "101,'@SUM(1+1)," in exported
    result = import_register(exported)
    assert result.created == result.updated == 0


WRITERS = {  # a way of writing a spreadsheet → what a module using it must also call
    "Workbook(": ("workbook_bytes", "neutralise_workbook", "StreamingWorkbook("),
    "xlsxwriter": (),  # only through ``spreadsheets.StreamingWorkbook``
    "ExcelWriter(": ("neutralise_workbook",),
    ".to_csv(": ("csv_frame",),
    "csv.writer(": ("csv_text",),
}


def test_every_writer_goes_through_the_neutralising_module():
    """A new export that writes CSV or XLSX without ``portal.spreadsheets`` fails here."""
    from pathlib import Path

    import portal

    root = Path(portal.__file__).parent
    missing = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "spreadsheets.py" or path.relative_to(root).parts[0] == "demo":
            continue  # the module itself; the demo writes its own sample input files
        text = path.read_text()
        for call, safe in WRITERS.items():
            if call in text and not any(name in text for name in safe):
                missing.append((str(path.relative_to(root)), call))
    assert not missing, missing
