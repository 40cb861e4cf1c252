"""Uploaded tables cannot take the server down: the declared sheet size is not trusted, rows
are capped (``MAX_ROWS``, named in the message), a refused file lists its first 200 errors,
and files are told apart by content, not by name."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from portal import tabular
from portal.auth.models import Role
from portal.errors import RowErrors
from portal.tabular import read_table


def xlsx(rows, *, far_cell: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, change) -> bytes:
    """The same zip with one member's bytes changed (a hand-edited workbook)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, change(body) if item.filename == name else body)
    return out.getvalue()


def refusal(data) -> str:
    with pytest.raises(RowErrors) as caught:
        read_table(data, ["a", "b"])
    return " ".join(reason for _, reason in caught.value.errors)


def test_a_lying_dimension_is_not_trusted():
    """A sheet declaring A1:XFD2000 with one far cell once padded 2,000 rows to 16,384
    columns; read as streamed, it costs what its real cells cost."""
    data = xlsx([["a", "b"], ["1", "2"]], far_cell="XFD2000")
    assert len(data) < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    frame = read_table(data, ["a", "b"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert list(frame["a"]) == ["1"]
    assert peak < 20 * 2**20 and time.perf_counter() - started < 2


def test_a_declared_million_rows_does_not_pad():
    data = replace_member(
        xlsx([["a", "b"], ["1", "2"]]),
        "xl/worksheets/sheet1.xml",
        lambda body: body.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )
    started = time.perf_counter()
    assert list(read_table(data, ["a", "b"])["b"]) == ["2"]
    assert time.perf_counter() - started < 2


def test_rows_beyond_the_cap_are_refused_with_the_cap_named(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    assert "10" in refusal(xlsx([["a", "b"]] + [["1", "2"]] * 11))
    assert "10" in refusal("a,b\n" + "1,2\n" * 11)
    assert len(read_table("a,b\n" + "1,2\n" * 10, ["a", "b"])) == 10


def test_a_csv_of_blank_lines_is_refused_without_reading_it_all():
    data = ("a,b\n" + "\n" * 3_000_000).encode()  # 3 MB of nothing
    tracemalloc.start()
    reason = refusal(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "100.000 rækker" in reason
    assert peak < 200 * 2**20


def test_the_default_cap_is_named_in_danish():
    assert tabular.MAX_ROWS == 100_000
    assert "100.000 rækker" in tabular.TOO_MANY_ROWS


def test_malformed_sheet_xml_is_a_refusal_not_a_server_error():
    data = replace_member(
        xlsx([["a", "b"], ["1", "2"]]),
        "xl/worksheets/sheet1.xml",
        lambda body: body.replace(b"</sheetData>", b"<row><c r='A9'><v>"),
    )
    assert "Excel" in refusal(data)


def test_files_are_known_by_content_not_by_name():
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "a,b\n1,2\n")
    assert "Excel" in refusal(plain_zip.getvalue())  # a zip, but no workbook
    assert "hverken" in refusal(b"a,b\n1,\x002\n")  # binary, not text
    assert tabular.is_xlsx(xlsx([["a", "b"]])) and not tabular.is_xlsx(b"a,b\n")


def test_an_escaped_formula_reads_back_as_written():
    frame = read_table("a,b\n'=1+2,'-x\n", ["a", "b"])
    assert list(frame["a"]) == ["=1+2"] and list(frame["b"]) == ["-x"]


def test_a_file_of_many_bad_rows_lists_200_and_counts_the_rest(client, make_user, login):
    login(make_user(Role.ADMIN))
    text = "code,name,region\n" + "x,,\n" * 1000
    response = client.post(
        "/admin/kommuner/import",
        data={"file": (io.BytesIO(text.encode()), "kommuner.csv"), "country": "DK"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Filen blev afvist: 1000 fejl." in page
    summary = page[page.index("error-summary") :]
    assert summary[: summary.index("</table>")].count("<tr><td") == 200
    assert "og 800 fejl mere" in page
    assert len(page) < 100_000


def test_an_upload_over_the_limit_gets_a_danish_413_page(app, client, make_user, login):
    login(make_user(Role.ADMIN))
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.post(
            "/admin/kommuner/import",
            data={"file": (io.BytesIO(b"x" * 5000), "kommuner.csv"), "country": "DK"},
            content_type="multipart/form-data",
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Filen er for stor" in page and "højst" in page
