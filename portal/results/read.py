"""Reading the stored results back as the dataclasses pages and reports already render
(``benefits.calculation``): ``Evaluation`` objects — without their monthly benefits for the
medians, or with them (``benefits=True``: each month and each line of each month, the
totals, the payback, the recorded costs, the quality marks) for a round's and the nation's
progress reports —, and ``Totals`` per participation, community, round and nationally.

What the stored rows do not hold is how each figure was computed (the explanations in
words): a municipality's own report and dashboard, which show them, evaluate live.

A round's rows come with one query whatever its size; the medians are taken over them in
Python (exact Decimals; PostgreSQL's ``percentile_cont`` would hand back a double). The status
is judged here, when read (``judge``: the progress module's ``elapsed_share`` and ``status``
on the stored progress and dates), so a stored row never carries a verdict that goes stale
with the calendar; the projection is the stored one, fitted to every measurement when the
figures last changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from portal.benefits import calculation
from portal.benefits.calculation import (
    CommunityTotals,
    Evaluation,
    IndicatorResult,
    ProgrammeModel,
    Totals,
    member_of,
    programme_models,
)
from portal.benefits.calculation.data import ZERO, NationalTotals, RoundTotals, TargetInfo
from portal.benefits.calculation.loading import load_costs
from portal.benefits.calculation.progress import (
    IndicatorProgress,
    Point,
    Projection,
    judged_on,
    progress,
    verdict,
)
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.results.models import (
    IndicatorResultRow,
    MonthResult,
    ParticipationResult,
)
from portal.results.read_benefits import NOTHING_YET, stored_benefits


def judge(row: IndicatorResultRow, as_of: date | None, today: date) -> IndicatorProgress:
    """The stored figures judged on ``as_of`` (default: the latest measurement's day, as
    ``progress.indicator_progress`` does) and, for a latest value too old to judge by
    ("mangler data"), on ``today``; with the stored projection. The rules are the progress
    module's own (``progress.verdict``) on the stored values and dates; only the trend is
    not fitted again: it was fitted to every measurement when they last changed."""
    baseline = Point(row.baseline_date, row.baseline_value)
    target = Point(row.target_date, row.target_value)
    latest = Point(row.latest_date, row.latest_value) if row.latest_date else None
    observed = latest if latest and latest.date >= baseline.date else None
    projection = None
    if row.projection_points:
        projection = Projection(
            target_date=target.date,
            projected=row.projected,
            reaches=bool(row.projection_reaches),
            shortfall=row.projection_shortfall,
            slope_per_day=row.projection_slope,
            points=row.projection_points,
        )
    # From the stored values, exactly (the ``progress`` column is rounded to its scale)
    return verdict(
        row.direction,
        baseline,
        target,
        observed,
        as_of=as_of,
        frequency=row.frequency,
        today=today,
        projection=projection,
    )


def _indicator_result(info, row: IndicatorResultRow | None, as_of: date | None, today: date):
    if row is None:  # not refreshed yet: nothing recorded as far as the results know
        return IndicatorResult(info, None, None, (), None, ("baseline", "target"))
    baseline = (
        Point(row.baseline_date, row.baseline_value, row.baseline_quality)
        if row.baseline_date
        else None
    )
    target = (
        TargetInfo(
            row.target_value,
            row.target_date,
            row.target_pessimistic,
            row.target_optimistic,
            row.target_quality,
        )
        if row.target_date
        else None
    )
    latest = (
        Point(row.latest_date, row.latest_value, row.latest_quality) if row.latest_date else None
    )
    missing = tuple(n for n, there in (("baseline", baseline), ("target", target)) if not there)
    result = None if missing else judge(row, as_of, today)
    return IndicatorResult(
        info,
        baseline,
        target,
        (latest,) if latest else (),
        result,
        missing,
        frozenset(row.marks.split(",")) if row.marks else frozenset(),
        row.marked_measurements,
    )


def stored_evaluations(
    participations: Sequence[Participation],
    *,
    as_of: date | None = None,
    models: dict[int, ProgrammeModel] | None = None,
    today: date | None = None,
    benefits: bool = False,
) -> list[Evaluation]:
    """Each participation's indicators from the stored rows (``series`` holds the latest
    measurement only): one query, plus one for the programmes' indicators when ``models``
    is not passed. ``benefits``: with each participation's stored benefits and recorded
    costs too (``stored_benefits``, four queries more); ``None`` otherwise."""
    if not participations:
        return []
    today = today or calculation.local_today()  # the day the live evaluation judges on
    if models is None:
        models = programme_models({p.round.programme_id for p in participations}, lines=benefits)
    kept, costs = (
        (
            stored_benefits([p.id for p in participations]),
            load_costs([p.id for p in participations]),
        )
        if benefits
        else ({}, {})
    )
    stored: dict[int, dict[int, IndicatorResultRow]] = defaultdict(dict)
    # plain rows (attributes by column name, as the model's): no identity map for thousands
    for row in db.session.execute(
        select(*IndicatorResultRow.__table__.columns).where(
            IndicatorResultRow.participation_id.in_([p.id for p in participations])
        )
    ):
        stored[row.participation_id][row.indicator_id] = row
    results = []
    for p in participations:
        model = models[p.round.programme_id]
        rows = stored[p.id]
        day = judged_on(today, p.round.period_end)
        indicators = tuple(
            _indicator_result(info, rows.get(info.id), as_of, day) for info in model.indicators
        )
        results.append(
            Evaluation(
                member_of(p),
                indicators,
                tuple(model.line_infos),
                kept.get(p.id, NOTHING_YET) if benefits else None,
                p.hourly_cost_override,
                tuple(model.problems),
                tuple(costs.get(p.id, ())),
            )
        )
    return results


def round_figures(round_id: int) -> list[tuple[int, int | None, Decimal | None, Decimal | None]]:
    """Every participation's latest value and progress of each indicator in the round, with
    its community: ``(indicator_id, community_id, latest_value, progress)`` from one query of
    plain rows (the medians a dashboard compares with need nothing more). The progress is
    computed from the stored values, exactly, as the arithmetic computes it."""
    rows = db.session.execute(
        select(
            IndicatorResultRow.indicator_id,
            Participation.community_id,
            IndicatorResultRow.latest_value,
            IndicatorResultRow.latest_date,
            IndicatorResultRow.baseline_value,
            IndicatorResultRow.baseline_date,
            IndicatorResultRow.target_value,
            IndicatorResultRow.direction,
        )
        .join(Participation, Participation.id == IndicatorResultRow.participation_id)
        .where(IndicatorResultRow.round_id == round_id)
    )
    result = []
    for indicator_id, community_id, latest, day, base, base_day, target, direction in rows:
        value = None
        if latest is not None and base is not None and target is not None and day >= base_day:
            value = progress(base, target, latest, direction)
        result.append((indicator_id, community_id, latest, value))
    return result


def _totals(row: ParticipationResult, municipality_id: int) -> Totals:
    return Totals(
        1,
        row.total_hours,
        row.fte_12m or ZERO,
        row.gross,
        row.costs,
        row.net,
        int(row.flags > 0),
        frozenset({municipality_id}),
    )


def _with_municipality(stmt):
    return stmt.add_columns(Participation.municipality_id).join(
        Participation, Participation.id == ParticipationResult.participation_id
    )


def stored_totals(participation_ids: Iterable[int]) -> dict[int, Totals]:
    """Each participation's benefit totals: one query."""
    ids = list(participation_ids)
    if not ids:
        return {}
    stmt = _with_municipality(
        select(ParticipationResult).where(ParticipationResult.participation_id.in_(ids))
    )
    return {row.participation_id: _totals(row, m) for row, m in db.session.execute(stmt)}


