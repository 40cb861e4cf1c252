"""What the dashboards show, as plain data: a municipality's own dashboard, a community's
members side by side, and a round's national view.

Each builder reads in a fixed number of queries (``calculation``) and returns frozen
dataclasses a page, a spreadsheet or a PDF can render alike:

- ``municipality_dashboard(participation)``: its indicators (figures, progress, status,
  projection), its benefits with their explanations, and each indicator against the
  community's and the round's median. Its own figures are exact.
- ``community_view(community, viewer_municipality_id)``: per indicator each member's latest
  value, progress and status, with the median; the community's total benefits.
- ``round_view(round_)``: per indicator every participation, the median and the status
  counts; the round's total benefits, and per community.

How each figure is shown (labels, medians, comparisons with small counts suppressed,
charts) is ``portal.benefits.display``'s, shared with the reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from portal.benefits.arithmetic import BenefitResult, Explanation
from portal.benefits.calculation import (
    CommunityTotals,
    Evaluation,
    IndicatorResult,
    Member,
    Totals,
    community_totals,
    evaluate,
    evaluate_participation,
    programme_models,
    round_participations,
)
from portal.benefits.display import (
    Benchmark,
    IndicatorComparison,
    compare,
    median_of,
    payback_explanation,
)
from portal.participations.models import Community, Participation
from portal.programmes.models import Round


@dataclass(frozen=True)
class RoundInfo:
    id: int
    slug: str
    name_da: str
    name_en: str
    programme_name_da: str
    programme_name_en: str
    period_start: date
    period_end: date

    @classmethod
    def of(cls, round_: Round) -> RoundInfo:
        p = round_.programme
        return cls(
            round_.id,
            round_.slug,
            round_.name_da,
            round_.name_en,
            p.name_da,
            p.name_en,
            round_.period_start,
            round_.period_end,
        )


@dataclass(frozen=True)
class MunicipalityDashboard:
    round: RoundInfo
    evaluation: Evaluation
    benchmarks: tuple[Benchmark, ...]
    community_id: int | None
    community_name: str | None

    @property
    def member(self) -> Member:
        return self.evaluation.member

    @property
    def benefits(self) -> BenefitResult:
        return self.evaluation.benefits

    @property
    def payback_explanation(self) -> Explanation | None:
        return payback_explanation(self.benefits)


def municipality_dashboard(
    participation: Participation, *, as_of: date | None = None
) -> MunicipalityDashboard:
    """The participation's own figures in full and the round's latest values for the
    medians: ten queries, whatever the number of municipalities or measurements. The
    caller loaded ``participation`` through ``portal.access``."""
    models = programme_models([participation.round.programme_id])
    own = evaluate_participation(participation, as_of=as_of, models=models)
    others = evaluate(
        round_participations(participation.round_id), series=False, as_of=as_of, models=models
    )
    community = [e for e in others if e.member.community_id == participation.community_id]
    benchmarks = tuple(
        Benchmark(
            result,
            median_of(_results(community, result.indicator.key))
            if participation.community_id
            else None,
            median_of(_results(others, result.indicator.key)),
        )
        for result in own.indicators
    )
    return MunicipalityDashboard(
        RoundInfo.of(participation.round),
        own,
        benchmarks,
        participation.community_id,
        participation.community.name if participation.community else None,
    )


def _results(evaluations: Iterable[Evaluation], key: str) -> list[IndicatorResult]:
    return [r for e in evaluations if (r := e.indicator(key)) is not None]


@dataclass(frozen=True)
class CommunityView:
    round: RoundInfo
    community_id: int
    name: str
    members: tuple[Member, ...]  # lead first, then by name
    indicators: tuple[IndicatorComparison, ...]
    totals: Totals


def _ordered(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    return sorted(evaluations, key=lambda e: (e.member.role != "lead", e.member.municipality_name))


def community_view(
    community: Community, viewer_municipality_id: int | None, *, as_of: date | None = None
) -> CommunityView:
    """Seven queries, whatever the community's size and the number of measurements."""
    evaluations = _ordered(
        evaluate(round_participations(community.round_id, community.id), as_of=as_of)
    )
    return CommunityView(
        RoundInfo.of(community.round),
        community.id,
        community.name,
        tuple(e.member for e in evaluations),
        compare(evaluations, viewer_municipality_id),
        Totals.of(evaluations),
    )


@dataclass(frozen=True)
class RoundView:
    round: RoundInfo
    evaluations: tuple[Evaluation, ...]
    indicators: tuple[IndicatorComparison, ...]
    totals: Totals
    communities: tuple[CommunityTotals, ...]


def round_view(round_: Round, *, as_of: date | None = None) -> RoundView:
    """The national view of one round: seven queries, whatever its size. Every count of 1–4
    is suppressed (the view may be shown beyond the coordinators)."""
    evaluations = _ordered(evaluate(round_participations(round_.id), as_of=as_of))
    return RoundView(
        RoundInfo.of(round_),
        tuple(evaluations),
        compare(evaluations, None),
        Totals.of(evaluations),
        community_totals(evaluations),
    )
