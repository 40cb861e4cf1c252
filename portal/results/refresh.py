"""Keeping the stored results in step with their sources.

``refresh_participations`` recomputes the given participations with the benefit arithmetic
and the progress rules (``benefits.calculation.evaluate``, used as they are) and replaces
their rows: one evaluation for all of them (a fixed number of queries) and one bulk delete
and insert per table. The services that change what results derive from call it in the
same transaction as their change, by listening to the house's one signal for it
(``portal.signals.figures_changed``), never by being called from below:

- one participation's figures, targets, costs, hourly cost or benefit owner
  (``benefits.recording``, ``benefits.costs``) or an import (``benefits.bulk``): the
  participations named;
- a round's parameters (``programmes.services``) or a programme's indicators and formulas
  (``programmes.loading``, the programme pages): every participation of the rounds;
- a new participation, a change of community (``participations.signals``): the
  participation.

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
from portal.results import fields
from portal.results.fields import values
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
    """The evaluation's rows: its keys, and the figures ``fields`` declares."""
    pid, rid = e.member.participation_id, e.member.round_id
    b = e.benefits
    rows[ParticipationResult].append(
        dict(
            participation_id=pid,
            round_id=rid,
            data_version=version,
            refreshed_at=now,
            **values(fields.PARTICIPATION, b, q),
        )
    )
    for r in e.indicators:
        rows[IndicatorResultRow].append(
            dict(
                participation_id=pid,
                indicator_id=r.indicator.id,
                round_id=rid,
                **values(fields.INDICATOR, r, q),
            )
        )
    for period in b.periods:
        rows[MonthResult].append(
            dict(
                participation_id=pid,
                month=period.period,
                round_id=rid,
                **values(fields.MONTH, period, q),
            )
        )
        for line in period.lines:
            rows[LineMonthResult].append(
                dict(
                    participation_id=pid,
                    month=period.period,
                    line_key=line.key,
                    round_id=rid,
                    **values(fields.LINE, line, q),
                )
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


def _on_figures_changed(
    _sender, participation_ids=(), round_ids=(), programme_ids=(), numbers=True
) -> None:
    if not numbers:
        return  # only words changed: the results hold none
    refresh_ids(participation_ids)
    for round_id in round_ids:
        refresh_round(db.session.get(Round, round_id))
    for programme_id in programme_ids:
        refresh_programme(programme_id)


def _on_renamed(_sender, ids=()) -> None:
    touch_municipalities(ids)


def _on_created(_round, participations=()) -> None:
    refresh_ids(p.id for p in participations)


def _on_moved(_round, participations=()) -> None:
    touch(participations)


def connect_signals() -> None:
    """Changed figures are computed again, a new participation gets its (empty) results, a
    move between communities or a renamed municipality a new version, in the transaction
    that makes it."""
    from portal.municipalities.signals import renamed
    from portal.participations.signals import memberships_changed, participations_created
    from portal.signals import figures_changed

    figures_changed.connect(_on_figures_changed)
    participations_created.connect(_on_created)
    memberships_changed.connect(_on_moved)
    renamed.connect(_on_renamed)
