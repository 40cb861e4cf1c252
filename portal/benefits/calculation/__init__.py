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
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from flask import has_app_context
from flask_babel import get_locale

from portal.benefits.calculation import arithmetic
from portal.benefits.calculation.arithmetic import BenefitResult
from portal.benefits.calculation.data import (
    CommunityTotals,
    Evaluation,
    IndicatorInfo,
    IndicatorResult,
    Member,
    RoundEvaluation,
    Totals,
)
from portal.benefits.calculation.loading import (
    LoadedFigures,
    ProgrammeModel,
    load_figures,
    programme_models,
    round_participations,
)
from portal.benefits.calculation.progress import Point, indicator_progress, judged_on
from portal.i18n import local_today
from portal.participations.models import Participation
from portal.programmes.models import Round

BENEFITS_CACHE = 512  # participations' results kept per process


# --- evaluating --------------------------------------------------------------------------------


def member_of(p: Participation) -> Member:
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
    info: IndicatorInfo, figures: LoadedFigures, *, series: bool, as_of: date | None, today: date
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
    figures = load_figures([p.id for p in participations], series=series)
    results = []
    for p in participations:
        model = models[p.round.programme_id]
        mine = figures[p.id]
        day = judged_on(today, p.round.period_end)
        indicators = tuple(
            _indicator_result(info, mine, series=series, as_of=as_of, today=day)
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
                    (p.round.period_start, p.round.period_end),
                    str(get_locale()) if has_app_context() else "da",
                )
            )
        results.append(
            Evaluation(
                member_of(p),
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
    parameters, lines, baselines, periods, costs, override, frequencies, within, _locale = data
    return arithmetic.compute_benefits(
        dict(parameters),
        lines,
        dict(baselines),
        {day: dict(values) for day, values in periods},
        costs,
        hourly_cost_override=override,
        frequencies=dict(frequencies),
        within=within,
    )


def _by_period(model: ProgrammeModel, figures: LoadedFigures) -> dict[date, dict[str, Decimal]]:
    periods: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for info in model.indicators:
        for point in figures.series.get(info.id, ()):
            periods[point.date][info.key] = point.value
    return periods


def evaluate_participation(participation: Participation, **options) -> Evaluation:
    return evaluate([participation], **options)[0]


def community_totals(
    evaluations: Sequence[Evaluation], total=Totals.of
) -> tuple[CommunityTotals, ...]:
    """Per community (the unplaced last), each added up by ``total`` (default: from the
    evaluations' own benefits)."""
    groups: dict[int | None, list[Evaluation]] = defaultdict(list)
    names: dict[int | None, str | None] = {}
    for e in evaluations:
        groups[e.member.community_id].append(e)
        names[e.member.community_id] = e.member.community_name
    ordered = sorted(groups, key=lambda c: (c is None, names[c] or ""))
    return tuple(CommunityTotals(c, names[c], total(groups[c])) for c in ordered)


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
