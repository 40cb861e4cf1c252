"""Writing an import's checked rows: bulk inserts of the new figures and bulk updates of the
changed ones (a version bump each), one audit line per participation with every change."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import bindparam, insert, update

from portal.audit import services as audit
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.benefits.recording.figure_checks import plain
from portal.benefits.recording.rules import Kind
from portal.db import db, utcnow
from portal.signals import send_figures_changed


@dataclass(frozen=True)
class _Target:
    model: type
    frame: str  # its frame in ``figure_frames``
    key: tuple[str, ...]  # what names the figure, besides the participation
    values: tuple[str, ...]  # what the file sets


_TARGETS = {
    Kind.BASELINE: _Target(
        Baseline,
        "baselines",
        ("indicator_id",),
        ("value", "measured_on", "source_note", "quality"),
    ),
    Kind.TARGET: _Target(
        Target, "targets", ("indicator_id",), ("value", "target_date", "note", "quality")
    ),
    Kind.MEASUREMENT: _Target(
        Measurement, "measurements", ("indicator_id", "period"), ("value", "note", "quality")
    ),
    Kind.COST: _Target(Cost, "costs", ("kind", "category", "incurred_on"), ("amount", "note")),
}


def _file_rows(rows: pd.DataFrame, kind: Kind) -> pd.DataFrame:
    """The file's rows of one kind, in the model's columns."""
    part = rows[rows["kind"] == kind]
    out = pd.DataFrame(
        {
            "participation_id": part["participation_id"].astype(int),
            "municipality_id": part["municipality_id"].astype(int),
        },
        index=part.index,
    )
    day = part["date"].dt.date
    if kind == Kind.COST:
        out["kind"] = part["cost_kind"].map(lambda k: k.value)
        out["category"] = part["category"]
        out["incurred_on"] = day
        out["amount"] = part["value"]
    else:
        out["indicator_id"] = part["indicator_id"].astype(int)
        out["value"] = part["value"]
        out["quality"] = part["quality"]  # "" for a measured figure
    if kind == Kind.BASELINE:
        out["measured_on"] = day
        out["source_note"] = part["note"]
    else:
        out["note"] = part["note"]
    if kind == Kind.TARGET:
        out["target_date"] = day
    elif kind == Kind.MEASUREMENT:
        out["period"] = part["period"].dt.date
    return out


def write(
    rows: pd.DataFrame,
    round_id: int,
    indicator_keys: dict[int, str],
    existing: dict,
    *,
    actor,
    result,
) -> None:
    """Insert the new figures and update the changed ones in bulk, counting them in
    ``result``; one audit line per participation with every change (before and after), and
    one for the import. ``rows``: the import's checked rows; ``existing``: ``figure_frames``."""
    now = utcnow()
    actor_id = getattr(actor, "id", None)
    # participation → {"measurement screen_visits 2025-10-01": [before, after]}
    changes: dict[int, dict[str, list]] = defaultdict(dict)
    municipality_of: dict[int, int] = {}
    for kind, target in _TARGETS.items():
        incoming = _file_rows(rows, kind)
        if incoming.empty:
            continue
        on = ["participation_id", *target.key]
        old = existing[target.frame]
        old = (
            old[["id", *on, *target.values]]
            if not old.empty
            else pd.DataFrame(columns=["id", *on, *target.values])
        )
        if kind == Kind.COST:
            old = old.assign(kind=old["kind"].map(lambda k: getattr(k, "value", k)))
        else:  # compared as the file writes it: "" for none
            old = old.assign(quality=old["quality"].map(lambda q: getattr(q, "value", q) or ""))
        joined = incoming.merge(old, on=on, how="left", suffixes=("", "_old"))
        is_new = joined["id"].isna()
        differs = pd.Series(False, index=joined.index)
        for column in target.values:
            differs |= joined[column].astype(object) != joined[f"{column}_old"].astype(object)
        new, changed = joined[is_new], joined[~is_new & differs]
        result.created += len(new)
        result.updated += len(changed)
        result.unchanged += len(joined) - len(new) - len(changed)
        table = target.model.__table__
        if not new.empty:
            columns = ["participation_id", "municipality_id", *target.key, *target.values]
            stamp = {"created_at": now, "updated_at": now, "updated_by_id": actor_id, "version": 1}
            db.session.execute(insert(table), [{**r, **stamp} for r in _records(new, columns)])
        if not changed.empty:
            db.session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(
                    **{c: bindparam(f"new_{c}") for c in target.values},
                    updated_at=now,
                    updated_by_id=actor_id,
                    version=table.c.version + 1,
                ),
                _records(
                    changed.rename(columns={"id": "row_id"}).rename(
                        columns={c: f"new_{c}" for c in target.values}
                    ),
                    ["row_id", *[f"new_{c}" for c in target.values]],
                ),
            )
        for frame, is_update in ((new, False), (changed, True)):
            if frame.empty:
                continue
            if kind == Kind.COST:
                label = [
                    f"cost {CostKind(k).word}:{c} {plain(d)}"
                    for k, c, d in zip(
                        frame["kind"], frame["category"], frame["incurred_on"], strict=True
                    )
                ]
            else:
                label = [
                    f"{kind.value} {indicator_keys[i]}" for i in frame["indicator_id"].tolist()
                ]
                if kind == Kind.MEASUREMENT:
                    label = [f"{t} {plain(d)}" for t, d in zip(label, frame["period"], strict=True)]
            after = _figure_texts(frame, target.values)
            before = (
                _figure_texts(frame, [f"{c}_old" for c in target.values])
                if is_update
                else [None] * len(frame)
            )
            for participation_id, municipality_id, what, old, new_text in zip(
                frame["participation_id"].tolist(),
                frame["municipality_id"].tolist(),
                label,
                before,
                after,
                strict=True,
            ):
                municipality_of[participation_id] = municipality_id
                changes[participation_id][what] = [old, new_text]
    for participation_id, entries in changes.items():
        audit.record(
            "figures_imported",
            actor=actor,
            municipality_id=municipality_of[participation_id],
            round_id=round_id,
            participation_id=participation_id,
            changes=entries,
        )
    audit.record(
        "figures_import",
        actor=actor,
        round_id=round_id,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    _expire_figures()
    db.session.flush()
    send_figures_changed(changes)  # the participations whose figures changed: one refresh


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dicts of plain Python values (``tolist`` turns numpy numbers into ints)."""
    values = [
        # a quality mark is stored as NULL when there is none
        [v or None for v in frame[c].tolist()] if c.endswith("quality") else frame[c].tolist()
        for c in columns
    ]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _figure_texts(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """A figure's values as one text for the audit log: ``1234.5 · 2025-06-01 · kilde``."""
    texts = [[plain(v) or "" for v in frame[c].tolist()] for c in columns]
    return [" · ".join(t for t in row if t) for row in zip(*texts, strict=True)]


def _expire_figures() -> None:
    """The bulk writes went past the session: figures it holds are reloaded when next read."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Baseline | Target | Measurement | Cost):
            db.session.expire(obj)
