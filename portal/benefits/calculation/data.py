"""The plain dataclasses an evaluation returns: per participation its member, indicators,
benefit lines and benefits; totals per community, per round and nationally."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.benefits.calculation import arithmetic
from portal.benefits.calculation.arithmetic import BenefitResult
from portal.benefits.calculation.disclosure import is_count
from portal.benefits.calculation.progress import IndicatorProgress, Point, Status

ZERO = Decimal(0)


@dataclass(frozen=True)
class IndicatorInfo:
    """An indicator of the catalogue, as pages and reports show it."""

    id: int
    key: str
    name_da: str
    name_en: str
    unit: str
    direction: str  # higher | lower
    frequency: str  # monthly | quarterly | yearly
    block: str
    unit_en: str = ""

    @property
    def is_count(self) -> bool:
        """A count (``antal``, ``borgere`` …): 1–4 is shown as "< 5" to other municipalities."""
        return is_count(self.unit)


@dataclass(frozen=True)
class LineInfo:
    key: str
    name_da: str
    name_en: str
    kind: str  # hours | kroner
    formula: str
    dis_benefit: bool = False  # a negative effect: its amounts count negative


@dataclass(frozen=True)
class TargetInfo:
    value: Decimal
    date: date
    pessimistic: Decimal | None = None
    optimistic: Decimal | None = None
    quality: str | None = None


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of one participation: its figures, progress, status and projection.

    ``series`` holds every measurement (oldest first), or only the latest when evaluated
    with ``series=False``; ``progress`` is ``None`` without a baseline or a target (then
    ``missing`` says which) and the status is "no data"."""

    indicator: IndicatorInfo
    baseline: Point | None
    target: TargetInfo | None
    series: tuple[Point, ...]
    progress: IndicatorProgress | None
    missing: tuple[str, ...] = ()  # "baseline", "target"
    # Read from the stored results (``results.read``), whose ``series`` is the latest point
    # alone: the marks among all the measurements, and how many measurements carry one.
    series_marks: frozenset[str] = frozenset()
    marked_measurements: int | None = None

    @property
    def latest(self) -> Point | None:
        return self.series[-1] if self.series else None

    @property
    def status(self) -> Status:
        return self.progress.status if self.progress else Status.NO_DATA

    @property
    def progress_value(self) -> Decimal | None:
        return self.progress.progress if self.progress else None

    @property
    def qualities(self) -> set[str]:
        """The quality marks among its baseline, target and measurements."""
        points = [self.baseline, self.target, *self.series]
        return {p.quality for p in points if p is not None and p.quality} | self.series_marks

    @property
    def marked_count(self) -> int:
        """How many of its measurements carry a quality mark."""
        if self.marked_measurements is not None:
            return self.marked_measurements
        return sum(1 for p in self.series if p.quality)


@dataclass(frozen=True)
class Member:
    """Who a participation is: the municipality, its role and community in the round."""

    participation_id: int
    round_id: int
    municipality_id: int
    municipality_code: int
    municipality_name: str
    region: str
    role: str  # lead | participant
    community_id: int | None
    community_name: str | None


@dataclass(frozen=True)
class Evaluation:
    """Benefits and progress of one participation. ``benefits`` is ``None`` when evaluated
    without the series (``evaluate(..., series=False)``)."""

    member: Member
    indicators: tuple[IndicatorResult, ...]
    lines: tuple[LineInfo, ...]
    benefits: BenefitResult | None
    hourly_cost_override: Decimal | None = None
    problems: tuple[str, ...] = ()  # benefit lines whose formula could not be read
    costs: tuple[arithmetic.Cost, ...] = ()  # the recorded costs (with the series)

    def indicator(self, key: str) -> IndicatorResult | None:
        return next((r for r in self.indicators if r.indicator.key == key), None)

    @property
    def marked(self) -> bool:
        """Whether any of its figures is estimated, provisional or revised: a total built on
        it says so."""
        return any(r.qualities for r in self.indicators)

    def line(self, key: str) -> LineInfo | None:
        return next((line for line in self.lines if line.key == key), None)


@dataclass(frozen=True)
class Totals:
    """Benefits added up over participations: FTE is the sum of each one's last 12 months.
    ``municipalities`` counts distinct municipalities (one in two rounds is one)."""

    participations: int = 0
    hours: Decimal = ZERO
    fte_12m: Decimal = ZERO
    gross: Decimal = ZERO
    costs: Decimal = ZERO
    net: Decimal = ZERO
    flagged: int = 0  # participations with a figure missing somewhere
    municipality_ids: frozenset[int] = frozenset()
    marked: int = 0  # participations with an estimated, provisional or revised figure

    @property
    def municipalities(self) -> int:
        return len(self.municipality_ids)

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.participations + other.participations,
            self.hours + other.hours,
            self.fte_12m + other.fte_12m,
            self.gross + other.gross,
            self.costs + other.costs,
            self.net + other.net,
            self.flagged + other.flagged,
            self.municipality_ids | other.municipality_ids,
            self.marked + other.marked,
        )

    @classmethod
    def of(cls, evaluations: Iterable[Evaluation]) -> Totals:
        total = cls()
        for e in evaluations:
            b = e.benefits
            if b is None:
                raise ValueError("totals need evaluations with their benefits (series=True)")
            total += Totals(
                1,
                b.total_hours,
                b.fte_12m or ZERO,
                b.gross,
                b.costs,
                b.net,
                int(bool(b.flags)),
                frozenset({e.member.municipality_id}),
                int(e.marked),
            )
        return total


@dataclass(frozen=True)
class CommunityTotals:
    community_id: int | None  # None: the participations not placed in a community
    name: str | None
    totals: Totals


@dataclass(frozen=True)
class RoundEvaluation:
    round_id: int
    round_slug: str
    evaluations: tuple[Evaluation, ...]
    totals: Totals
    communities: tuple[CommunityTotals, ...]


@dataclass(frozen=True)
class RoundTotals:
    round_id: int
    round_slug: str
    name_da: str
    name_en: str
    programme_name_da: str
    programme_name_en: str
    totals: Totals


@dataclass(frozen=True)
class NationalTotals:
    rounds: tuple[RoundTotals, ...]
    totals: Totals
