"""The frozen target picture (*målbillede*): approval, versions and what changed.

When every indicator has its baseline and target (the reporting requirement "baseline and
target" is handed in) and the participation names its benefit owner (*gevinstejer*), a
coordinator approves the picture. The approved values become version 1 of each baseline and
target (``FigureVersion``); from then on the form and the import still change the figure,
but only with a reason, and every change adds the next version (who, when, why). The
original is never lost, so pages and reports can show progress against both the approved
and the current target, and the national report can count targets lowered and raised
(the Rigsrevisionen finding this answers: targets adjusted until go-live).

A change of the measuring date or the value of a baseline is a re-baselining, shown the
same way. Notes and quality marks change without a reason: they are not the promise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.audit import services as audit
from portal.benefits.calculation.progress import progress
from portal.benefits.models import MAX_NOTE, Baseline, FigureKind, FigureVersion, Target
from portal.db import db, utcnow
from portal.errors import NotAllowed, RuleViolations
from portal.i18n import localized, long_date, number
from portal.participations.models import Participation
from portal.programmes.models import Direction, Indicator

# What a version holds, per kind: the model's columns in the order of FigureVersion's
# (value, day, pessimistic, optimistic).
FROZEN = {
    FigureKind.BASELINE: (Baseline, ("value", "measured_on", None, None)),
    FigureKind.TARGET: (Target, ("value", "target_date", "pessimistic", "optimistic")),
}
VERSION_FIELDS = ("value", "day", "pessimistic", "optimistic")


def can_approve_picture(user) -> bool:
    from portal import access

    return access.can(user, Target, "approve")


def is_frozen(participation: Participation) -> bool:
    return participation.picture_approved_at is not None


def _values(kind: FigureKind, figure) -> tuple:
    return tuple(getattr(figure, c) if c else None for c in FROZEN[kind][1])


def approval_problems(participation: Participation) -> list[tuple[str, str]]:
    """Why the picture cannot be approved yet (empty: it can)."""
    problems = []
    if not participation.benefit_owner_name.strip():
        problems.append(
            (
                "benefit_owner",
                _l("Kommunen skal navngive en gevinstejer, før målbilledet godkendes."),
            )
        )
    indicators = db.session.scalars(
        select(Indicator).where(Indicator.programme_id == participation.round.programme_id)
    ).all()
    have = {
        kind: set(
            db.session.scalars(
                select(model.indicator_id).where(model.participation_id == participation.id)
            )
        )
        for kind, (model, _columns) in FROZEN.items()
    }
    missing = [
        localized(i, "name") for i in indicators if any(i.id not in ids for ids in have.values())
    ]
    if missing:
        problems.append(
            (
                "figures",
                _l(
                    "Basislinje og målbillede er ikke afleveret for alle indikatorer"
                    " (mangler: %(names)s).",
                    names=", ".join(missing),
                ),
            )
        )
    return problems


def approve_target_picture(participation: Participation, *, actor) -> None:
    """Approve and freeze the baseline and target picture: each baseline and target becomes
    version 1. Refused (``RuleViolations``) when something is missing or it is approved."""
    if actor is not None and not can_approve_picture(actor):
        raise NotAllowed(_l("Kun koordinatoren kan godkende målbilledet."))
    if is_frozen(participation):
        raise RuleViolations([("figures", _l("Målbilledet er allerede godkendt."))])
    problems = approval_problems(participation)
    if problems:
        raise RuleViolations(problems)
    for kind, (model, _columns) in FROZEN.items():
        for figure in db.session.scalars(
            select(model).where(model.participation_id == participation.id)
        ):
            _add(participation, figure.indicator_id, kind, _values(kind, figure), "", actor)
    participation.picture_approved_at = utcnow()
    participation.picture_approved_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        "target_picture_approved",
        actor=actor,
        obj=participation,
        municipality_id=participation.municipality_id,
        round_id=participation.round_id,
    )


def _add(participation, indicator_id, kind, values, reason, actor) -> FigureVersion:
    number = db.session.scalar(
        select(func.coalesce(func.max(FigureVersion.number), 0)).where(
            FigureVersion.participation_id == participation.id,
            FigureVersion.indicator_id == indicator_id,
            FigureVersion.kind == kind,
        )
    )
    version = FigureVersion(
        participation_id=participation.id,
        municipality_id=participation.municipality_id,
        indicator_id=indicator_id,
        kind=kind,
        number=number + 1,
        reason=reason,
        created_by_id=getattr(actor, "id", None),
        **dict(zip(VERSION_FIELDS, values, strict=True)),
    )
    db.session.add(version)
    return version


def reason_required(participation: Participation, kind: FigureKind, figure, new: tuple) -> bool:
    """A frozen figure whose promised values change needs a reason (a new figure of a
    frozen picture too: it was not part of what was approved)."""
    if not is_frozen(participation):
        return False
    return figure is None or _values(kind, figure) != tuple(new)


def missing_reason_message() -> str:
    return _l("Målbilledet er godkendt og låst: skriv en begrundelse for ændringen.")


def check_reason(participation, kind: FigureKind, figure, new: tuple, reason: str) -> bool:
    """Raises at the ``reason`` field when a frozen figure changes without one; True when
    the change makes a new version (``record_version`` after the write)."""
    if not reason_required(participation, kind, figure, new):
        return False
    if not reason.strip():
        raise RuleViolations([("reason", missing_reason_message())])
    if len(reason.strip()) > MAX_NOTE:
        raise RuleViolations([("reason", _l("Højst %(max)d tegn.", max=MAX_NOTE))])
    return True


def record_version(participation, kind: FigureKind, figure, reason: str, *, actor) -> None:
    _add(participation, figure.indicator_id, kind, _values(kind, figure), reason.strip(), actor)
    db.session.flush()


# --- the import ----------------------------------------------------------------------------


def import_changes(rows: pd.DataFrame, existing: dict, frozen: set[int]) -> pd.DataFrame:
    """The file's baseline and target rows that change a frozen figure: ``rows`` (the
    import's checked rows, ``kind``/``participation_id``/``indicator_id``/``value``/``date``
    and ``reason``) against ``existing`` (``figure_frames``). The file has no pessimistic
    and optimistic columns, so those stay as they are."""
    columns = ["kind", "participation_id", "indicator_id", "value", "day", "reason", "row"]
    parts = []
    for kind, (model, (_v, day_column, _p, _o)) in FROZEN.items():
        part = rows[(rows["kind"] == kind.value) & rows["participation_id"].isin(frozen)]
        if part.empty:
            continue
        old = existing[model.__tablename__]
        old = old[["participation_id", "indicator_id", "value", day_column]].rename(
            columns={"value": "old_value", day_column: "old_day"}
        )
        mine = pd.DataFrame(
            {
                "kind": kind.value,
                "participation_id": part["participation_id"].astype(int),
                "indicator_id": part["indicator_id"].astype(int),
                "value": part["value"],
                "day": part["date"].dt.date,
                "reason": part["reason"],
                "row": part.index,
            }
        )
        joined = mine.merge(old, on=["participation_id", "indicator_id"], how="left")
        differs = joined["old_value"].isna()
        differs |= joined["value"].astype(object) != joined["old_value"].astype(object)
        differs |= joined["day"].astype(object) != joined["old_day"].astype(object)
        parts.append(joined[differs][columns])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def record_import_versions(changes: pd.DataFrame, *, actor) -> None:
    """After the import wrote them: a version of each frozen figure it changed."""
    if changes.empty:
        return
    participations = {
        p.id: p
        for p in db.session.scalars(
            select(Participation).where(
                Participation.id.in_(changes["participation_id"].astype(int).tolist())
            )
        )
    }
    for kind_text, pid, iid, reason in zip(
        changes["kind"],
        changes["participation_id"],
        changes["indicator_id"],
        changes["reason"],
        strict=True,
    ):
        kind = FigureKind(kind_text)
        model = FROZEN[kind][0]
        figure = db.session.scalar(
            select(model).where(model.participation_id == int(pid), model.indicator_id == int(iid))
        )
        _add(participations[int(pid)], int(iid), kind, _values(kind, figure), reason, actor)
    db.session.flush()


# --- what changed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One change of a frozen figure: from the version before to this one."""

    kind: str  # baseline | target
    indicator_id: int
    number: int
    before: Decimal
    after: Decimal
    before_day: date
    after_day: date
    reason: str
    changed_at: datetime


