"""Exports of figures and the import template, in the import's own format
(``kommunekode,indikator,art,dato,værdi,note,kvalitet`` for a Danish reader, the English codes
``municipality,indicator,kind …`` for an English one; the import reads both), as CSV or XLSX.

An export imported again changes nothing: values are written exactly (``1234.5``, no
thousands separators), dates as ``YYYY-MM-DD``, a measurement's date as its period's first
day, a cost's category after ``engangs:`` / ``årlig:``.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from flask_babel import get_locale
from sqlalchemy import select

from portal.benefits.calculation.periods import period_start
from portal.benefits.files.importing import COLUMNS
from portal.benefits.files.importing.parsing import DANISH_HEADERS, DANISH_KINDS, DANISH_QUALITIES
from portal.benefits.models import CostKind
from portal.benefits.recording.entry import entry_overview
from portal.benefits.recording.figure_checks import plain
from portal.benefits.recording.figures import figure_frames, programme_indicators
from portal.benefits.recording.rules import Kind
from portal.db import db
from portal.i18n import local_today, localized
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.forms import FREQUENCIES
from portal.programmes.models import Round
from portal.spreadsheets import csv_frame, neutralise_workbook

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_KIND_ORDER = {k.value: n for n, k in enumerate(Kind)}
_WIDTHS = {"municipality": 12, "indicator": 28, "name": 34, "unit": 16, "note": 40}


def _codes(participations: list[Participation]) -> dict[int, str]:
    ids = {p.municipality_id for p in participations}
    if not ids:
        return {}
    return {
        m.id: m.code_display
        for m in db.session.scalars(select(Municipality).where(Municipality.id.in_(ids)))
    }


def figures_table(round_: Round, participations: list[Participation]) -> pd.DataFrame:
    """The figures of ``participations`` (of ``round_``, already scoped by the caller) in the
    exchange format, sorted by municipality, kind, indicator and date."""
    frames = figure_frames(round_.id, [p.id for p in participations])
    codes = _codes(participations)
    indicators = programme_indicators([round_.programme_id])[round_.programme_id]
    keys = {i.id: i.key for i in indicators}
    order = {i.id: i.position for i in indicators}
    parts = []
    for kind, name, date_column, note_column in (
        (Kind.BASELINE, "baselines", "measured_on", "source_note"),
        (Kind.TARGET, "targets", "target_date", "note"),
        (Kind.MEASUREMENT, "measurements", "period", "note"),
    ):
        frame = frames[name]
        if frame.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "municipality": frame["municipality_id"].map(codes),
                    "indicator": frame["indicator_id"].map(keys),
                    "kind": kind.value,
                    "date": frame[date_column].map(plain),
                    "value": frame["value"].map(plain),
                    "note": frame[note_column],
                    "quality": frame["quality"].map(lambda q: getattr(q, "value", q) or ""),
                    "_order": frame["indicator_id"].map(order),
                }
            )
        )
    costs = frames["costs"]
    if not costs.empty:
        parts.append(
            pd.DataFrame(
                {
                    "municipality": costs["municipality_id"].map(codes),
                    "indicator": [
                        f"{CostKind(k).file_word()}:{c}"
                        for k, c in zip(costs["kind"], costs["category"], strict=True)
                    ],
                    "kind": Kind.COST.value,
                    "date": costs["incurred_on"].map(plain),
                    "value": costs["amount"].map(plain),
                    "note": costs["note"],
                    "quality": "",
                    "_order": 0,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    table = pd.concat(parts, ignore_index=True)
    table["_kind"] = table["kind"].map(_KIND_ORDER)
    table = table.sort_values(["municipality", "_kind", "_order", "indicator", "date"])
    return table[list(COLUMNS)].reset_index(drop=True)


# The template names each indicator for the person filling it in; the import ignores these.
TEMPLATE_COLUMNS = ("municipality", "indicator", "name", "unit", "frequency") + COLUMNS[2:]
INFO_COLUMNS = TEMPLATE_COLUMNS[2:5]


def template_table(
    round_: Round, participations: list[Participation], today: date | None = None
) -> pd.DataFrame:
    """A file to fill in: per municipality and indicator (with its name, unit and frequency)
    a baseline and a target row while they are missing, and a measurement row for every
    period that is due (``portal.benefits.recording.entry``), or for the current period when none is;
    then a one-off cost example. Rows left without a value are skipped by the import."""
    today = today or local_today()
    codes = _codes(participations)
    overview = entry_overview(participations, today)
    frequencies = {choice.value: str(choice.label) for choice in FREQUENCIES}
    rows = []
    for participation in sorted(participations, key=lambda p: codes[p.municipality_id]):
        code = codes[participation.municipality_id]
        for item in overview[participation.id]:
            i = item.indicator
            info = (code, i.key, localized(i, "name"), i.unit, frequencies[i.frequency.value])
            if item.missing_baseline:
                rows.append(info + (Kind.BASELINE.value, "", "", "", ""))
            if item.missing_target:
                rows.append(info + (Kind.TARGET.value, "", "", "", ""))
            periods = item.due or [_current_period(round_, i.frequency, today)]
            rows += [info + (Kind.MEASUREMENT.value, p.isoformat(), "", "", "") for p in periods]
        cost = f"{CostKind.ONE_OFF.file_word()}:Licenser"
        rows.append(
            (code, cost, "", "", "", Kind.COST.value, round_.period_start.isoformat(), "", "", "")
        )
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))


def _current_period(round_: Round, frequency, today: date) -> date:
    """Today's period, kept inside the round."""
    day = min(max(today, round_.period_start), round_.period_end)
    return period_start(day, frequency)


def for_reader(table: pd.DataFrame) -> pd.DataFrame:
    """The table as a person reads it: Danish headers, kinds and quality marks for a Danish
    reader (``kommunekode, indikator, art …``, ``måling``, ``foreløbig``), the codes for an
    English one. The import reads both, so a file comes back unchanged either way."""
    if str(get_locale()) == "en":
        return table
    table = table.copy()
    if "kind" in table:
        table["kind"] = table["kind"].map(lambda k: DANISH_KINDS.get(k, k))
    if "quality" in table:
        table["quality"] = table["quality"].map(lambda q: DANISH_QUALITIES.get(q, q))
    return table.rename(columns=DANISH_HEADERS)


def to_bytes(table: pd.DataFrame, fmt: str) -> bytes:
    """CSV (UTF-8 with BOM, so Excel reads æøå; ``,``-separated, ``.`` decimals) or XLSX
    (codes, keys and dates as text; values as numbers), with the reader's headers and words
    (``for_reader``)."""
    widths = {DANISH_HEADERS.get(c, c): w for c, w in _WIDTHS.items()} | _WIDTHS
    value = DANISH_HEADERS["value"] if str(get_locale()) != "en" else "value"
    table = for_reader(table)
    if fmt == "csv":
        csv = csv_frame(table).to_csv(index=False, lineterminator="\n")
        return ("\ufeff" + csv).encode("utf-8")
    sheet = table.copy()
    sheet[value] = [_cell_number(v) for v in sheet[value]]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sheet.to_excel(writer, index=False, sheet_name="tal")
        cells = writer.sheets["tal"]
        for n, column in enumerate(sheet.columns):
            cells.column_dimensions[chr(ord("A") + n)].width = widths.get(column, 14)
        neutralise_workbook(writer.book)
    return buffer.getvalue()


def _cell_number(text: str):
    if text in ("", None):
        return None
    return int(text) if "." not in text else float(text)


def filename(stem: str, fmt: str) -> str:
    return f"{stem}.{fmt}"
