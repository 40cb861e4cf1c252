"""Reading uploaded tables (CSV or XLSX) into rows with line numbers, and the numbers in them.

Every import in the portal goes through here, so they all accept the same files: CSV in UTF-8
with or without BOM, ``,`` or ``;`` as separator (Danish Excel writes ``;``), or an Excel
workbook (its first sheet); a header row either way. ``read_table`` hands back a pandas frame
of stripped strings with the file's line numbers (header = 1); ``read_csv_rows`` the same as
``Row`` objects. ``parse_decimals`` / ``parse_decimal`` read numbers written the Danish or the
international way, for forms and imports alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pandas as pd
from flask import current_app, has_app_context

from portal.errors import RowErrors
from portal.spreadsheets import unescape
from portal.xlsx_reading import NOT_XLSX, Limits, open_archive, read_first_sheet

LINE = "line"  # the column of ``read_table``'s frame holding the line in the file
XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive
MAX_ROWS = 100_000  # more rows than any collaboration has; a bigger file is refused
MAX_COLUMNS = 100
TOO_MANY_ROWS = f"Filen har mere end {MAX_ROWS:,} rækker; del den op.".replace(",", ".")
NOT_A_TABLE = "Filen er hverken en CSV-fil eller en Excel-projektmappe (.xlsx)."


@dataclass
class Row:
    line: int  # the line in the file, header = 1
    values: dict[str, str]


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RowErrors(
            [(1, "Filen er ikke UTF-8. Gem den som 'CSV UTF-8' og prøv igen.")]
        ) from exc


def _separator(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_frame(data: bytes | str) -> pd.DataFrame:
    text = _text(data)
    if not text.strip():
        raise RowErrors([(1, "Filen er tom.")])
    if "\x00" in text:
        raise RowErrors([(1, NOT_A_TABLE)])
    first_line = text.splitlines()[0]
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_separator(first_line),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            nrows=MAX_ROWS + 1,  # blank lines count: a file of empty lines stops here
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise RowErrors([(1, f"Filen kan ikke læses som CSV: {exc}")]) from exc
    _check_row_count(len(frame))
    return frame


def _check_row_count(rows: int) -> None:
    if rows > MAX_ROWS:
        raise RowErrors([(1, TOO_MANY_ROWS)])


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV file would hold: dates as ISO ``YYYY-MM-DD``, whole
    numbers without ``.0``, other numbers in their shortest exact form."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _limits() -> Limits:
    return Limits.from_config(current_app.config) if has_app_context() else Limits()


def _xlsx_frame(data: bytes) -> pd.DataFrame:
    """The first sheet, read within the limits (``portal.xlsx_reading``). The declared
    ``<dimension>`` is ignored (a tiny file may claim 16,384 columns × a million rows): the
    header row decides the width and reading stops after ``MAX_ROWS`` rows."""
    try:
        rows = read_first_sheet(data, _limits(), max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except RowErrors as error:
        if error.errors == [(1, "TOO_MANY_ROWS")]:
            raise RowErrors([(1, TOO_MANY_ROWS)]) from None
        raise
    header = [_cell_text(v) for v in rows[0]] if rows else []
    if not header:
        raise RowErrors([(1, "Filen er tom.")])
    if len(header) > MAX_COLUMNS:
        raise RowErrors([(1, f"Filen har mere end {MAX_COLUMNS} kolonner.")])
    width = len(header)
    body = [[_cell_text(v) for v in row] + [""] * (width - len(row)) for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


def is_xlsx(data: bytes | str) -> bool:
    """By content, not by name: an .xlsx file is a zip archive holding [Content_Types].xml
    (an archive that breaks the limits is an unreadable workbook: ``RowErrors``)."""
    if not isinstance(data, bytes) or data[:4] != XLSX_MAGIC:
        return False
    try:
        with open_archive(data, _limits()) as archive:
            return "[Content_Types].xml" in archive.NameToInfo
    except RowErrors as error:
        if error.errors == [(1, NOT_XLSX)]:
            return False
        raise


def read_table(
    data: bytes | str,
    required: Iterable[str],
    optional: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A CSV or XLSX file as a frame of stripped strings, blank lines left out, with the
    line of each row in the file in column ``LINE`` (header = 1), after checking the header.

    ``aliases`` reads another name for a column (``kommunekode`` for ``municipality``).
    Raises ``RowErrors`` (line 1) for an unreadable or empty file, a missing, unknown or
    repeated column, or a file without rows.
    """
    if isinstance(data, bytes) and data[:4] == XLSX_MAGIC:
        if not is_xlsx(data):
            raise RowErrors([(1, NOT_XLSX)])  # a zip, but no workbook
        frame = _xlsx_frame(data)
    else:
        frame = _csv_frame(data)
    columns = [str(c).strip().lower() for c in frame.columns]
    columns = [(aliases or {}).get(c, c) for c in columns]  # another language's header
    frame.columns = columns
    required, optional = list(required), list(optional)
    problems = []
    missing = [c for c in required if c not in columns]
    if missing:
        problems.append((1, "Mangler kolonne: " + ", ".join(missing)))
    unknown = [c for c in columns if c not in required and c not in optional]
    if unknown:
        problems.append((1, "Ukendt kolonne: " + ", ".join(unknown)))
    if len(set(columns)) != len(columns):
        problems.append((1, "En kolonne står der to gange."))
    if problems:
        raise RowErrors(problems)
    frame = frame.astype(str).apply(lambda column: column.str.strip().map(unescape))
    frame[LINE] = range(2, len(frame) + 2)
    frame = frame[(frame[columns] != "").any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise RowErrors([(1, "Filen har ingen rækker under overskriften.")])
    return frame


def read_csv_rows(
    data: bytes | str, required: Iterable[str], optional: Iterable[str] = ()
) -> list[Row]:
    """Rows of a CSV (or XLSX) file as stripped strings, after checking its header.

    Raises ``RowErrors`` (line 1) for an empty file, a missing or an unknown column.
    """
    frame = read_table(data, required, optional)
    lines = frame.pop(LINE).tolist()
    return [
        Row(line=line, values=values)
        for line, values in zip(lines, frame.to_dict("records"), strict=True)
    ]


def parse_whole_number(text: str) -> int:
    """An integer written with or without Danish thousands separators (``12.345``, ``12 345``)."""
    cleaned = text.replace(".", "").replace(" ", "").replace("\u00a0", "")
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)


