"""What the dashboards show, as plain data: a municipality's own dashboard, a community's
members side by side, and a round's national view.

Each builder reads in a fixed number of queries and returns frozen dataclasses a page, a
spreadsheet or a PDF can render alike. The other municipalities' figures (medians, side by
side, totals) come from the stored results (``portal.results.read``: rows, not a
recomputation of every municipality); only a municipality's own dashboard computes its own
benefits with their explanations (``calculation``), whatever the round's size:

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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from portal.benefits.calculation import (
    CommunityTotals,
    Evaluation,
    Member,
    Totals,
    evaluate_participation,
    programme_models,
    round_participations,
)
from portal.benefits.calculation.arithmetic import BenefitResult, Explanation
from portal.benefits.display import (
    Benchmark,
    IndicatorComparison,
    Median,
    compare,
    medians,
    payback_explanation,
)
from portal.participations.models import Community, Participation
from portal.programmes.models import Round
from portal.results.read import (
    community_totals,
    round_figures,
    stored_evaluations,
    stored_totals,
    sum_totals,
)


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
    participation: Participation, *, as_of: date | None = None, medians_version: str | None = None
) -> MunicipalityDashboard:
    """The participation's own figures in full and the round's stored results for the
    medians: ten queries, whatever the number of municipalities or measurements. The
    caller loaded ``participation`` through ``portal.access``; ``medians_version``: see
    ``round_medians``."""
    models = programme_models([participation.round.programme_id])
    own = evaluate_participation(participation, as_of=as_of, models=models)
    found = round_medians(participation.round_id, medians_version)
    community_id = participation.community_id
    benchmarks = tuple(
        Benchmark(
            result,
            *medians_of(found, result.indicator.id, community_id),
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


NO_MEDIAN = medians([], [])


def medians_of(
    found: dict[tuple, Median], indicator_id: int, community_id: int | None
) -> tuple[Median | None, Median]:
    """An indicator's community median (``None`` outside a community) and round median from
    ``round_medians``' answer."""
    community = found.get((indicator_id, community_id), NO_MEDIAN) if community_id else None
    return community, found.get((indicator_id, None), NO_MEDIAN)


def round_medians(round_id: int, version: str | None = None) -> dict[tuple, Median]:
    """Every median a dashboard of the round compares with, from the round's stored rows
    (one query): ``(indicator_id, community_id)`` for a community's, ``(indicator_id,
    None)`` for the round's. The same for every municipality of the round, so with the
    round's results ``version`` (``results.read.version_text``) they are read from the
    round's stored summary when it is of that version (``summary.kept_medians``: one row),
    else worked out from the round's stored rows, and held in this process."""
    if version is None:
        return _round_medians(round_id)
    return _kept_medians(round_id, version)


@lru_cache(maxsize=16)
def _kept_medians(round_id: int, version: str) -> dict[tuple, Median]:
    from portal.dashboards import summary

    kept = summary.kept_medians(round_id, version)
    return kept if kept is not None else _round_medians(round_id)


def _round_medians(round_id: int) -> dict[tuple, Median]:
    figures: dict[tuple, list] = defaultdict(list)
    for indicator_id, community_id, latest, progress in round_figures(round_id):
        figures[indicator_id, None].append((latest, progress))
        if community_id is not None:
            figures[indicator_id, community_id].append((latest, progress))
    return {
        key: medians(
            [r[0] for r in rows if r[0] is not None], [r[1] for r in rows if r[1] is not None]
        )
        for key, rows in figures.items()
    }


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
    """Five queries, whatever the community's size and the number of measurements."""
    evaluations = _ordered(
        stored_evaluations(round_participations(community.round_id, community.id), as_of=as_of)
    )
    return CommunityView(
        RoundInfo.of(community.round),
        community.id,
        community.name,
        tuple(e.member for e in evaluations),
        compare(evaluations, viewer_municipality_id),
        sum_totals(evaluations, stored_totals(e.member.participation_id for e in evaluations)),
    )


@dataclass(frozen=True)
class RoundView:
    round: RoundInfo
    evaluations: tuple[Evaluation, ...]
    indicators: tuple[IndicatorComparison, ...]
    totals: Totals
    communities: tuple[CommunityTotals, ...]


def round_view(round_: Round, *, as_of: date | None = None) -> RoundView:
    """The national view of one round from its stored results: five queries, whatever its
    size. Every count of 1–4 is suppressed (the view may be shown beyond the coordinators)."""
    evaluations = _ordered(stored_evaluations(round_participations(round_.id), as_of=as_of))
    totals = stored_totals(e.member.participation_id for e in evaluations)
    return RoundView(
        RoundInfo.of(round_),
        tuple(evaluations),
        compare(evaluations, None),
        sum_totals(evaluations, totals),
        community_totals(evaluations, totals),
    )
