"""Open data: the public results as files anyone may reuse (CC BY 4.0).

- ``indikatorer``: one row per municipality × indicator × period — the baseline, the target
  picture and every measurement of each municipality that agreed to publish, with the unit
  and the quality mark; a count of 1–4 written "< 5" exactly as the reports write another
  municipality's figure (``reports.progress_tables.shown``'s rule, ``disclosure.suppress``).
- ``noegletal``: per round its headline figures, per community and per published
  municipality the benefits (hours, FTE, gross, costs, net, payback); a total of fewer than
  three municipalities withheld (empty, ``tilbageholdt`` true).

Each as CSV (UTF-8, comma, decimal point, ISO dates: for machines, unlike the reports'
Excel CSV) and JSON, and all of them in one ZIP with the licence. The figures are read
through the gate as the public (``access.PUBLIC``); what is withheld is decided by the
reports' disclosure functions, not here.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.benefits.calculation import Totals
from portal.benefits.calculation.disclosure import is_suppressed, suppress
from portal.benefits.models import Baseline, Measurement, Target
from portal.db import db
from portal.openresults import figures
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.spreadsheets import csv_text

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_TEXT = (
    "Kommunernes skaleringssamarbejde: resultater fra Skaleringsportalen.\n"
    "Licens: Creative Commons Navngivelse 4.0 International (CC BY 4.0), "
    f"{LICENCE_URL}\n"
    "Du må dele og bearbejde data, også kommercielt, når du kreditterer kilden: "
    '"Kilde: Kommunernes skaleringssamarbejde, Skaleringsportalen".\n\n'
    "Licence: Creative Commons Attribution 4.0 International (CC BY 4.0). You may share and "
    "adapt the data for any purpose, crediting the source.\n\n"
    'Diskretion: antal mellem 1 og 4 er skrevet som "< 5", og totaler og medianer over færre '
    "end 3 kommuner er tilbageholdt. En kommunes egne tal er kun med, hvor kommunens ledelse "
    "har givet samtykke til at offentliggøre dem.\n"
)

INDICATOR_FIELDS = [
    "forloeb",
    "indsats",
    "kommunekode",
    "kommune",
    "indikator_noegle",
    "indikator",
    "indikator_en",
    "enhed",
    "retning",
    "frekvens",
    "type",
    "periode",
    "vaerdi",
    "undertrykt",
    "pessimistisk",
    "optimistisk",
    "kvalitet",
    "licens",
]
KEY_FIELDS = [
    "forloeb",
    "indsats",
    "niveau",
    "navn",
    "kommunekode",
    "kommuner",
    "timer",
    "aarsvaerk_12m",
    "brutto_kr",
    "omkostninger_kr",
    "netto_kr",
    "tilbagebetaling",
    "tilbageholdt",
    "licens",
]
DATASETS = {"indikatorer": INDICATOR_FIELDS, "noegletal": KEY_FIELDS}
# The endpoint of each data set's file (``views``; the catalogue and the page link them).
FILE_ENDPOINTS = {
    "indikatorer": "openresults.indicators_file",
    "noegletal": "openresults.key_figures_file",
}
FORMATS = {"csv": "text/csv", "json": "application/json"}
ZIP_NAME = "alle.zip"
DEFLATED = zipfile.ZIP_DEFLATED


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class _Figure:
    kind: str
    row: object  # a Baseline, Target or Measurement


def _figures(participation_ids: list[int]) -> Iterable[_Figure]:
    """Every published baseline, target and measurement, read through the gate as the
    public: three queries."""
    for kind, model in (("basislinje", Baseline), ("maal", Target), ("maaling", Measurement)):
        stmt = (
            select(model)
            .options(joinedload(model.indicator))
            .where(model.participation_id.in_(participation_ids))
        )
        for row in db.session.scalars(access.visible(stmt, access.PUBLIC, "public", model)):
            yield _Figure(kind, row)


PERIOD = {"basislinje": "measured_on", "maal": "target_date", "maaling": "period"}


def _period(figure: _Figure) -> date:
    return getattr(figure.row, PERIOD[figure.kind])


def indicator_rows(participations: list[Participation]) -> list[dict]:
    by_id = {p.id: p for p in participations}
    rows = []
    for figure in _figures(list(by_id)):
        row, p = figure.row, by_id[figure.row.participation_id]
        indicator = row.indicator
        # A target is a promise, not an observed count: never suppressed (the reports' rule).
        value = row.value if figure.kind == "maal" else suppress(row.value, indicator.unit, False)
        rows.append(
            {
                "forloeb": p.round.slug,
                "indsats": p.round.programme.slug,
                "kommunekode": str(p.municipality.code).zfill(3),
                "kommune": p.municipality.name,
                "indikator_noegle": indicator.key,
                "indikator": indicator.name_da,
                "indikator_en": indicator.name_en,
                "enhed": indicator.unit,
                "retning": str(indicator.direction),
                "frekvens": str(indicator.frequency),
                "type": figure.kind,
                "periode": _text(_period(figure)),
                "vaerdi": _text(value),
                "undertrykt": is_suppressed(value),
                "pessimistisk": _text(getattr(row, "pessimistic", None)),
                "optimistisk": _text(getattr(row, "optimistic", None)),
                "kvalitet": str(row.quality) if row.quality else "",
                "licens": LICENCE_URL,
            }
        )
    order = {"basislinje": 0, "maal": 1, "maaling": 2}
    rows.sort(
        key=lambda r: (
            r["forloeb"],
            r["kommune"],
            r["indikator_noegle"],
            order[r["type"]],
            r["periode"],
        )
    )
    return rows


def _key_row(round_: Round, level: str, name: str, code, municipalities: int, totals, payback):
    withheld = totals is None
    return {
        "forloeb": round_.slug,
        "indsats": round_.programme.slug,
        "niveau": level,
        "navn": name,
        "kommunekode": code,
        "kommuner": municipalities,
        "timer": None if withheld else _text(totals.hours),
        "aarsvaerk_12m": None if withheld else _text(totals.fte_12m),
        "brutto_kr": None if withheld else _text(totals.gross),
        "omkostninger_kr": None if withheld else _text(totals.costs),
        "netto_kr": None if withheld else _text(totals.net),
        "tilbagebetaling": _text(payback),
        "tilbageholdt": withheld,
        "licens": LICENCE_URL,
    }


def key_rows(rounds: list[Round]) -> list[dict]:
    rows = []
    for round_ in rounds:
        found = figures.public_round_figures(round_)
        h = found.headline
        rows.append(
            _key_row(round_, "forloeb", round_.name_da, "", h.municipalities, h.totals, h.payback)
        )
        for c in found.communities:
            rows.append(
                _key_row(round_, "faellesskab", c.name or "", "", c.municipalities, c.totals, None)
            )
        for m in found.published:
            member = m.evaluation.member
            totals: Totals = m.totals
            rows.append(
                _key_row(
                    round_,
                    "kommune",
                    member.municipality_name,
                    str(member.municipality_code).zfill(3),
                    1,
                    totals,
                    m.payback,
                )
            )
    return rows


def dataset(name: str) -> list[dict]:
    """The rows of one data set over every public round (Danish names: the files are the
    same whoever asks)."""
    with force_locale("da"):
        rounds = figures.public_rounds()
        if name == "indikatorer":
            return indicator_rows(figures.published_participations([r.id for r in rounds]))
        return key_rows(rounds)


def as_csv(name: str, rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, DATASETS[name], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: (
                    "true"
                    if v is True
                    else "false"
                    if v is False
                    else csv_text(v)
                    if isinstance(v, str)
                    else v
                )
                for k, v in row.items()
            }
        )
    return out.getvalue().encode("utf-8")


def as_json(name: str, rows: list[dict], modified: date) -> bytes:
    document = {
        "datasaet": name,
        "licens": LICENCE_NAME,
        "licens_url": LICENCE_URL,
        "kilde": "Kommunernes skaleringssamarbejde, Skaleringsportalen",
        "aendret": modified.isoformat(),
        "felter": DATASETS[name],
        "raekker": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def render(name: str, fmt: str, modified: date) -> bytes:
    rows = dataset(name)
    return as_csv(name, rows) if fmt == "csv" else as_json(name, rows, modified)


def files(modified: date) -> dict[str, tuple[bytes, int]]:
    """Every file of the open data as it is now — each data set as CSV and JSON, and the ZIP
    of them all with the licence — each with its rows (the ZIP: every data set's rows)."""
    made: dict[str, tuple[bytes, int]] = {}
    for name in DATASETS:
        rows = dataset(name)
        made[f"{name}.csv"] = (as_csv(name, rows), len(rows))
        made[f"{name}.json"] = (as_json(name, rows, modified), len(rows))
    buffer = io.BytesIO()
    stamp = (modified.year, modified.month, modified.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        for filename, (data, _rows) in made.items():
            archive.writestr(zipfile.ZipInfo(filename, stamp), data, DEFLATED)
        archive.writestr(zipfile.ZipInfo("LICENS.txt", stamp), LICENCE_TEXT.encode(), DEFLATED)
    rows = sum(made[f"{name}.csv"][1] for name in DATASETS)
    made[ZIP_NAME] = (buffer.getvalue(), rows)
    return made


def zip_all(modified: date) -> bytes:
    """Every data set as CSV and JSON, and the licence, in one ZIP."""
    return files(modified)[ZIP_NAME][0]
