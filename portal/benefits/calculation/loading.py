"""What an evaluation reads, one query per kind of row: the programmes' indicators and
compiled benefit lines, a round's participations, and the participations' figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from portal.benefits.calculation import arithmetic
from portal.benefits.calculation.arithmetic import Line
from portal.benefits.calculation.data import IndicatorInfo, LineInfo, TargetInfo
from portal.benefits.calculation.progress import Point
from portal.benefits.models import Baseline, Cost, Measurement, Target
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.formulas import FormulaError, parse_formula
from portal.programmes.models import BenefitLine, Indicator, Round


@dataclass
class ProgrammeModel:
    """A programme's indicators and compiled benefit lines (compiled once per evaluation)."""

    indicators: list[IndicatorInfo] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    line_infos: list[LineInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def frequencies(self) -> dict[str, str]:
        return {i.key: i.frequency for i in self.indicators}


def programme_models(programme_ids: Iterable[int], *, lines: bool = True) -> dict:
    """Each programme's indicators and (with ``lines``) compiled benefit lines: two queries."""
    ids = set(programme_ids)
    models: dict[int, ProgrammeModel] = defaultdict(ProgrammeModel)
    if not ids:
        return models
    for i in db.session.scalars(
        select(Indicator)
        .where(Indicator.programme_id.in_(ids))
        .order_by(Indicator.programme_id, Indicator.position, Indicator.id)
    ):
        models[i.programme_id].indicators.append(
            IndicatorInfo(
                i.id,
                i.key,
                i.name_da,
                i.name_en,
                i.unit,
                i.direction.value,
                i.frequency.value,
                i.block.value,
                i.unit_en or "",
            )
        )
    if lines:
        for b in db.session.scalars(
            select(BenefitLine)
            .where(BenefitLine.programme_id.in_(ids))
            .order_by(BenefitLine.programme_id, BenefitLine.position, BenefitLine.id)
        ):
            model = models[b.programme_id]
            # A dis-benefit's formula gives the size of the harm; negated, it is subtracted
            # from the hours and the gross like any line, by the same arithmetic.
            text = f"-({b.formula})" if b.dis_benefit else b.formula
            try:
                formula = parse_formula(text)
            except FormulaError as error:  # checked on load and edit; an old row may slip by
                model.problems.append(f"{b.key}: {error.reason}")
                continue
            model.lines.append(Line(b.key, b.kind.value, formula, b.name_da))
            model.line_infos.append(
                LineInfo(b.key, b.name_da, b.name_en, b.kind.value, b.formula, b.dis_benefit)
            )
    return models


def round_participations(round_id: int, community_id: int | None = None) -> list[Participation]:
    """A round's participations (or one community's), with round, programme, municipality
    and community joined: one query. Only for pages a national user (or the community's
    own member) may see; the caller checks that."""
    stmt = (
        select(Participation)
        .options(
            joinedload(Participation.round).joinedload(Round.programme),
            joinedload(Participation.municipality),
            joinedload(Participation.community),
        )
        .where(Participation.round_id == round_id)
        .order_by(Participation.id)
    )
    if community_id is not None:
        stmt = stmt.where(Participation.community_id == community_id)
    return list(db.session.scalars(stmt))


def _latest_measurements(ids: list[int]):
    """Each (participation, indicator)'s latest measurement: one query."""
    latest = (
        select(
            Measurement.participation_id,
            Measurement.indicator_id,
            func.max(Measurement.period).label("period"),
        )
        .where(Measurement.participation_id.in_(ids))
        .group_by(Measurement.participation_id, Measurement.indicator_id)
        .subquery()
    )
    return db.session.execute(
        select(
            Measurement.participation_id,
            Measurement.indicator_id,
            Measurement.period,
            Measurement.value,
            Measurement.quality,
        ).join(
            latest,
            and_(
                Measurement.participation_id == latest.c.participation_id,
                Measurement.indicator_id == latest.c.indicator_id,
                Measurement.period == latest.c.period,
            ),
        )
    )


@dataclass
class LoadedFigures:
    baselines: dict = field(default_factory=dict)  # indicator id → Point
    targets: dict = field(default_factory=dict)  # indicator id → TargetInfo
    series: dict = field(default_factory=lambda: defaultdict(list))  # indicator id → [Point]
    costs: list = field(default_factory=list)  # arithmetic.Cost


def _quality(value) -> str | None:
    return getattr(value, "value", value)


def load_figures(ids: list[int], *, series: bool) -> dict[int, LoadedFigures]:
    """Three queries (latest only) or four (every measurement, and the costs)."""
    figures: dict[int, LoadedFigures] = defaultdict(LoadedFigures)
    if not ids:
        return figures
    for pid, iid, value, day, quality in db.session.execute(
        select(
            Baseline.participation_id,
            Baseline.indicator_id,
            Baseline.value,
            Baseline.measured_on,
            Baseline.quality,
        ).where(Baseline.participation_id.in_(ids))
    ):
        figures[pid].baselines[iid] = Point(day, value, _quality(quality))
    for pid, iid, value, day, low, high, quality in db.session.execute(
        select(
            Target.participation_id,
            Target.indicator_id,
            Target.value,
            Target.target_date,
            Target.pessimistic,
            Target.optimistic,
            Target.quality,
        ).where(Target.participation_id.in_(ids))
    ):
        figures[pid].targets[iid] = TargetInfo(value, day, low, high, _quality(quality))
    if series:
        rows = db.session.execute(
            select(
                Measurement.participation_id,
                Measurement.indicator_id,
                Measurement.period,
                Measurement.value,
                Measurement.quality,
            )
            .where(Measurement.participation_id.in_(ids))
            .order_by(Measurement.period)
        )
    else:
        rows = _latest_measurements(ids)
    for pid, iid, period, value, quality in rows:
        figures[pid].series[iid].append(Point(period, value, _quality(quality)))
    if series:
        for pid, costs in load_costs(ids).items():
            figures[pid].costs.extend(costs)
    return figures


def load_costs(ids: list[int]) -> dict[int, list[arithmetic.Cost]]:
    """Each participation's recorded costs, in the order they were incurred: one query."""
    costs: dict[int, list[arithmetic.Cost]] = defaultdict(list)
    for pid, kind, category, day, amount in db.session.execute(
        select(Cost.participation_id, Cost.kind, Cost.category, Cost.incurred_on, Cost.amount)
        .where(Cost.participation_id.in_(ids))
        .order_by(Cost.incurred_on, Cost.id)
    ):
        costs[pid].append(arithmetic.Cost(day, amount, kind.value, category))
    return costs
