"""Workbooks built to hurt a reader: each written straight into a zip, streamed, so that
building one costs the test little memory."""

from __future__ import annotations

import zipfile
from pathlib import Path

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<workbook {_NS} xmlns:r="{_REL}"><sheets>'
    '<sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>b</t></is></c></row>'
)


def _workbook(path: Path, sheet_parts, shared_parts=None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, parts in (
            ("xl/worksheets/sheet1.xml", sheet_parts),
            ("xl/sharedStrings.xml", shared_parts),
        ):
            if parts is None:
                continue
            with archive.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part.encode())
    return path


def _sheet(rows):
    yield f"<worksheet {_NS}><sheetData>{HEADER_ROW}"
    yield from rows
    yield "</sheetData></worksheet>"


def wide_row(path: Path, cells: int = 5_000_000) -> Path:
    """Row 2 holds ``cells`` cells (the issue's 257 kB workbook)."""

    def rows():
        yield '<row r="2">'
        chunk = '<c t="n"><v>1</v></c>' * 10_000
        for _ in range(cells // 10_000):
            yield chunk
        yield "</row>"

    return _workbook(path, _sheet(rows()))


def many_shared_strings(path: Path, count: int = 1_000_000) -> Path:
    """``count`` shared strings and a sheet that uses one of them."""

    def strings():
        yield f'<sst {_NS} count="{count}" uniqueCount="{count}">'
        for start in range(0, count, 10_000):
            yield "".join(f"<si><t>{i}</t></si>" for i in range(start, start + 10_000))
        yield "</sst>"

    sheet = _sheet(['<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1</v></c></row>'])
    return _workbook(path, sheet, strings())


def many_rows(path: Path, count: int = 1_048_576) -> Path:
    """A row for every row Excel has, each with two cells (no row numbers: each row is
    the next)."""

    def rows():
        chunk = "<row><c><v>1</v></c><c><v>2</v></c></row>" * 8192
        for _ in range(count // 8192):
            yield chunk

    return _workbook(path, _sheet(rows()))


def _numbered_rows(path: Path, count: int) -> Path:
    def rows():
        for start in range(2, count + 1, 10_000):
            yield "".join(
                f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>1</v></c></row>'
                for n in range(start, min(start + 10_000, count + 1))
            )

    return _workbook(path, _sheet(rows()))


def rows_over_the_cap(path: Path, count: int = 150_000) -> Path:
    """Fewer bytes than the size limits allow, more rows than the row limit does."""
    return _numbered_rows(path, count)


def many_members(path: Path, count: int = 60_000) -> Path:
    """A valid little workbook padded with ``count`` tiny members."""
    _workbook(path, _sheet(['<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>']))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        for i in range(count):
            archive.writestr(f"customXml/item{i}.xml", "<a/>")
    return path


def lying_dimension(path: Path) -> Path:
    """Claims A1:XFD1048576, holds one row: read, at the cost of what it holds."""

    def parts():
        yield f'<worksheet {_NS}><dimension ref="A1:XFD1048576"/><sheetData>{HEADER_ROW}'
        yield '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>'
        yield "</sheetData></worksheet>"

    return _workbook(path, parts())


BOMBS = {
    "wide_row": wide_row,
    "many_shared_strings": many_shared_strings,
    "many_rows": many_rows,
    "rows_over_the_cap": rows_over_the_cap,
    "many_members": many_members,
}
