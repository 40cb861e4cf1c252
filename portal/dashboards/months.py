"""A participation's benefits month by month, on a page of its own (the dashboard links to
it): the stored months for the table, and its own evaluation for how each line's figure in
each month was computed."""

from __future__ import annotations

from dataclasses import dataclass

from portal.benefits.calculation import Evaluation, Member, evaluate_participation
from portal.dashboards.services import RoundInfo
from portal.participations.models import Participation
from portal.results.models import MonthResult
from portal.results.read import months


@dataclass(frozen=True)
class MunicipalityMonths:
    """A participation's benefits month by month: the stored months for the table, and its
    own evaluation for how each line's figure in each month was computed."""

    round: RoundInfo
    evaluation: Evaluation
    months: tuple[MonthResult, ...]

    @property
    def member(self) -> Member:
        return self.evaluation.member


def municipality_months(participation: Participation) -> MunicipalityMonths:
    """Eight queries, whatever the number of months or municipalities."""
    return MunicipalityMonths(
        RoundInfo.of(participation.round),
        evaluate_participation(participation),
        tuple(months(participation.id)),
    )
