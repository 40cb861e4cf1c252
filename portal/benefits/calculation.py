"""Benefits and progress from the recorded figures, for one participation or many at once.

``evaluate(participations)`` loads what the arithmetic needs — the programmes' indicators
and benefit lines, the baselines, targets, measurements and costs — in a fixed number of
queries whatever the number of participations or measurements (one per kind of row, never
one per participation), compiles each programme's formulas once, and returns plain
dataclasses: per participation its benefits (``arithmetic.compute_benefits``, with the
municipality's own hourly cost when it has one) and per indicator its progress, status and
projection (``progress.indicator_progress``).

With ``series=False`` only each indicator's latest measurement is read (one query, whatever
the number of periods) and no benefits are computed: enough for the medians a dashboard
compares with. ``Totals`` add benefits up per community, per round and nationally.

Callers pass participations they loaded through the access gate
(``portal.access``); ``round_participations`` loads a
round's (or a community's) with what the arithmetic reads already joined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from flask import has_app_context
from flask_babel import get_locale
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from portal.benefits import arithmetic
from portal.benefits.arithmetic import BenefitResult, Line
from portal.benefits.disclosure import is_count
from portal.benefits.models import Baseline, Cost, Measurement, Target
from portal.benefits.progress import IndicatorProgress, Point, Status, indicator_progress
from portal.db import db
from portal.i18n import local_today
from portal.participations.models import Participation
from portal.programmes.formulas import FormulaError, parse_formula
from portal.programmes.models import BenefitLine, Indicator, Round

ZERO = Decimal(0)
BENEFITS_CACHE = 512  # participations' results kept per process


# --- plain data --------------------------------------------------------------------------------


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
        return {p.quality for p in points if p is not None and p.quality}


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


# --- loading -----------------------------------------------------------------------------------


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
class _Figures:
    baselines: dict = field(default_factory=dict)  # indicator id → Point
    targets: dict = field(default_factory=dict)  # indicator id → TargetInfo
    series: dict = field(default_factory=lambda: defaultdict(list))  # indicator id → [Point]
    costs: list = field(default_factory=list)  # arithmetic.Cost


def _quality(value) -> str | None:
    return getattr(value, "value", value)


def _load_figures(ids: list[int], *, series: bool) -> dict[int, _Figures]:
    """Three queries (latest only) or four (every measurement, and the costs)."""
    figures: dict[int, _Figures] = defaultdict(_Figures)
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
        for pid, kind, category, day, amount in db.session.execute(
            select(Cost.participation_id, Cost.kind, Cost.category, Cost.incurred_on, Cost.amount)
            .where(Cost.participation_id.in_(ids))
            .order_by(Cost.incurred_on, Cost.id)
        ):
            figures[pid].costs.append(arithmetic.Cost(day, amount, kind.value, category))
    return figures


# --- evaluating --------------------------------------------------------------------------------


def _member(p: Participation) -> Member:
    m = p.municipality
    return Member(
        participation_id=p.id,
        round_id=p.round_id,
        municipality_id=p.municipality_id,
        municipality_code=m.code,
        municipality_name=m.name,
        region=m.region or "",
        role=p.role.value,
        community_id=p.community_id,
        community_name=p.community.name if p.community else None,
    )


def _indicator_result(
    info: IndicatorInfo, figures: _Figures, *, series: bool, as_of: date | None, today: date
) -> IndicatorResult:
    baseline = figures.baselines.get(info.id)
    target = figures.targets.get(info.id)
    points = tuple(sorted(figures.series.get(info.id, ()), key=lambda p: p.date))
    missing = tuple(
        name for name, there in (("baseline", baseline), ("target", target)) if there is None
    )
    result = None
    if not missing:
        result = indicator_progress(
            info.direction,
            baseline,
            Point(target.date, target.value),
            points,
            as_of=as_of,
            frequency=info.frequency,
            today=today,
        )
        if not series:  # a trend through the latest point alone would mislead
            result = replace(result, projection=None)
    return IndicatorResult(info, baseline, target, points, result, missing)


def evaluate(
    participations: Sequence[Participation],
    *,
    series: bool = True,
    as_of: date | None = None,
    models: dict[int, ProgrammeModel] | None = None,
    today: date | None = None,
) -> list[Evaluation]:
    """Benefits and progress of each participation, in the order given.

    Queries: two for the programmes (none when ``models`` is passed, from
    ``programme_models``), then three (``series=False``: baselines, targets, latest
    measurements) or four (baselines, targets, measurements, costs) — whatever the number of
    participations and measurements. The participations' round, municipality and community
    must be loaded or loadable (``round_participations`` joins them).
    ``as_of``: judge the status on that day (default: at each indicator's latest measurement).
    ``today``: the day that decides whether a latest value is too old to judge by (default:
    today in Denmark; ``progress.is_stale``).
    """
    today = today or local_today()
    if models is None:
        models = programme_models({p.round.programme_id for p in participations}, lines=series)
    figures = _load_figures([p.id for p in participations], series=series)
    results = []
    for p in participations:
        model = models[p.round.programme_id]
        mine = figures[p.id]
        indicators = tuple(
            _indicator_result(info, mine, series=series, as_of=as_of, today=today)
            for info in model.indicators
        )
        benefits = None
        if series:
            benefits = _benefits(
                (
                    tuple(sorted((k, str(v)) for k, v in (p.round.parameters or {}).items())),
                    tuple(model.lines),
                    tuple(
                        (info.key, mine.baselines[info.id].value)
                        for info in model.indicators
                        if info.id in mine.baselines
                    ),
                    tuple(
                        (day, tuple(values.items()))
                        for day, values in sorted(_by_period(model, mine).items())
                    ),
                    tuple(mine.costs),
                    p.hourly_cost_override,
                    tuple(model.frequencies.items()),
                    str(get_locale()) if has_app_context() else "da",
                )
            )
        results.append(
            Evaluation(
                _member(p),
                indicators,
                tuple(model.line_infos),
                benefits,
                p.hourly_cost_override,
                tuple(model.problems),
                tuple(mine.costs),
            )
        )
    return results


@lru_cache(maxsize=BENEFITS_CACHE)
def _benefits(data: tuple) -> BenefitResult:
    """``compute_benefits`` remembered by its inputs (and the language of its explanations):
    a page shown again, or a round where one municipality changed a figure, recomputes only
    what changed. The key is the data itself, so a changed figure can never hit an old
    result."""
    parameters, lines, baselines, periods, costs, override, frequencies, _locale = data
    return arithmetic.compute_benefits(
        dict(parameters),
        lines,
        dict(baselines),
        {day: dict(values) for day, values in periods},
        costs,
        hourly_cost_override=override,
        frequencies=dict(frequencies),
    )


def _by_period(model: ProgrammeModel, figures: _Figures) -> dict[date, dict[str, Decimal]]:
    periods: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for info in model.indicators:
        for point in figures.series.get(info.id, ()):
            periods[point.date][info.key] = point.value
    return periods


def evaluate_participation(participation: Participation, **options) -> Evaluation:
    return evaluate([participation], **options)[0]


def community_totals(evaluations: Sequence[Evaluation]) -> tuple[CommunityTotals, ...]:
    groups: dict[int | None, list[Evaluation]] = defaultdict(list)
    names: dict[int | None, str | None] = {}
    for e in evaluations:
        groups[e.member.community_id].append(e)
        names[e.member.community_id] = e.member.community_name
    ordered = sorted(groups, key=lambda c: (c is None, names[c] or ""))
    return tuple(CommunityTotals(c, names[c], Totals.of(groups[c])) for c in ordered)


def evaluate_round(round_: Round, *, as_of: date | None = None) -> RoundEvaluation:
    """Every participation of the round with its benefits, the round's totals and each
    community's: eight queries whatever the round's size."""
    evaluations = evaluate(round_participations(round_.id), as_of=as_of)
    return RoundEvaluation(
        round_.id,
        round_.slug,
        tuple(evaluations),
        Totals.of(evaluations),
        community_totals(evaluations),
    )
