"""The municipality register: listing it and importing it from a CSV file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select

from portal.audit import services as audit
from portal.db import db
from portal.errors import RowErrors
from portal.municipalities import population, signals
from portal.municipalities.models import Municipality
from portal.spreadsheets import csv_frame
from portal.tabular import parse_whole_number, read_csv_rows

REQUIRED_COLUMNS = ("code", "name", "region")
OPTIONAL_COLUMNS = (
    "full_name",
    "cvr",
    "population",
    "population_date",
    "population_source",
    "country",
    "active",
)
COUNTRIES = ("DK", "NO", "SE", "FI", "IS")
MAX_POPULATION = 50_000_000
POPULATION_FIELDS = ("population", "population_date", "population_source")
_TRUE = {"1", "true", "ja", "yes", "x"}
_FALSE = {"0", "false", "nej", "no", ""}


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return ngettext(
            "%(num)d kommune læst: %(created)d oprettet, %(updated)d ændret, %(unchanged)d uændret.",
            "%(num)d kommuner læst: %(created)d oprettet, %(updated)d ændret, %(unchanged)d uændret.",
            self.total,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )


def population_credit(municipalities) -> str | None:
    """ "Kilde: Danmarks Statistik, FOLK1A 2025K3" for the populations shown (each source
    once), ``None`` when none of them has a population: then no column of dashes is shown."""
    sources = sorted(
        {m.population_source or "" for m in municipalities if m.population is not None}
    )
    if not sources:
        return None
    named = [s for s in sources if s]
    if not named:
        return _("Indbyggertal uden angivet kilde.")
    return _("Kilde: %(sources)s", sources="; ".join(named))


def active_municipalities() -> list[Municipality]:
    return list(
        db.session.scalars(
            select(Municipality).where(Municipality.active).order_by(Municipality.name)
        )
    )


def _parse_row(values: dict[str, str], default_country: str) -> tuple[dict, list[str]]:
    reasons = []
    parsed: dict = {}
    country = (values.get("country") or default_country).upper()
    if country not in COUNTRIES:
        reasons.append(f"ukendt land '{country}' (brug {', '.join(COUNTRIES)})")
    parsed["country"] = country
    code = values["code"]
    if not code:
        reasons.append("kode mangler")
    elif not (code.isascii() and code.isdigit()) or int(code) == 0 or len(code) > 4:
        reasons.append(f"koden '{code}' er ikke en kommunekode (1–4 cifre)")
    else:
        parsed["code"] = int(code)
    for column, label, limit in (("name", "navn", 100), ("region", "region", 100)):
        if not values[column]:
            reasons.append(f"{label} mangler")
        elif len(values[column]) > limit:
            reasons.append(f"{label} er længere end {limit} tegn")
        parsed[column] = values[column]
    full_name = values.get("full_name") or values["name"]
    if len(full_name) > 150:
        reasons.append("fuldt navn er længere end 150 tegn")
    parsed["full_name"] = full_name
    parsed["has_full_name"] = bool(values.get("full_name"))
    parsed["cvr"] = values.get("cvr") or None
    if parsed["cvr"] and (problem := cvr_problem(parsed["cvr"], country)):
        reasons.append(problem)
    reasons += _parse_population(values, parsed)
    active = values.get("active", "").lower()
    if "active" in values and active not in _TRUE | _FALSE:
        reasons.append(f"aktiv skal være ja eller nej, ikke '{values['active']}'")
    parsed["has_active"] = bool(active)
    parsed["active"] = active in _TRUE if active else True
    return parsed, reasons


def cvr_problem(cvr: str, country: str) -> str | None:
    """Why ``cvr`` is no Danish CVR number (8 digits passing the modulus-11 check), or
    ``None``; another country's organisation number is only checked for digits."""
    if not (cvr.isascii() and cvr.isdigit()):
        return f"CVR-nummeret '{cvr}' må kun have cifre"
    if country != "DK":
        return None if len(cvr) <= 10 else f"organisationsnummeret '{cvr}' er for langt"
    if len(cvr) != 8:
        return f"CVR-nummeret '{cvr}' skal have 8 cifre"
    if sum(int(d) * w for d, w in zip(cvr, (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11:
        return f"CVR-nummeret '{cvr}' består ikke modulus 11-kontrollen (tastefejl?)"
    return None


def _parse_population(values: dict[str, str], parsed: dict) -> list[str]:
    """A population is only taken with the day it was counted: a number without a date
    could not be credited."""
    reasons = []
    population = values.get("population", "")
    parsed["population"] = parsed["population_date"] = None
    parsed["population_source"] = values.get("population_source") or None
    if not population:
        return reasons
    try:
        parsed["population"] = parse_whole_number(population)
    except ValueError:
        reasons.append(f"indbyggertallet '{population}' er ikke et helt tal")
    else:
        if parsed["population"] > MAX_POPULATION:
            reasons.append(f"indbyggertallet '{population}' er urealistisk stort")
    counted = values.get("population_date", "")
    if not counted:
        reasons.append("indbyggertallet mangler sin dato (kolonnen population_date, fx 2025-07-01)")
    else:
        try:
            parsed["population_date"] = date.fromisoformat(counted)
        except ValueError:
            reasons.append(f"datoen '{counted}' er ikke en dato som 2025-07-01")
    if parsed["population_source"] and len(parsed["population_source"]) > 100:
        reasons.append("kilden er længere end 100 tegn")
    return reasons


def import_register(data: bytes | str, *, default_country: str = "DK", actor=None) -> ImportResult:
    """Create or update municipalities from a CSV register, all or nothing.

    Columns ``code,name,region`` and optionally ``full_name,cvr,population,population_date,
    population_source,country,active`` (a population needs its date). A CSV exported from
    Danmarks Statistik's StatBank for table FOLK1A is recognised by its ``OMRÅDE`` column and
    updates the populations only (``population.import_folk1a``). Codes compare as integers,
    so ``0101`` and ``101`` are the same municipality. When any row is bad nothing is
    changed and ``RowErrors`` lists every bad row.
    """
    if population.is_folk1a(data):
        return import_folk1a(data, actor=actor)
    rows = read_csv_rows(data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    errors: list[tuple[int, str]] = []
    parsed_rows: list[dict] = []
    seen: dict[tuple[str, int], int] = {}
    holders = _cvr_holders()
    for row in rows:
        parsed, reasons = _parse_row(row.values, default_country.upper())
        key = (parsed["country"], parsed.get("code"))
        if parsed.get("code") is not None:
            if key in seen:
                reasons.append(f"koden {row.values['code']} står også i linje {seen[key]}")
            else:
                seen[key] = row.line
        if parsed["cvr"]:
            holder = holders.setdefault(parsed["cvr"], (key, row.line))
            if holder[0] != key:
                where = f"linje {holder[1]}" if holder[1] else f"kommune {holder[0][1]}"
                reasons.append(f"CVR-nummeret {parsed['cvr']} tilhører også {where}")
        if reasons:
            errors.append((row.line, "; ".join(reasons)))
        else:
            parsed_rows.append(parsed)
    if errors:
        raise RowErrors(errors)

    existing = {(m.country, m.code): m for m in db.session.scalars(select(Municipality))}
    result = ImportResult(0, 0, 0)
    renamed_ids: list[int] = []
    for parsed in parsed_rows:
        current = existing.get((parsed["country"], parsed["code"]))
        has_active = parsed.pop("has_active")
        has_full_name = parsed.pop("has_full_name")
        if current is None:
            db.session.add(Municipality(**parsed))
            result.created += 1
            continue
        fields = ("name", "full_name", "region", "cvr", *POPULATION_FIELDS, "active")
        # A column left out, or an empty cell in an optional one, keeps what the register
        # already holds (a short-name file must not turn "Københavns Kommune" into "København").
        if parsed["population"] is None:
            fields = tuple(f for f in fields if f not in POPULATION_FIELDS)
        if parsed["cvr"] is None:
            fields = tuple(f for f in fields if f != "cvr")
        if not has_full_name:
            fields = tuple(f for f in fields if f != "full_name")
        if not has_active:
            fields = tuple(f for f in fields if f != "active")
        changed = {f: parsed[f] for f in fields if getattr(current, f) != parsed[f]}
        if changed:
            for f, v in changed.items():
                setattr(current, f, v)
            result.updated += 1
            if "name" in changed or "full_name" in changed:
                renamed_ids.append(current.id)
        else:
            result.unchanged += 1
    db.session.flush()
    if renamed_ids:
        signals.renamed.send(None, ids=renamed_ids)
    audit.record(
        "municipalities_imported",
        actor=actor,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


def _cvr_holders() -> dict[str, tuple[tuple[str, int], int | None]]:
    """The register's CVR numbers → (country, code) and no line: a file may not give one
    municipality's CVR number to another."""
    return {
        cvr: ((country, code), None)
        for cvr, country, code in db.session.execute(
            select(Municipality.cvr, Municipality.country, Municipality.code).where(
                Municipality.cvr.is_not(None)
            )
        )
    }


def import_folk1a(data: bytes | str, *, actor=None) -> ImportResult:
    """The populations of one quarter from a StatBank FOLK1A export, all or nothing: each
    Danish municipality's population, the quarter's first day as its date, and the credit
    "Danmarks Statistik, FOLK1A <quarter>". A municipality of the file not in the register
    is an error; one of the register not in the file keeps what it had."""
    counts = population.read_folk1a(data)
    register = {
        m.code: m
        for m in db.session.scalars(select(Municipality).where(Municipality.country == "DK"))
    }
    unknown = [
        (line, code) for code, (line, _n) in counts.populations.items() if code not in register
    ]
    if unknown:
        raise RowErrors(
            [(line, f"kommunekoden {code} findes ikke i registeret") for line, code in unknown]
        )
    result = ImportResult(0, 0, 0)
    for code, (_line, people) in counts.populations.items():
        m = register[code]
        new = (people, counts.counted_on, counts.source)
        if (m.population, m.population_date, m.population_source) == new:
            result.unchanged += 1
            continue
        m.population, m.population_date, m.population_source = new
        result.updated += 1
    db.session.flush()
    audit.record(
        "municipalities_imported",
        actor=actor,
        created=0,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


SHIPPED_REGISTER = Path(__file__).resolve().parent.parent / "data" / "dk_municipalities.csv"


def load_shipped_register(actor=None) -> ImportResult:
    """The 98 Danish municipalities shipped with the portal."""
    return import_register(SHIPPED_REGISTER.read_bytes(), default_country="DK", actor=actor)


def register_listing(search: str = "", region: str = "", country: str = "") -> Select:
    """The register filtered by a search on name or code, a region and a country.

    ``%`` and ``_`` in the search are plain characters; SQLite's lower() knows only ASCII,
    so the name is also looked for as typed ("Ærø").
    """
    stmt = select(Municipality)
    if search.strip():
        text = search.strip()
        condition = func.lower(Municipality.name).contains(
            text.lower(), autoescape=True
        ) | Municipality.name.contains(text, autoescape=True)
        if text.isascii() and text.isdigit() and len(text) <= 4:
            condition = condition | (Municipality.code == int(text))
        stmt = stmt.where(condition)
    if region:
        stmt = stmt.where(Municipality.region == region)
    if country:
        stmt = stmt.where(Municipality.country == country)
    return stmt


REGISTER_SORTS = {
    "code": Municipality.code,
    "country": Municipality.country,
    "name": Municipality.name,
    "region": Municipality.region,
    "population": Municipality.population,
    "cvr": Municipality.cvr,
}


def regions(country: str = "") -> list[str]:
    stmt = select(Municipality.region).distinct().order_by(Municipality.region)
    if country:
        stmt = stmt.where(Municipality.country == country)
    return list(db.session.scalars(stmt))


def countries() -> list[str]:
    """The countries the register holds, for the list's filter."""
    return list(
        db.session.scalars(select(Municipality.country).distinct().order_by(Municipality.country))
    )


EXPORT_COLUMNS = (
    "code",
    "name",
    "full_name",
    "region",
    "cvr",
    "population",
    "population_date",
    "population_source",
    "country",
    "active",
)


def export_register() -> str:
    """The register as CSV in the import format; importing it again changes nothing."""
    rows = db.session.scalars(
        select(Municipality).order_by(Municipality.country, Municipality.code)
    )
    frame = pd.DataFrame(
        [
            {
                "code": m.code_display,
                "name": m.name,
                "full_name": m.full_name,
                "region": m.region,
                "cvr": m.cvr or "",
                "population": "" if m.population is None else m.population,
                "population_date": m.population_date.isoformat() if m.population_date else "",
                "population_source": m.population_source or "",
                "country": m.country,
                "active": "ja" if m.active else "nej",
            }
            for m in rows
        ],
        columns=list(EXPORT_COLUMNS),
    )
    return csv_frame(frame).to_csv(index=False, lineterminator="\n")