def sum_totals(evaluations: Iterable[Evaluation], totals: dict[int, Totals]) -> Totals:
    """The totals of ``evaluations`` (one not refreshed yet counts with nothing but itself)."""
    return sum(
        (
            totals.get(
                e.member.participation_id,
                Totals(1, municipality_ids=frozenset({e.member.municipality_id})),
            )
            for e in evaluations
        ),
        Totals(),
    )


def community_totals(
    evaluations: Sequence[Evaluation], totals: dict[int, Totals]
) -> tuple[CommunityTotals, ...]:
    """Per community (the unplaced last), as ``calculation.community_totals`` adds them up,
    from the stored totals."""
    return calculation.community_totals(evaluations, lambda group: sum_totals(group, totals))


def national_totals(rounds: Sequence[Round] | None = None) -> NationalTotals:
    """Benefits per round and across rounds from the stored totals: two queries."""
    stmt = _with_municipality(select(ParticipationResult))
    if rounds is not None:
        stmt = stmt.where(ParticipationResult.round_id.in_([r.id for r in rounds]))
    by_round: dict[int, Totals] = defaultdict(Totals)
    for row, municipality_id in db.session.execute(stmt):
        by_round[row.round_id] += _totals(row, municipality_id)
    if not by_round:
        return NationalTotals((), Totals())
    round_of = {
        r.id: r
        for r in db.session.scalars(
            select(Round).options(joinedload(Round.programme)).where(Round.id.in_(by_round))
        )
    }
    ordered = sorted(by_round, key=lambda r: (round_of[r].period_start, round_of[r].slug))
    rows = tuple(
        RoundTotals(
            r,
            round_of[r].slug,
            round_of[r].name_da,
            round_of[r].name_en,
            round_of[r].programme.name_da,
            round_of[r].programme.name_en,
            by_round[r],
        )
        for r in ordered
    )
    return NationalTotals(rows, sum((row.totals for row in rows), Totals()))


def months(participation_id: int) -> list[MonthResult]:
    """A participation's stored months, oldest first."""
    return list(
        db.session.scalars(
            select(MonthResult)
            .where(MonthResult.participation_id == participation_id)
            .order_by(MonthResult.month)
        )
    )


def data_version(round_id: int) -> str:
    """A short text that changes whenever a stored result of the round is refreshed, or a
    participation joins, leaves or changes (every refresh raises a participation's version;
    the count, the sum and the latest times can only move on): for ETags and cached page
    sections. One query (or a part of one: ``data_version_query`` and ``version_text``)."""
    return version_text(round_id, db.session.execute(data_version_query(round_id)).one())


@lru_cache(maxsize=1024)
def data_version_query(round_id: int) -> Select:
    """``data_version``'s one-row query, built once per round (``db.one_trip``)."""
    return (
        select(
            func.count(Participation.id),
            func.coalesce(func.sum(ParticipationResult.data_version), 0),
            func.max(ParticipationResult.refreshed_at),
            func.max(Participation.updated_at),
        )
        .select_from(Participation)
        .outerjoin(ParticipationResult, ParticipationResult.participation_id == Participation.id)
        .where(Participation.round_id == round_id)
    )


def version_text(round_id: int, row) -> str:
    count, total, refreshed, updated = row
    return f"{round_id}.{count}.{total}.{refreshed}.{updated}"
