"""Keeping the stored results in step with their sources.

``refresh_participations`` recomputes the given participations with the benefit arithmetic
and the progress rules (``benefits.calculation.evaluate``, used as they are) and replaces
their rows: one evaluation for all of them (a fixed number of queries) and one bulk delete
and insert per table. The services that change what results derive from call it in the
same transaction as their change:

- one participation's figures, targets, costs, hourly cost or benefit owner
  (``benefits.recording``, ``benefits.costs``): ``refresh_participation``;
- an import (``benefits.bulk``): the participations it touched;
- a round's parameters (``programmes.services``) or a programme's indicators and formulas
  (``programmes.loading``, the programme pages): ``refresh_round`` / ``refresh_programme``;
- a new participation, a change of community (``participations``): the participation.

``rebuild`` recomputes everything (or a round) from scratch: ``portal results rebuild``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import joinedload

from portal.benefits.calculation import Evaluation, evaluate, round_participations
from portal.db import db, utcnow
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.results.models import (
    AMOUNT,
    RATIO,
    SLOPE,
    VALUE,
    IndicatorResultRow,
    LineMonthResult,
    MonthResult,
    ParticipationResult,
)

TABLES = (LineMonthResult, MonthResult, IndicatorResultRow, ParticipationResult)
_SCALES = {id(t): Decimal(1).scaleb(-t.scale) for t in (VALUE, AMOUNT, RATIO, SLOPE)}


def q(value: Decimal | None, kind=AMOUNT) -> Decimal | None:
    """``value`` at the column's scale (half even), as both databases will hand it back."""
    if value is None:
        return None
    return Decimal(value).quantize(_SCALES[id(kind)], rounding=ROUND_HALF_EVEN)


def refresh_participation(participation: Participation) -> None:
    refresh_participations([participation])


def refresh_round(round_: Round) -> None:
    """Every participation of the round: its parameters or its programme changed."""
    refresh_participations(round_participations(round_.id))


def refresh_programme(programme_id: int) -> None:
    """Every round of a programme: its indicators or benefit formulas changed."""
    rounds = db.session.scalars(select(Round).where(Round.programme_id == programme_id))
    for round_ in rounds:
        refresh_round(round_)


def refresh_ids(participation_ids: Iterable[int]) -> None:
    ids = sorted(set(participation_ids))
    if not ids:
        return
    participations = db.session.scalars(
        select(Participation)
        .options(
            joinedload(Participation.round).joinedload(Round.programme),
            joinedload(Participation.municipality),
            joinedload(Participation.community),
        )
        .where(Participation.id.in_(ids))
        .order_by(Participation.id)
    )
    refresh_participations(list(participations))


def refresh_participations(participations: Sequence[Participation]) -> None:
    """Replace the stored results of ``participations`` with freshly computed ones."""
    if not participations:
        return
    db.session.flush()  # what the caller changed is what we compute from
    ids = [p.id for p in participations]
    versions = dict(
        db.session.execute(
            select(ParticipationResult.participation_id, ParticipationResult.data_version).where(
                ParticipationResult.participation_id.in_(ids)
            )
        ).all()
    )
    rows: dict[type, list[dict]] = {t: [] for t in TABLES}
    now = utcnow()
    for evaluation in evaluate(participations):
        pid = evaluation.member.participation_id
        _rows(evaluation, rows, versions.get(pid, 0) + 1, now)
    for table in TABLES:
        db.session.execute(delete(table).where(table.participation_id.in_(ids)))
    for table in reversed(TABLES):
        if rows[table]:
            db.session.execute(insert(table), rows[table])


