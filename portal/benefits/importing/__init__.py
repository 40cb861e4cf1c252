"""Importing figures from a CSV or XLSX file: one format for baselines, targets,
measurements and costs, the same as the exports write.

Columns ``municipality,indicator,kind,date,value`` and optionally ``note``, ``quality`` and
``reason``:

- ``municipality``: the official code (up to four digits, compared as an integer, so ``0101``
  is ``101``);
- ``kind``: ``baseline``, ``target``, ``measurement`` or ``cost`` (the Danish ``basislinje``,
  ``mål``, ``måling``, ``omkostning`` also do);
- ``indicator``: the indicator's key; for a cost its category, after ``engangs:`` (one-off)
  or ``årlig:`` (yearly), e.g. ``engangs:Licenser``;
- ``date``: ``YYYY-MM-DD``; a baseline's measuring date, a target's date, any day of a
  measurement's period (stored as the period's first day), a cost's date;
- ``value``: a number with ``.`` or ``,`` as decimal separator (kroner for a cost);
- ``note``: a baseline's source, a target's, measurement's or cost's note;
- ``quality``: ``estimated``, ``provisional`` or ``revised`` (``skønnet``, ``foreløbig``,
  ``revideret``), empty for a measured figure: a figure imported again without a mark loses
  its mark (the file says what the figure is now);
- ``reason``: why a frozen baseline or target changes (``portal.benefits.freeze``):
  required for such rows once the coordinator has approved the target picture, and kept as
  the change's new version.

A target row sets the likely value and its date; pessimistic and optimistic values, which
the format has no column for, are kept as they are.

All or nothing: every bad row is listed with its line and reasons, and nothing is stored.
The same row again updates the figure it names (baseline and target: per municipality and
indicator; measurement: per period; cost: per kind, category and date), never adds another.

Vectorised: the file is checked column by column with pandas, against what the round holds
loaded in a handful of queries, and written with bulk inserts and updates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.benefits import bulk, freeze, rules
from portal.benefits.costs import AMOUNT_QUANTUM
from portal.benefits.figures import figure_frames
from portal.benefits.models import MAX_NOTE, CostKind, Quality
from portal.benefits.permissions import import_limit
from portal.benefits.rules import Kind
from portal.db import db
from portal.errors import RowErrors
from portal.fields import EARLIEST_DATE, LATEST_DATE
from portal.i18n import localized
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.models import Frequency, Indicator, Round
from portal.tabular import LINE, parse_decimals, read_table

COLUMNS = ("municipality", "indicator", "kind", "date", "value", "note", "quality")
REQUIRED = COLUMNS[:5]
# the quality mark, a frozen figure's reason, and the template's columns for people
OPTIONAL = ("note", "quality", "reason", "name", "unit", "frequency")
QUALITY_WORDS = {
    **{q.value: q.value for q in Quality},
    "skønnet": Quality.ESTIMATED.value,
    "skoennet": Quality.ESTIMATED.value,
    "foreløbig": Quality.PROVISIONAL.value,
    "foreloebig": Quality.PROVISIONAL.value,
    "revideret": Quality.REVISED.value,
}
KIND_WORDS = {
    "baseline": Kind.BASELINE,
    "basislinje": Kind.BASELINE,
    "target": Kind.TARGET,
    "mål": Kind.TARGET,
    "maal": Kind.TARGET,
    "målbillede": Kind.TARGET,
    "measurement": Kind.MEASUREMENT,
    "måling": Kind.MEASUREMENT,
    "maaling": Kind.MEASUREMENT,
    "cost": Kind.COST,
    "omkostning": Kind.COST,
}
COST_PREFIXES = {
    "engangs": CostKind.ONE_OFF,
    "one_off": CostKind.ONE_OFF,
    "årlig": CostKind.YEARLY,
    "aarlig": CostKind.YEARLY,
    "yearly": CostKind.YEARLY,
}
_COST_PATTERN = r"^(?P<prefix>[^:]+?)\s*:\s*(?P<category>.*)$"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows without a value

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        if self.total == 0:
            return _("Intet blev indlæst: filen havde ingen udfyldte værdier.")
        text = ngettext(
            "%(num)d række læst: %(created)d oprettet, %(updated)d ændret, %(unchanged)d uændret.",
            "%(num)d rækker læst: %(created)d oprettet, %(updated)d ændret, %(unchanged)d uændret.",
            self.total,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )
        if self.skipped:
            text += " " + ngettext(
                "%(num)d række uden værdi blev sprunget over.",
                "%(num)d rækker uden værdi blev sprunget over.",
                self.skipped,
            )
        return text


class _Problems:
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
class _Round:
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
    def load(cls, round_: Round) -> _Round:
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


def import_figures(data: bytes | str, round_: Round, *, actor) -> ImportResult:
    """Store the figures of a file for ``round_``, all or nothing (``RowErrors`` lists every
    bad row). ``actor`` None (the command line) or a coordinator may import for any
    participating municipality, a municipal user for their own only."""
    own_municipality = import_limit(actor)
    frame = read_table(data, REQUIRED, OPTIONAL)
    for column in ("note", "quality", "reason"):
        if column not in frame:
            frame[column] = ""
    # A template row left without a value is one the municipality had nothing for.
    blank = frame["value"] == ""
    frame = frame[~blank]
    if frame.empty:
        return ImportResult(skipped=int(blank.sum()))
    context = _Round.load(round_)
    existing = figure_frames(round_.id)
    problems = _Problems()
    rows = _parse(frame, context, own_municipality, problems)
    periods = _check_rules(rows, context, existing, problems)
    rows["period"] = periods
    _check_duplicates(rows, frame[LINE], problems, context.indicators)
    changes = _check_frozen(rows, context, existing, problems)
    problems.raise_if_any(frame[LINE])
    result = ImportResult(skipped=int(blank.sum()))
    keys = {i.id: i.key for i in context.indicators.values()}
    bulk.write(rows, round_.id, keys, existing, actor=actor, result=result)
    freeze.record_import_versions(changes, actor=actor)
    return result


def _check_frozen(rows: pd.DataFrame, ctx: _Round, existing: dict, problems: _Problems):
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


def _parse(frame: pd.DataFrame, ctx: _Round, own: int | None, problems: _Problems):
    """The file's texts as ids, dates and numbers; a reason for every cell that is not."""
    rows = pd.DataFrame(index=frame.index)

    kinds = frame["kind"].str.lower().map(KIND_WORDS)
    rows["kind"] = kinds
    problems.add(frame.index[frame["kind"] == ""], _("arten mangler"))
    problems.add(
        frame.index[kinds.isna() & (frame["kind"] != "")],
        lambda i: _(
            "arten '%(kind)s' er ikke baseline, target, measurement eller cost",
            kind=frame["kind"][i],
        ),
    )

    text = frame["municipality"]
    is_code = text.str.fullmatch(r"\d{1,4}")
    codes = pd.to_numeric(text.where(is_code), errors="coerce")
    known = codes.isin(list(ctx.register))
    problems.add(frame.index[text == ""], _("kommunekoden mangler"))
    problems.add(
        frame.index[(text != "") & ~known],
        lambda i: _("ukendt kommunekode '%(code)s'", code=text[i]),
    )
    if own is not None:
        own_code = ctx.codes[own]
        foreign = known & (codes != own_code)
        problems.add(
            frame.index[foreign],
            lambda i: _(
                "rækken gælder kommune %(code)s, men I kan kun indlæse tal for %(own)s",
                code=text[i],
                own=ctx.register.get(own_code, own_code),
            ),
        )
        known &= ~foreign
    participant = codes.map(ctx.participations)
    absent = known & participant.isna()
    problems.add(
        frame.index[absent],
        lambda i: _(
            "%(name)s (%(code)s) deltager ikke i forløbet",
            name=ctx.register[int(codes[i])],
            code=text[i],
        ),
    )
    ambiguous = codes.isin(list(ctx.ambiguous))
    problems.add(
        frame.index[ambiguous],
        lambda i: _("kommunekoden %(code)s passer på flere deltagere", code=text[i]),
    )
    participant = participant.where(~ambiguous & known)
    rows["participation_id"] = participant.map(lambda p: p[0], na_action="ignore")
    rows["municipality_id"] = participant.map(lambda p: p[1], na_action="ignore")

    is_cost = kinds == Kind.COST
    names = frame["indicator"]
    rows["indicator_id"] = names.str.lower().map(ctx.by_key).where(~is_cost & kinds.notna())
    problems.add(frame.index[kinds.notna() & ~is_cost & (names == "")], _("indikatoren mangler"))
    problems.add(
        frame.index[kinds.notna() & ~is_cost & (names != "") & rows["indicator_id"].isna()],
        lambda i: _(
            "ukendt indikator '%(key)s' (forløbets indikatorer: %(keys)s)",
            key=names[i],
            keys=", ".join(sorted(ctx.by_key)),
        ),
    )
    parts = names.str.extract(_COST_PATTERN)
    cost_kinds = parts["prefix"].str.strip().str.lower().map(COST_PREFIXES).where(is_cost)
    rows["cost_kind"] = cost_kinds
    category = parts["category"].fillna(names)  # no prefix: only that reason is given
    rows["category"] = category.str.split().str.join(" ").where(is_cost)
    problems.add(
        frame.index[is_cost & cost_kinds.isna()],
        lambda i: _(
            "en omkostning skrives 'engangs:kategori' eller 'årlig:kategori', ikke '%(text)s'",
            text=names[i],
        ),
    )

    dates = frame["date"]
    is_iso = dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    years = pd.to_numeric(dates.str[:4].where(is_iso), errors="coerce")
    in_range = years.between(EARLIEST_DATE.year, LATEST_DATE.year)
    days = pd.to_datetime(dates.where(is_iso & in_range), format="%Y-%m-%d", errors="coerce")
    rows["date"] = days
    problems.add(frame.index[dates == ""], _("datoen mangler"))
    problems.add(
        frame.index[is_iso & ~in_range],
        lambda i: _("datoen '%(date)s' ligger ikke mellem år 1900 og 2199", date=dates[i]),
    )
    problems.add(
        frame.index[(dates != "") & days.isna() & ~(is_iso & ~in_range)],
        lambda i: _("datoen '%(date)s' er ikke en dato på formen ÅÅÅÅ-MM-DD", date=dates[i]),
    )

    values = frame["value"]
    numbers = parse_decimals(values)
    numbers[is_cost & numbers.notna()] = [
        d.quantize(AMOUNT_QUANTUM) for d in numbers[is_cost & numbers.notna()]
    ]
    rows["value"] = numbers
    problems.add(
        frame.index[(values != "") & numbers.isna()],
        lambda i: _(
            "værdien '%(value)s' er ikke et tal (skriv fx 1234,5 eller 1234.5)", value=values[i]
        ),
    )
    rows["note"] = frame["note"]

    words = frame["quality"].str.lower()
    qualities = words.map(QUALITY_WORDS)
    rows["quality"] = qualities.fillna("")
    problems.add(
        frame.index[(words != "") & qualities.isna()],
        lambda i: _(
            "kvaliteten '%(quality)s' er ikke estimated, provisional eller revised"
            " (tom for en målt værdi)",
            quality=frame["quality"][i],
        ),
    )
    problems.add(
        frame.index[is_cost & (words != "")], _("en omkostning har ingen kvalitetsmarkering")
    )
    rows["reason"] = frame["reason"]
    return rows


def _check_rules(rows: pd.DataFrame, ctx: _Round, existing: dict, problems: _Problems):
    """The recording rules (``portal.benefits.rules``) over every row whose kind is known."""
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


def _check_duplicates(
    rows: pd.DataFrame, lines: pd.Series, problems: _Problems, indicators: dict[int, Indicator]
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
