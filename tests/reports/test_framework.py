"""One report model, three renderings: numbers stay numbers in XLSX, CSV opens in Danish
Excel, and the PDF reads as a board document (cover, contents, "Side x af y", Danish
formats, a long table repeating its header). One PDF is rendered for all its checks."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.reports.csv import report_csv, report_csv_zip
from portal.reports.formatting import cut_at_word
from portal.reports.model import (
    SUPPRESSED,
    Chart,
    Column,
    Kind,
    Report,
    Section,
    Table,
    slugify,
)
from portal.reports.pdf import report_html, report_pdf
from portal.reports.xlsx import report_workbook, sheet_name
from tests.reports.helpers import pdf_pages

GENERATED = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)  # 14.05 in Copenhagen
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60" width="200" height="60">'
    '<title>Udvikling</title><polyline points="0,50 100,30 200,10" fill="none" stroke="#000"/>'
    "</svg>"
)


def figures_table(rows: int = 3) -> Table:
    table = Table(
        "Tal pr. kommune",
        [
            Column("Kommune"),
            Column("Antal", Kind.INTEGER),
            Column("Beløb", Kind.MONEY),
            Column("Timer", Kind.DECIMAL),
            Column("Andel", Kind.PERCENT),
            Column("Dato", Kind.DATE),
        ],
        note="En note under tabellen.",
    )
    for n in range(rows):
        table.add(
            f"Kommune {n + 1}",
            1234 + n,
            285714,
            Decimal("1234.5"),
            Decimal("0.253"),
            date(2026, 11, 22),
        )
    table.subtotal("I alt, Nord", 2468, 571428, Decimal("2469"), None, None)
    table.total("I alt", 3702, 857142, Decimal("3703.5"), Decimal("0.5"), None)
    return table


def small_report() -> Report:
    table = figures_table()
    return Report(
        title="Prøverapport",
        scope="Alle kommuner",
        period="1. januar 2026 – 31. marts 2027",
        generated_at=GENERATED,
        sections=[Section("Tal", paragraphs=["Indledning."], tables=[table])],
        filename="proeve",
        main_table=table,
    )


def test_tables_hold_plain_values_only():
    table = Table("t", [Column("a")])
    with pytest.raises(TypeError):
        table.add(1.5)  # a float loses øre
    with pytest.raises(TypeError):
        table.add(object())
    with pytest.raises(ValueError):
        table.add("a", "b")


def test_file_names_and_sheet_names():
    assert slugify("Vagtplanlægning 2026–2027") == "vagtplanlaegning-2026-2027"
    assert slugify("Års-øen / Ærø") == "aars-oeen-aeroe"
    taken: set[str] = set()
    first = sheet_name("Datadrevet ruteplanlægning 2025: kommuner [alle]", taken)
    second = sheet_name("Datadrevet ruteplanlægning 2025: kommuner [alle]", taken)
    assert len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & set(first)
    assert first != second and second.endswith(" (2)")
    # cut after a whole word, never in the middle of one
    assert first == "Datadrevet ruteplanlægning 2025"
    assert second == "Datadrevet ruteplanlægning (2)"
    assert cut_at_word("Skærmbesøg – ny ansøgningsrunde", 14) == "Skærmbesøg"
    assert cut_at_word("Gevinstrealiseringsopgørelsen", 10) == "Gevinstrea"  # one long word


def test_xlsx_has_real_numbers_with_number_formats(app):
    with app.test_request_context():
        book = load_workbook(io.BytesIO(report_workbook(small_report())))
    assert book.sheetnames == ["Om rapporten", "Tal pr. kommune"]
    about = book["Om rapporten"]
    assert [about["A1"].value, about["B1"].value] == ["Rapport", "Prøverapport"]
    assert about["B2"].value == "Alle kommuner"
    assert about["B3"].value == "1. januar 2026 – 31. marts 2027"
    assert about["B4"].value == datetime(2026, 11, 22, 14, 5)  # Copenhagen time
    assert about["B4"].is_date

    sheet = book["Tal pr. kommune"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Kommune", "Antal", "Beløb", "Timer", "Andel", "Dato"]
    assert all(c.font.bold for c in sheet[1])
    name, count, amount, hours, share, day = sheet[2]
    assert name.value == "Kommune 1" and name.data_type == "s"
    assert count.value == 1234 and count.data_type == "n" and count.number_format == "#,##0"
    assert amount.value == 285714 and amount.data_type == "n"
    assert amount.number_format == '#,##0 "kr."'
    assert hours.value == 1234.5 and hours.data_type == "n" and hours.number_format == "#,##0.0"
    assert share.value == pytest.approx(0.253) and share.data_type == "n"
    assert share.number_format == "0.0%"
    assert day.is_date and day.value.date() == date(2026, 11, 22)
    assert day.number_format == "dd.mm.yyyy"
    assert not sheet["A2"].font.bold
    subtotal, total = sheet[5], sheet[6]
    assert subtotal[0].value == "I alt, Nord" and all(c.font.bold for c in subtotal)
    assert total[2].value == 857142 and total[2].font.bold
    assert sheet.column_dimensions["A"].width >= len("Kommune 1")


def test_csv_for_danish_excel(app):
    with app.test_request_context():
        data = report_csv(small_report())
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Kommune", "Antal", "Beløb (kr.)", "Timer", "Andel (%)", "Dato"]
    assert rows[1] == ["Kommune 1", "1234", "285714", "1234,50", "25,3", "2026-11-22"]
    # hours carry two decimals in the CSV, whatever the page shows
    # data rows only: a sum in Excel must not count the subtotals twice
    assert len(rows) == 4 and not any(r[0].startswith("I alt") for r in rows)
    assert "\r\n" in text


def test_csv_zip_holds_every_table(app):
    report = small_report()
    report.sections.append(Section("Mere", tables=[Table("Anden tabel", [Column("Navn")])]))
    with app.test_request_context():
        data = report_csv_zip(report)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["01-tal-pr-kommune.csv", "02-anden-tabel.csv"]


def suppressed_table() -> Table:
    table = Table("Små tal", [Column("Kommune"), Column("Borgere", Kind.INTEGER)])
    table.add("Læsø", SUPPRESSED)
    table.add("Aarhus", 1234)
    return table


def test_a_suppressed_count_is_text_in_every_format(app):
    report = Report("R", "S", "P", GENERATED, [Section("A", tables=[suppressed_table()])])
    with app.test_request_context():
        sheet = load_workbook(io.BytesIO(report_workbook(report)))["Små tal"]
        data = report_csv(report).decode("utf-8-sig")
    assert sheet["B2"].value == "< 5" and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == 1234 and sheet["B3"].data_type == "n"
    assert data.splitlines()[1:] == ["Læsø;< 5", "Aarhus;1234"]


def long_report() -> Report:
    sections = [
        Section(
            "Udvikling",
            paragraphs=["Grafen viser udviklingen."],
            charts=[Chart("Udvikling over tid", SVG, "Linjen stiger fra 10 til 50.")],
        ),
        Section("Mange kommuner", tables=[figures_table(rows=90)]),
        Section("Et afsnit", paragraphs=["Tekst."]),
        Section("Et underafsnit", paragraphs=["Mere tekst."], level=2),
        Section("Tomt", tables=[Table("Ingenting", [Column("Navn")], empty_text="Intet endnu.")]),
        Section("Bred", tables=[suppressed_table()], landscape=True),
    ]
    return Report(
        title="Prøverapport med mange afsnit",
        scope="Alle kommuner",
        period="1. januar 2026 – 31. marts 2027",
        generated_at=GENERATED,
        sections=sections,
        summary="En sammenfatning på forsiden.",
    )


def test_pdf_for_a_board_meeting(app):
    report = long_report()
    with app.test_request_context():
        html = report_html(report)
        pdf = report_pdf(report)
    assert "<svg" in html  # the chart inline, as vector graphics
    reader = PdfReader(io.BytesIO(pdf))
    pages = pdf_pages(pdf)
    n = len(pages)
    assert n >= 3
    cover = contents = pages[0]  # the contents on the cover
    assert "Prøverapport med mange afsnit" in cover
    assert "Alle kommuner" in cover and "1. januar 2026 – 31. marts 2027" in cover
    assert "22. november 2026 kl. 14.05" in cover and "En sammenfatning på forsiden." in cover
    assert f"Side 1 af {n}" in cover and f"Side {n} af {n}" in pages[-1]
    assert "Dannet 22. november 2026 kl. 14.05" in pages[-1]  # the footer stamp
    # contents with the page each section starts on
    assert "Indhold" in contents and "Et underafsnit" in contents
    toc = {line.split(" .")[0]: line.split()[-1] for line in contents.splitlines() if " . " in line}
    chart_page = next(i for i, p in enumerate(pages, 1) if "Grafen viser udviklingen." in p)
    assert toc["Udvikling"] == str(chart_page) and toc["Mange kommuner"] == str(chart_page)
    text = "\n".join(pages)
    assert "Kommune 2 1.235 285.714 1.234,5 25,3 % 22.11.2026" in text
    assert "I alt 3.702 857.142 3.703,5 50,0 %\n" in text
    assert "Intet endnu." in text and "En note under tabellen." in text
    # the long table runs over pages, repeats its header on each and splits no row
    header = "Kommune Antal Beløb (kr.) Timer Andel Dato"
    start = next(i for i, p in enumerate(pages) if "Kommune 1 1.234 285.714" in p)
    end = next(i for i, p in enumerate(pages) if "Kommune 90 1.323 285.714" in p)
    assert end > start
    for page in pages[start : end + 1]:
        assert header in page
    rows = [line for p in pages for line in p.splitlines() if line.startswith("Kommune ")]
    assert sum(1 for line in rows if line.endswith("25,3 % 22.11.2026")) == 90
    # a wide section on a landscape page, a suppressed count as text
    wide = next(i for i, p in enumerate(pages) if "Små tal" in p)
    box = reader.pages[wide].mediabox
    assert box.width > box.height and reader.pages[0].mediabox.height > box.height
    assert "Læsø < 5" in pages[wide]
    # tagged PDF (PDF/UA) with the document's language and fonts embedded
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root.get("/Lang") == "da"
    fonts = {
        font.get_object()["/BaseFont"]: font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu-Sans" in name for name in fonts)
    for font in fonts.values():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor  # embedded


def test_no_contents_page_for_a_short_report(app):
    with app.test_request_context():
        html = report_html(small_report())
    assert 'class="toc"' not in html


def test_csv_carries_two_decimals_for_computed_figures_and_values_as_entered():
    from portal.reports.csv import _field

    assert _field(Decimal("1234.565"), Column("Brutto", Kind.MONEY)) == "1234,57"
    assert _field(285714, Column("Tilskud", Kind.MONEY)) == "285714"  # a whole amount
    assert _field(Decimal("10.4166"), Column("Timer", Kind.DECIMAL, 0)) == "10,42"
    assert _field(Decimal("12.5000"), Column("Værdi", Kind.DECIMAL, 0, as_entered=True)) == "12,5"
    assert _field(Decimal("0.66666"), Column("Fremdrift", Kind.PERCENT, 1)) == "66,7"
