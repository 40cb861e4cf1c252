"""The reporting schedule: which items a participation owes, and by when.

DESIGN.md asks for "baseline and target at the start, status reports during the period (e.g.
every quarter), a final report at the end". The rules chosen here:

- **Baseline and target** (``baseline_target``): covers the whole round period; due 30 days
  after the later of the period's start and the day the participation was created (its
  Copenhagen date), so a municipality approved late still gets its 30 days. It is fulfilled
  by the figures, not by a form (``portal.reporting.services``).
- **Status report** (``status``): one per calendar quarter the period touches, covering that
  quarter clipped to the period (a period starting 1 September has a first "quarter" of
  September only), due 15 days after the quarter ends. The quarter in which the period ends
  has none: the final report covers it; nor does a quarter that ended before the
  participation was created (a municipality approved, or a running collaboration imported,
  late owes no reports for the time before it was in the portal).
- **Final report** (``final``): covers the whole period; due 30 days after it ends. It can be
  written from the start of the period's last quarter.
- **Follow-up** (``follow_up``): the benefit follow-up of the state's practice, covering the
  twelve months after the period; due twelve months after the period ends, and can be
  written from the start of that year's last quarter. It says whether the gains were kept.

Example, 2025-09-01 – 2027-03-31 (the screen-visit round), a participation created before the
start: baseline and target due 2025-10-01; status reports for Q3 2025 (September, due
2025-10-15), Q4 2025 (2026-01-15), Q1–Q4 2026 (2026-04-15, 2026-07-15, 2026-10-15,
2027-01-15); final report due 2027-04-30; follow-up (2027-04-01 – 2028-03-31) due 2028-03-31.

``ensure_schedule`` makes the stored items match the plan and is idempotent: it creates what is
missing, never a duplicate (a unique constraint backs it), moves unsubmitted items when the
round's period changed (a moved due date gets its reminders again), and drops items the new
period no longer has, unless they were submitted or hold text (those stay, as history).
Submitted items never change. It runs from ``portal reporting schedule`` and ``portal reporting
remind``, when a participation is created and when a round's period changes; never from a
page (a GET does not write).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.i18n import to_local
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.models import ReportingRequirement, ReportKind

BASELINE_DAYS = 30  # after the later of the period's start and the participation's creation
STATUS_DAYS = 15  # after the quarter ends
FINAL_DAYS = 30  # after the period ends


@dataclass(frozen=True)
class PlannedItem:
    kind: ReportKind
    period_start: date
    period_end: date
    due_on: date

    @property
    def key(self) -> tuple[ReportKind, date | None]:
        return _key(self.kind, self.period_start)


def _key(kind: ReportKind, period_start: date) -> tuple[ReportKind, date | None]:
    """What identifies an item across period changes: its kind, and for a status report
    its calendar quarter."""
    return (kind, quarter_start(period_start) if kind == ReportKind.STATUS else None)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - timedelta(days=1)


def quarters(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar quarters from ``start`` to ``end``, each clipped to them."""
    result = []
    day = start
    while day <= end:
        last = quarter_end(day)
        result.append((day, min(last, end)))
        day = last + timedelta(days=1)
    return result


def plan(period_start: date, period_end: date, joined_on: date | None = None) -> list[PlannedItem]:
    """The items a participation in a round of this period owes, by due date."""
    starts_on = max(period_start, joined_on or period_start)
    items = [
        PlannedItem(
            ReportKind.BASELINE_TARGET,
            period_start,
            period_end,
            starts_on + timedelta(days=BASELINE_DAYS),
        )
    ]
    for start, end in quarters(period_start, period_end):
        if quarter_start(end) == quarter_start(period_end):
            continue  # the final report covers the last quarter
        if joined_on is not None and end < joined_on:
            continue  # the municipality was not in the collaboration then
        items.append(PlannedItem(ReportKind.STATUS, start, end, end + timedelta(days=STATUS_DAYS)))
    items.append(
        PlannedItem(
            ReportKind.FINAL, period_start, period_end, period_end + timedelta(days=FINAL_DAYS)
        )
    )
    year_after = a_year_after(period_end)
    items.append(
        PlannedItem(ReportKind.FOLLOW_UP, period_end + timedelta(days=1), year_after, year_after)
    )
    return items