def _rows(e: Evaluation, rows: dict[type, list[dict]], version: int, now) -> None:
    pid, rid = e.member.participation_id, e.member.round_id
    b = e.benefits
    rows[ParticipationResult].append(
        dict(
            participation_id=pid,
            round_id=rid,
            data_version=version,
            refreshed_at=now,
            hourly_cost=q(b.hourly_cost),
            annual_hours=q(b.annual_hours),
            total_hours=q(b.total_hours),
            gross=q(b.gross),
            costs=q(b.costs),
            net=q(b.net),
            fte_12m=q(b.fte_12m, RATIO),
            payback=b.payback,
            flags=len(b.flags),
        )
    )
    for r in e.indicators:
        p = r.progress
        projection = p.projection if p else None
        rows[IndicatorResultRow].append(
            dict(
                participation_id=pid,
                indicator_id=r.indicator.id,
                round_id=rid,
                direction=r.indicator.direction,
                frequency=r.indicator.frequency,
                baseline_value=q(r.baseline.value, VALUE) if r.baseline else None,
                baseline_date=r.baseline.date if r.baseline else None,
                target_value=q(r.target.value, VALUE) if r.target else None,
                target_date=r.target.date if r.target else None,
                target_pessimistic=q(r.target.pessimistic, VALUE) if r.target else None,
                target_optimistic=q(r.target.optimistic, VALUE) if r.target else None,
                latest_value=q(r.latest.value, VALUE) if r.latest else None,
                latest_date=r.latest.date if r.latest else None,
                measurements=len(r.series),
                progress=q(r.progress_value, RATIO),
                projected=q(projection.projected) if projection else None,
                projection_reaches=projection.reaches if projection else None,
                projection_shortfall=q(projection.shortfall) if projection else None,
                projection_slope=q(projection.slope_per_day, SLOPE) if projection else None,
                projection_points=projection.points if projection else None,
                **_quality_columns(r),
            )
        )
    for period in b.periods:
        rows[MonthResult].append(
            dict(
                participation_id=pid,
                month=period.period,
                round_id=rid,
                hours=q(period.hours),
                gross=q(period.gross),
                costs=q(period.costs),
                net=q(period.net),
                cumulative_net=q(period.cumulative_net),
                hours_12m=q(period.hours_12m),
                fte_12m=q(period.fte_12m, RATIO),
            )
        )
        for line in period.lines:
            rows[LineMonthResult].append(
                dict(
                    participation_id=pid,
                    month=period.period,
                    line_key=line.key,
                    round_id=rid,
                    kind=line.kind,
                    amount=q(line.amount),
                    kroner=q(line.kroner),
                    flag=line.flag.kind if line.flag else None,
                )
            )


def _quality_columns(r) -> dict:
    """The marks a report shows of one indicator (``IndicatorResultRow``'s last columns)."""
    marked = [p.quality for p in r.series if p.quality]
    return dict(
        baseline_quality=r.baseline.quality if r.baseline else None,
        target_quality=r.target.quality if r.target else None,
        latest_quality=r.latest.quality if r.latest else None,
        marks=",".join(sorted(set(marked))) or None,
        marked_measurements=len(marked),
    )


def rebuild(round_: Round | None = None) -> int:
    """Recompute the stored results from scratch: of one round, or of every round. The
    detail rows are dropped first; each participation's version goes on counting up, so an
    ETag handed out before the rebuild never matches after it. Returns how many."""
    details = TABLES[:-1]
    for table in details:
        stmt = delete(table)
        if round_ is not None:
            stmt = stmt.where(table.round_id == round_.id)
        db.session.execute(stmt)
    rounds = [round_] if round_ else list(db.session.scalars(select(Round).order_by(Round.id)))
    count = 0
    for r in rounds:
        participations = round_participations(r.id)
        refresh_participations(participations)
        count += len(participations)
    return count


def touch(participations: Iterable[Participation]) -> None:
    """Raise the version of participations whose results are unchanged but read
    differently (a new community for the medians), so ETags and cached charts move on."""
    ids = [p.id for p in participations]
    if ids:
        _raise_versions(ParticipationResult.participation_id.in_(ids))


def touch_municipalities(municipality_ids: Iterable[int]) -> None:
    """``touch`` every participation of these municipalities (renamed: the pages show the
    name)."""
    ids = list(municipality_ids)
    if ids:
        of_them = select(Participation.id).where(Participation.municipality_id.in_(ids))
        _raise_versions(ParticipationResult.participation_id.in_(of_them))


def _raise_versions(condition) -> None:
    db.session.execute(
        update(ParticipationResult)
        .where(condition)
        .values(data_version=ParticipationResult.data_version + 1, refreshed_at=utcnow())
    )


def _on_renamed(_sender, ids=()) -> None:
    touch_municipalities(ids)


def _on_created(_round, participations=()) -> None:
    refresh_ids(p.id for p in participations)


def _on_moved(_round, participations=()) -> None:
    touch(participations)


def connect_signals() -> None:
    """A new participation gets its (empty) results, a move between communities or a
    renamed municipality a new version, in the transaction that makes it."""
    from portal.municipalities.signals import renamed
    from portal.participations.signals import memberships_changed, participations_created

    participations_created.connect(_on_created)
    memberships_changed.connect(_on_moved)
    renamed.connect(_on_renamed)