# Numbers: ASCII digits only, an optional sign, spaces as thousands separators. The forms, tried
# in order (the first that fits wins), and how each becomes a plain ``1234.5``:
_NUMBER_FORMS = (
    (r"[+-]?[0-9]*\.?[0-9]+", None),  # 1234.5 · 1.234 (one dot: a decimal point) · .5
    (r"[+-]?[0-9]*,[0-9]+", ("", ",")),  # 1234,5 · ,5
    (r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?", (".", ",")),  # 1.234.567 · 1.234,5
    (r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", (",", ".")),  # 1,234,567 · 1,234.5
)
DECIMAL_PLACES = 4  # more decimals are rounded to four (what the figures store)
MAX_WHOLE_DIGITS = 12
_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)


def parse_decimals(texts: pd.Series) -> pd.Series:
    """Numbers written as text, column-wise: ``1.234,5``, ``1234,5``, ``1234.5``,
    ``1,234.5``, ``-3``, ``1 234`` all read as Decimal (rounded to four decimals); anything
    else, an empty text, or more than twelve whole digits is missing (``pd.isna``).

    A single ``.`` or ``,`` is a decimal separator (``1.234`` is 1.234, as the import format
    says); several dots (``1.234.567``) or a dot before a comma are Danish thousands.
    """
    cleaned = (
        texts.astype(str)
        .str.replace(r"[\s\u00a0\u202f]", "", regex=True)
        .str.replace("\u2212", "-", regex=False)  # the typographic minus
    )
    plain = pd.Series(None, index=texts.index, dtype=object)
    pending = pd.Series(True, index=texts.index)
    for pattern, separators in _NUMBER_FORMS:
        fits = pending & cleaned.str.fullmatch(pattern)
        if not fits.any():
            continue
        chosen = cleaned[fits]
        if separators is not None:
            thousands, decimal_mark = separators
            if thousands:
                chosen = chosen.str.replace(thousands, "", regex=False)
            chosen = chosen.str.replace(decimal_mark, ".", regex=False)
        plain[fits] = chosen
        pending &= ~fits
    whole = plain.str.replace(r"^[+-]?0*", "", regex=True).str.split(".").str[0]
    fits = plain.notna() & ~(whole.str.len() > MAX_WHOLE_DIGITS)
    numbers = pd.Series(None, index=texts.index, dtype=object)
    numbers[fits] = [Decimal(s).quantize(_QUANTUM) for s in plain[fits]]
    return numbers


def parse_decimal(text: str | None) -> Decimal:
    """One number the way ``parse_decimals`` reads a column (forms use this); ``ValueError``
    for anything that is not a number."""
    value = parse_decimals(pd.Series([text or ""])).iloc[0]
    if pd.isna(value):
        raise ValueError(text)
    return value
