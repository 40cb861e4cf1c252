"""Reading the recorded figures: for pages, exports, and the benefit and progress arithmetic.

Every function takes participations the caller already loaded through the access gate
(``portal.access``). The number of queries does not grow with the number of
participations or measurements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.benefits.models import Baseline, Cost, Measurement, Target
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Indicator


@dataclass
class IndicatorFigures:
    indicator: Indicator
    baseline: Baseline | None = None
    target: Target | None = None
    measurements: list[Measurement] = field(default_factory=list)  # oldest period first

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None


@dataclass
class ParticipationFigures:
    participation: Participation
    indicators: list[IndicatorFigures]  # in the programme's order
    costs: list[Cost]  # by date

    def for_indicator(self, key: str) -> IndicatorFigures | None:
        return next((f for f in self.indicators if f.indicator.key == key), None)


def programme_indicators(programme_ids: Iterable[int]) -> dict[int, list[Indicator]]:
    """The indicators of each programme, in order: one query."""
    result: dict[int, list[Indicator]] = defaultdict(list)
    ids = set(programme_ids)
    if ids:
        for indicator in db.session.scalars(
            select(Indicator)
            .where(Indicator.programme_id.in_(ids))
            .order_by(Indicator.programme_id, Indicator.position, Indicator.id)
        ):
            result[indicator.programme_id].append(indicator)
    return result


def figures_of(participations: list[Participation]) -> dict[int, ParticipationFigures]:
    """Each participation's baselines, targets, measurements and costs, by participation id,
    in five queries whatever their number (the participations' rounds must be loaded or
    loadable)."""
    ids = [p.id for p in participations]
    indicators = programme_indicators({p.round.programme_id for p in participations})
    by_key: dict[int, dict[int, IndicatorFigures]] = {
        p.id: {i.id: IndicatorFigures(i) for i in indicators[p.round.programme_id]}
        for p in participations
    }
    costs: dict[int, list[Cost]] = defaultdict(list)
    if ids:
        for baseline in db.session.scalars(
            select(Baseline).where(Baseline.participation_id.in_(ids))
        ):
            slot = by_key[baseline.participation_id].get(baseline.indicator_id)
            if slot:
                slot.baseline = baseline
        for target in db.session.scalars(select(Target).where(Target.participation_id.in_(ids))):
            slot = by_key[target.participation_id].get(target.indicator_id)
            if slot:
                slot.target = target
        for measurement in db.session.scalars(
            select(Measurement)
            .where(Measurement.participation_id.in_(ids))
            .order_by(Measurement.period, Measurement.id)
        ):
            slot = by_key[measurement.participation_id].get(measurement.indicator_id)
            if slot:
                slot.measurements.append(measurement)
        for cost in db.session.scalars(
            select(Cost)
            .where(Cost.participation_id.in_(ids))
            .order_by(Cost.incurred_on, Cost.kind, Cost.category, Cost.id)
        ):
            costs[cost.participation_id].append(cost)
    return {
        p.id: ParticipationFigures(p, list(by_key[p.id].values()), costs[p.id])
        for p in participations
    }


def participation_figures(participation: Participation) -> ParticipationFigures:
    return figures_of([participation])[participation.id]


FRAME_COLUMNS = {
    "baselines": (Baseline, ("indicator_id", "value", "measured_on", "source_note", "quality")),
    "targets": (Target, ("indicator_id", "value", "target_date", "note", "quality")),
    "measurements": (Measurement, ("indicator_id", "period", "value", "note", "quality")),
    "costs": (Cost, ("kind", "category", "incurred_on", "amount", "note")),
}


def figure_frames(round_id: int, participation_ids: list[int] | None = None) -> dict:
    """The figures of a round (or of some of its participations) as four pandas frames,
    ``baselines``, ``targets``, ``measurements`` and ``costs``, each with ``id``,
    ``version``, ``participation_id``, ``municipality_id`` and its own columns: four queries,
    for the import (what is there already) and the exports."""
    import pandas as pd

    frames = {}
    for name, (model, own) in FRAME_COLUMNS.items():
        columns = [model.id, model.version, model.participation_id, model.municipality_id]
        columns += [getattr(model, c) for c in own]
        stmt = (
            select(*columns)
            .join(Participation, Participation.id == model.participation_id)
            .where(Participation.round_id == round_id)
        )
        if participation_ids is not None:
            stmt = stmt.where(model.participation_id.in_(participation_ids))
        result = db.session.execute(stmt)
        frames[name] = pd.DataFrame(result.all(), columns=list(result.keys()), dtype=object)
    return frames
