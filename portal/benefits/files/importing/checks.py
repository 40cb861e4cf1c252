"""What a figures file is checked against (``ImportRound``), the problems it collects per row,
and the checks across rows: the recording rules, repeated figures, frozen figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import select

from portal.benefits.models import MAX_NOTE
from portal.benefits.recording import freeze, rules
from portal.benefits.recording.rules import Kind
from portal.db import db
from portal.errors import RowErrors
from portal.i18n import localized
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.models import Frequency, Indicator, Round


class Problems:
    """Reasons by row index; joined per line at the end."""

    def __init__(self) -> None:
        self.by_row: dict[object, list[str]] = defaultdict(list)

    def add(self, rows, message) -> None:
        """``message``: one text for every row, or a function of the row index."""
        for row in rows:
            self.by_row[row].append(message(row) if callable(message) else message)

    def raise_if_any(self, lines: pd.Series) -> None:
        if self.by_row:
            raise RowErrors(
                sorted(
                    (int(lines[row]), "; ".join(reasons)) for row, reasons in self.by_row.items()
                )
            )


@dataclass
class ImportRound:
    """What the import checks a file against, loaded in three queries."""

    round: Round
    indicators: dict[int, Indicator]
    by_key: dict[str, int]
    participations: dict[int, tuple[int, int]]  # code → (participation id, municipality id)
    ambiguous: set[int]
    register: dict[int, str]  # code → name, every municipality
    codes: dict[int, int]  # municipality id → code
    frozen: set[int]  # participations whose target picture is approved

    @classmethod
    def load(cls, round_: Round) -> ImportRound:
        indicators = {
            i.id: i
            for i in db.session.scalars(
                select(Indicator).where(Indicator.programme_id == round_.programme_id)
            )
        }
        participations: dict[int, tuple[int, int]] = {}
        ambiguous: set[int] = set()
        frozen: set[int] = set()
        rows = db.session.execute(
            select(
                Participation.id,
                Participation.municipality_id,
                Municipality.code,
                Participation.picture_approved_at,
            )
            .join(Municipality, Municipality.id == Participation.municipality_id)
            .where(Participation.round_id == round_.id)
        )
        for participation_id, municipality_id, code, approved in rows:
            if approved is not None:
                frozen.add(participation_id)
            if code in participations:
                ambiguous.add(code)
            participations[code] = (participation_id, municipality_id)
        register: dict[int, str] = {}
        codes: dict[int, int] = {}
        for municipality_id, code, name in db.session.execute(
            select(Municipality.id, Municipality.code, Municipality.name)
        ):
            register.setdefault(code, name)
            codes[municipality_id] = code
        return cls(
            round_,
            indicators,
            {i.key.lower(): i.id for i in indicators.values()},
            participations,
            ambiguous,
            register,
            codes,
            frozen,
        )


def check_frozen(rows: pd.DataFrame, ctx: ImportRound, existing: dict, problems: Problems):
    """Rows changing an approved (frozen) baseline or target need a reason; the changes
    that have one become new versions after the write."""
    complete = rows[
        rows["kind"].isin([Kind.BASELINE, Kind.TARGET])
        & rows["participation_id"].notna()
        & rows["indicator_id"].notna()
        & rows["value"].notna()
        & rows["date"].notna()
    ]
    changes = freeze.import_changes(complete, existing, ctx.frozen)
    too_long = changes[changes["reason"].str.len() > MAX_NOTE]
    problems.add(
        too_long["row"].tolist(),
        _("begrundelsen er for lang (højst %(max)d tegn)", max=MAX_NOTE),
    )
    changes = changes[changes["reason"].str.len() <= MAX_NOTE]
    unexplained = changes[changes["reason"] == ""]
    problems.add(
        unexplained["row"].tolist(),
        _("målbilledet er godkendt og låst: skriv en begrundelse for ændringen i kolonnen reason"),
    )
    return changes[changes["reason"] != ""]


def check_rules(rows: pd.DataFrame, ctx: ImportRound, existing: dict, problems: Problems):
    """The recording rules (``portal.benefits.recording.rules``) over every row whose kind is known."""
    known = rows[rows["kind"].notna()]
    baselines = existing["baselines"]
    measurements = existing["measurements"]
    keys = ["participation_id", "indicator_id"]
    first_periods = (
        measurements.groupby(keys, as_index=False)["period"]
        .min()
        .rename(columns={"period": "first_period"})
        if not measurements.empty
        else rules.Existing.empty().first_periods
    )
    found, periods = rules.check(
        known.assign(category=known["category"].fillna("")),
        ctx.round,
        ctx.indicators,
        rules.Existing(baselines[keys + ["measured_on"]], first_periods),
    )
    for row, _field, message in found:
        problems.add([row], message)
    return periods.reindex(rows.index)


def check_duplicates(
    rows: pd.DataFrame, lines: pd.Series, problems: Problems, indicators: dict[int, Indicator]
) -> None:
    """Two rows naming the same figure: the later one is refused, pointing at the first. Two
    measurements dated differently in one period (a quarterly indicator's October and
    November) say so, naming the period, rather than "repeats"."""
    kind = rows["kind"]
    key = pd.DataFrame(
        {
            "participation_id": rows["participation_id"],
            "kind": kind,
            "indicator_id": rows["indicator_id"].where(kind != Kind.COST),
            "period": rows["period"].where(kind == Kind.MEASUREMENT),
            "cost_kind": rows["cost_kind"],
            "category": rows["category"],
            "date": rows["date"].where(kind == Kind.COST),
        }
    )
    complete = key["participation_id"].notna() & kind.notna()
    complete &= (kind == Kind.COST) | key["indicator_id"].notna()
    complete &= (kind != Kind.MEASUREMENT) | key["period"].notna()
    complete &= (kind != Kind.COST) | (key["cost_kind"].notna() & key["date"].notna())
    key = key[complete]
    if key.empty:
        return
    groups = [key[c] for c in key.columns]
    first_line = lines[key.index].groupby(groups, dropna=False).transform("first")
    first_date = rows["date"][key.index].groupby(groups, dropna=False).transform("first")
    repeated = key.duplicated(keep="first")

    def message(i) -> str:
        day, first = rows["date"][i], first_date[i]
        if kind[i] != Kind.MEASUREMENT or day == first:
            return _("rækken gentager linje %(line)d", line=int(first_line[i]))
        indicator = indicators[int(rows["indicator_id"][i])]
        return same_period_message(
            indicator, day.date(), key["period"][i].date(), int(first_line[i])
        )

    problems.add(key.index[repeated], message)


def same_period_message(indicator: Indicator, day, period, line: int) -> str:
    """``Sparede minutter pr. besøg måles kvartalsvis: 2025-11-01 hører til 4. kvartal 2025
    ligesom linje 6``."""
    how = {
        Frequency.MONTHLY: _("måles månedligt"),
        Frequency.QUARTERLY: _("måles kvartalsvis"),
        Frequency.YEARLY: _("måles årligt"),
    }[indicator.frequency]
    return _(
        "%(indicator)s %(how)s: %(date)s hører til %(period)s ligesom linje %(line)d",
        indicator=localized(indicator, "name"),
        how=how,
        date=day.isoformat(),
        period=rules.period_label(period, indicator.frequency),
        line=line,
    )