@dataclass(frozen=True)
class History:
    """A frozen figure's versions: the approved original and the current values."""

    kind: str
    indicator_id: int
    original: Decimal
    original_day: date
    current: Decimal
    current_day: date
    steps: tuple[Step, ...]

    @property
    def changed(self) -> bool:
        return bool(self.steps)


def histories(participation_ids: Iterable[int]) -> dict[int, dict[tuple[str, int], History]]:
    """Per participation, per (kind, indicator id), the versions of each frozen figure: one
    query whatever the number of participations."""
    ids = list(participation_ids)
    if not ids:
        return {}
    grouped: dict[tuple[int, str, int], list[FigureVersion]] = defaultdict(list)
    for v in db.session.scalars(
        select(FigureVersion)
        .where(FigureVersion.participation_id.in_(ids))
        .order_by(FigureVersion.number)
    ):
        grouped[(v.participation_id, v.kind.value, v.indicator_id)].append(v)
    result: dict[int, dict[tuple[str, int], History]] = defaultdict(dict)
    for (pid, kind, iid), versions in grouped.items():
        first, last = versions[0], versions[-1]
        steps = tuple(
            Step(kind, iid, b.number, a.value, b.value, a.day, b.day, b.reason, b.created_at)
            for a, b in zip(versions, versions[1:], strict=False)
        )
        result[pid][(kind, iid)] = History(
            kind, iid, first.value, first.day, last.value, last.day, steps
        )
    return result