def a_year_after(day: date) -> date:
    """The same day a year later (28 February for a 29th)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def opens_on(item: ReportingRequirement | PlannedItem) -> date | None:
    """The first day the item can be delivered: a status report once its quarter has begun,
    the final report once the last quarter has; baseline and target at once (None)."""
    if item.kind == ReportKind.STATUS:
        return item.period_start
    if item.kind in (ReportKind.FINAL, ReportKind.FOLLOW_UP):
        return max(item.period_start, quarter_start(item.period_end))
    return None


def plan_for(participation: Participation) -> list[PlannedItem]:
    round_ = participation.round
    joined = to_local(participation.created_at).date() if participation.created_at else None
    return plan(round_.period_start, round_.period_end, joined)


@dataclass
class ScheduleChange:
    created: int = 0
    updated: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def __add__(self, other: ScheduleChange) -> ScheduleChange:
        return ScheduleChange(
            self.created + other.created,
            self.updated + other.updated,
            self.removed + other.removed,
        )


def ensure_schedule(participation: Participation) -> ScheduleChange:
    """Make the participation's stored items match its round's plan (see the module
    docstring). Flushes only."""
    return _ensure([participation])


def ensure_schedules(round_: Round) -> ScheduleChange:
    """``ensure_schedule`` for every participation of the round, in a fixed number of
    queries plus the writes. Flushes only."""
    return _ensure(
        list(
            db.session.scalars(
                select(Participation)
                .where(Participation.round_id == round_.id)
                .order_by(Participation.id)
            )
        )
    )


def ensure_all_schedules() -> ScheduleChange:
    """Every participation of every round (the daily command). Flushes only."""
    return _ensure(
        list(
            db.session.scalars(
                select(Participation)
                .options(joinedload(Participation.round))
                .order_by(Participation.id)
            )
        )
    )


def _ensure(participations: list[Participation]) -> ScheduleChange:
    work = _diff(participations)
    if work:
        work.apply()
    return work.change


@dataclass
class _Work:
    """What ``ensure`` would do, worked out without touching anything."""

    new: list[ReportingRequirement] = field(default_factory=list)
    moves: list[tuple[ReportingRequirement, PlannedItem]] = field(default_factory=list)
    removals: list[ReportingRequirement] = field(default_factory=list)

    @property
    def change(self) -> ScheduleChange:
        return ScheduleChange(len(self.new), len(self.moves), len(self.removals))

    def __bool__(self) -> bool:
        return bool(self.new or self.moves or self.removals)

    def apply(self) -> None:
        for item in self.removals:
            db.session.delete(item)
        db.session.add_all(self.new)
        for item, p in self.moves:
            if item.due_on != p.due_on:
                item.reminder_before_sent_at = item.reminder_after_sent_at = None
            item.period_start, item.period_end, item.due_on = (
                p.period_start,
                p.period_end,
                p.due_on,
            )
        db.session.flush()


def _diff(participations: list[Participation]) -> _Work:
    work = _Work()
    if not participations:
        return work
    existing: dict[int, list[ReportingRequirement]] = defaultdict(list)
    for item in db.session.scalars(
        select(ReportingRequirement)
        .where(ReportingRequirement.participation_id.in_([p.id for p in participations]))
        .order_by(ReportingRequirement.id)
    ):
        existing[item.participation_id].append(item)
    for participation in participations:
        _match(work, participation, plan_for(participation), existing[participation.id])
    return work


def _match(
    work: _Work,
    participation: Participation,
    planned: list[PlannedItem],
    items: list[ReportingRequirement],
) -> None:
    by_key = {_key(item.kind, item.period_start): item for item in items}
    wanted = {p.key for p in planned}
    work.removals += [
        item
        for item in items
        if _key(item.kind, item.period_start) not in wanted and _removable(item)
    ]
    for p in planned:
        item = by_key.get(p.key)
        if item is None:
            work.new.append(
                ReportingRequirement(
                    participation_id=participation.id,
                    municipality_id=participation.municipality_id,
                    kind=p.kind,
                    period_start=p.period_start,
                    period_end=p.period_end,
                    due_on=p.due_on,
                )
            )
        elif item.submitted_at is None and (
            (item.period_start, item.period_end, item.due_on)
            != (p.period_start, p.period_end, p.due_on)
        ):
            work.moves.append((item, p))


def _removable(item: ReportingRequirement) -> bool:
    return item.submitted_at is None and not item.has_text


def _on_participations_created(round_, participations=()) -> None:
    _ensure(list(participations))


def _on_round_period_changed(round_) -> None:
    ensure_schedules(round_)


def connect_signals() -> None:
    """Every new participation gets its schedule in the transaction that creates it, and a
    round whose period changed moves its participations' items in the transaction that
    changes it; the daily command repairs anything else. Pages only read."""
    from portal.participations.signals import participations_created
    from portal.programmes.signals import round_period_changed

    participations_created.connect(_on_participations_created)
    round_period_changed.connect(_on_round_period_changed)
