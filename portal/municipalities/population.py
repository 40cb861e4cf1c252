"""Populations from Danmarks Statistik: the CSV that StatBank exports for table FOLK1A
(population on the first day of the quarter), all municipalities and one quarter.

StatBank's CSV (the web download and ``api.statbank.dk/v1/data/FOLK1A/CSV``) is separated
by semicolons, with one column per variable — ``OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD``
(the variables not chosen are left out) — and the area written as a name ("København"), a
code ("101") or both ("101 København", ``valuePresentation=CodeAndValue``). Rows for the
whole country and the regions are skipped; rows for one sex, an age group or a marital
status are refused (the population is the total); a file with several quarters is refused
(one date per population). No population is ever invented: what the file says is taken
as it stands, with its quarter as the credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.errors import RowErrors
from portal.municipalities.models import Municipality
from portal.tabular import parse_whole_number, read_csv_rows

SOURCE = "Danmarks Statistik, FOLK1A"
AREA, TIME, CONTENT = "område", "tid", "indhold"
TOTALS = {
    "køn": ("i alt", "tot"),
    "alder": ("alder i alt", "ialt", "i alt"),
    "civilstand": ("i alt", "tot"),
}
QUARTER = re.compile(r"^(\d{4})K([1-4])$")
_HEADER = re.compile(r"(^|[;,\"\s])omr(å|aa|a)de([;,\"\s]|$)", re.IGNORECASE)
_NOT_MUNICIPALITY = re.compile(r"^(hele landet|region |landsdel |000$|08[1-5]$)", re.IGNORECASE)


@dataclass
class Folk1a:
    quarter: str
    counted_on: date
    populations: dict[int, tuple[int, int]] = field(default_factory=dict)  # code → (line, n)

    @property
    def source(self) -> str:
        return f"{SOURCE} {self.quarter}"


def is_folk1a(data: bytes | str) -> bool:
    """Whether the file's header names StatBank's ``OMRÅDE`` variable."""
    head = data[:1000].decode("utf-8", "ignore") if isinstance(data, bytes) else data[:1000]
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    return bool(_HEADER.search(first))


def quarter_start(quarter: str) -> date:
    """FOLK1A counts the population on the first day of the quarter: 2025K3 → 1 July 2025."""
    year, number = QUARTER.match(quarter).groups()
    return date(int(year), 3 * int(number) - 2, 1)


def _area_code(area: str, names: dict[str, int]) -> int | None:
    match = re.match(r"^0?(\d{3})\b", area)
    if match:
        return int(match.group(1))
    return names.get(area.lower())


def read_folk1a(data: bytes | str, names: dict[str, int] | None = None) -> Folk1a:
    """Each municipality's population in the file (see the module's docstring); ``names``
    maps a lower-case name to its code for a file that names the areas only. Raises
    ``RowErrors`` with every bad row."""
    if names is None:
        names = register_names()
    rows = read_csv_rows(data, (AREA, TIME, CONTENT), tuple(TOTALS))
    errors: list[tuple[int, str]] = []
    quarters = {r.values[TIME] for r in rows}
    bad = sorted(q for q in quarters if not QUARTER.match(q))
    if bad:
        raise RowErrors([(1, f"'{bad[0]}' er ikke et kvartal som 2025K3")])
    if len(quarters) != 1:
        raise RowErrors(
            [(1, "filen har flere kvartaler (" + ", ".join(sorted(quarters)) + "); vælg ét")]
        )
    quarter = quarters.pop()
    result = Folk1a(quarter, quarter_start(quarter))
    for row in rows:
        area = row.values[AREA]
        if _NOT_MUNICIPALITY.match(area):
            continue
        not_total = [
            f"{column} er '{row.values[column]}'"
            for column, totals in TOTALS.items()
            if column in row.values and row.values[column].lower() not in totals
        ]
        if not_total:
            errors.append((row.line, "ikke hele befolkningen: " + ", ".join(not_total)))
            continue
        code = _area_code(area, names)
        if code is None:
            errors.append((row.line, f"området '{area}' er ikke en kommune i registeret"))
            continue
        try:
            people = parse_whole_number(row.values[CONTENT])
        except ValueError:
            errors.append(
                (row.line, f"indbyggertallet '{row.values[CONTENT]}' er ikke et helt tal")
            )
            continue
        if code in result.populations:
            errors.append((row.line, f"{area} står også i linje {result.populations[code][0]}"))
            continue
        result.populations[code] = (row.line, people)
    if errors:
        raise RowErrors(errors)
    if not result.populations:
        raise RowErrors([(1, "filen har ingen kommuner")])
    return result


def register_names() -> dict[str, int]:
    """The Danish register's names (lower case) → codes."""
    return {
        name.lower(): code
        for name, code in db.session.execute(
            select(Municipality.name, Municipality.code).where(Municipality.country == "DK")
        )
    }
