"""Reading uploaded tables (CSV now, XLSX for later imports) into rows with line numbers.

Every import in the portal goes through here, so they all accept the same files: UTF-8 with
or without BOM, ``,`` or ``;`` as separator (Danish Excel writes ``;``), a header row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from portal.errors import RowErrors


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


def read_csv_rows(
    data: bytes | str, required: Iterable[str], optional: Iterable[str] = ()
) -> list[Row]:
    """Rows of a CSV file as stripped strings, after checking its header.

    Raises ``RowErrors`` (line 1) for an empty file, a missing or an unknown column.
    """
    text = _text(data)
    if not text.strip():
        raise RowErrors([(1, "Filen er tom.")])
    first_line = text.splitlines()[0]
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_separator(first_line),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise RowErrors([(1, f"Filen kan ikke læses som CSV: {exc}")]) from exc
    columns = [str(c).strip().lower() for c in frame.columns]
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
    rows = []
    for index, record in enumerate(frame.to_dict("records")):
        values = {k: (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue  # a blank line
        rows.append(Row(line=index + 2, values=values))
    if not rows:
        raise RowErrors([(1, "Filen har ingen rækker under overskriften.")])
    return rows


def parse_whole_number(text: str) -> int:
    """An integer written with or without Danish thousands separators (``12.345``, ``12 345``)."""
    cleaned = text.replace(".", "").replace(" ", "").replace("\u00a0", "")
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)
