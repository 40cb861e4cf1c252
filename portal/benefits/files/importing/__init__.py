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
- ``reason``: why a frozen baseline or target changes (``portal.benefits.recording.freeze``):
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

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.benefits.files.importing.checks import (
    ImportRound,
    Problems,
    check_duplicates,
    check_frozen,
    check_rules,
)
from portal.benefits.files.importing.parsing import HEADER_WORDS, parse
from portal.benefits.permissions import import_limit
from portal.benefits.recording import bulk, freeze
from portal.benefits.recording.figures import figure_frames
from portal.programmes.models import Round
from portal.tabular import LINE, read_table

COLUMNS = ("municipality", "indicator", "kind", "date", "value", "note", "quality")
REQUIRED = COLUMNS[:5]
# the quality mark, a frozen figure's reason, and the template's columns for people
OPTIONAL = ("note", "quality", "reason", "name", "unit", "frequency")


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


def import_figures(data: bytes | str, round_: Round, *, actor) -> ImportResult:
    """Store the figures of a file for ``round_``, all or nothing (``RowErrors`` lists every
    bad row). ``actor`` None (the command line) or a coordinator may import for any
    participating municipality, a municipal user for their own only."""
    own_municipality = import_limit(actor)
    frame = read_table(data, REQUIRED, OPTIONAL, aliases=HEADER_WORDS)
    return import_frame(frame, round_, actor=actor, own_municipality=own_municipality)


def import_frame(frame, round_: Round, *, actor, own_municipality: int | None) -> ImportResult:
    """The import's rules on rows already read: texts in ``COLUMNS`` (and ``reason``) and
    each row's ``LINE``, which the refusal names (a file's line, or an API item's index)."""
    for column in ("note", "quality", "reason"):
        if column not in frame:
            frame[column] = ""
    # A template row left without a value is one the municipality had nothing for.
    blank = frame["value"] == ""
    frame = frame[~blank]
    if frame.empty:
        return ImportResult(skipped=int(blank.sum()))
    context = ImportRound.load(round_)
    existing = figure_frames(round_.id)
    problems = Problems()
    rows = parse(frame, context, own_municipality, problems)
    periods = check_rules(rows, context, existing, problems)
    rows["period"] = periods
    check_duplicates(rows, frame[LINE], problems, context.indicators)
    changes = check_frozen(rows, context, existing, problems)
    problems.raise_if_any(frame[LINE])
    result = ImportResult(skipped=int(blank.sum()))
    keys = {i.id: i.key for i in context.indicators.values()}
    bulk.write(rows, round_.id, keys, existing, actor=actor, result=result)
    freeze.record_import_versions(changes, actor=actor)
    return result