def progress_against(result, target: Decimal) -> Decimal | None:
    """An indicator result's progress (its baseline and latest value) against ``target``:
    the approved one or the current one."""
    if result.baseline is None or result.latest is None:
        return None
    return progress(result.baseline.value, target, result.latest.value, result.indicator.direction)


@dataclass(frozen=True)
class TargetChange:
    """A changed target or baseline as a page shows it: progress against both targets."""

    history: History | None  # the target's (None when only the baseline changed)
    against_original: Decimal | None
    against_current: Decimal | None
    texts: tuple[str, ...]  # every step, baseline and target, as "mål ændret …"


def target_changes(evaluation, histories: dict) -> dict[str, TargetChange]:
    """Per indicator key, the changes since approval of an evaluated participation."""
    changes = {}
    for r in evaluation.indicators:
        target = histories.get((FigureKind.TARGET.value, r.indicator.id))
        baseline = histories.get((FigureKind.BASELINE.value, r.indicator.id))
        changed = [h for h in (baseline, target) if h is not None and h.changed]
        if not changed:
            continue
        changes[r.indicator.key] = TargetChange(
            target,
            progress_against(r, target.original) if target else None,
            progress_against(r, target.current) if target else None,
            tuple(step_text(step) for h in changed for step in h.steps),
        )
    return changes


def lowered(history: History, direction: str) -> bool | None:
    """Whether a changed target asks for less than the approved one (True), more (False), or
    the value is the same (None): by the indicator's direction, so a higher target of an
    indicator where lower is better is lowered."""
    if history.current == history.original:
        return None
    less = history.current < history.original
    return less if direction == Direction.HIGHER.value else not less


def step_text(step: Step, unit: str = "") -> str:
    """ "mål ændret 12. marts 2026: 400 → 300, begrundelse: …" (re-baselining alike)."""
    values = {
        "day": long_date(step.changed_at),
        "before": number(step.before, 4),
        "after": number(step.after, 4),
        "reason": step.reason,
    }
    if step.kind == FigureKind.TARGET.value:
        return _("mål ændret %(day)s: %(before)s → %(after)s, begrundelse: %(reason)s", **values)
    return _(
        "basislinje ændret (ny basislinje) %(day)s: %(before)s → %(after)s,"
        " begrundelse: %(reason)s",
        **values,
    )
