"""How a figure is shown, wherever it is shown: status labels, projections and "how it was
computed" in words, medians, an indicator against its community and round, municipalities
side by side with small counts of others suppressed (``disclosure``), and the charts
(``charts``). The dashboards and the reports present these; they do not compute them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.benefits.calculation import (
    Evaluation,
    IndicatorInfo,
    IndicatorResult,
    Member,
)
from portal.benefits.calculation.arithmetic import BenefitResult, Explanation
from portal.benefits.calculation.disclosure import suppress, too_few
from portal.benefits.calculation.progress import Status
from portal.benefits.display import charts
from portal.i18n import local_date, localized, number

HUNDRED = Decimal(100)
STATUS_LABELS = {
    Status.ON_TRACK: _l("På sporet"),
    Status.AT_RISK: _l("I risiko"),
    Status.OFF_TRACK: _l("Bagud"),
    Status.NO_DATA: _l("Mangler data"),
}
STATUSES = tuple(STATUS_LABELS)
# The rules in words (``benefits.progress.status``; the payback in ``benefits.arithmetic``).
STATUS_RULE = _l(
    "på sporet: fremdriften er højst 10 procentpoint efter den andel af tiden, der er gået;"
    " i risiko: højst 25 procentpoint efter; ellers bagud"
)
PAYBACK_RULE = _l(
    "den første måned, hvor den akkumulerede nettogevinst er nået op på 0 kr. efter at have"
    " været negativ"
)


_LABELS: dict[tuple[str, Status], str] = {}


def status_label(status: Status) -> str:
    """The status in the chosen language (remembered: a national view shows hundreds)."""
    key = (str(get_locale()), Status(status))
    if key not in _LABELS:
        _LABELS[key] = str(STATUS_LABELS[key[1]])
    return _LABELS[key]


def indicator_explanations(result: IndicatorResult) -> dict[str, Explanation]:
    """How the progress, the status and the projection of an indicator came about (empty
    without a progress)."""
    p = result.progress
    if p is None:
        return {}
    explanations = {
        "progress": Explanation(
            p.formula,
            (
                ("latest", p.latest.value if p.latest else None),
                ("baseline", p.baseline.value),
                ("target", p.target.value),
            ),
            p.progress,
        ),
        "status": Explanation(
            str(STATUS_RULE),
            (("progress", p.progress), ("elapsed", p.elapsed)),
            None,
            _(
                "%(status)s: den seneste værdi er for gammel; der er gået to hele perioder"
                " uden en ny",
                status=status_label(p.status),
            )
            if p.stale
            else str(status_label(p.status)),
        ),
    }
    if p.projection:
        explanations["projection"] = Explanation(
            p.projection.formula,
            (
                ("slope_per_day", p.projection.slope_per_day),
                ("points", Decimal(p.projection.points)),
                ("target", p.target.value),
            ),
            p.projection.projected,
            p.projection.target_date.isoformat(),
        )
    return explanations


def _net_at(month: date) -> str:
    return _("akkumuleret nettogevinst %(month)s", month=local_date(month, "MMMM yyyy"))


def payback_explanation(benefits: BenefitResult | None) -> Explanation | None:
    """The payback month: the first month whose cumulative net is ≥ 0 after an earlier
    month's was negative; the inputs are the lowest cumulative net and the payback month's."""
    if benefits is None or not benefits.periods:
        return None
    lowest = min(benefits.periods, key=lambda p: p.cumulative_net)
    inputs = [(_net_at(lowest.period), lowest.cumulative_net)]
    reached = benefits.period(benefits.payback) if benefits.payback else None
    if reached:
        inputs.append((_net_at(reached.period), reached.cumulative_net))
    return Explanation(
        str(PAYBACK_RULE),
        tuple(inputs),
        None,
        benefits.payback.isoformat() if benefits.payback else payback_text(benefits),
    )


def payback_text(benefits: BenefitResult | None) -> str:
    """The payback in words that agree with the net: the month, "from the first month" when
    the cumulative net was never negative and ends positive, else "not reached"."""
    if benefits is None or not benefits.periods:
        return "–"
    if benefits.payback:
        return local_date(benefits.payback, "MMMM yyyy")
    if benefits.paid_from_start:
        return _("fra første måned")
    return _("ikke nået")


def projection_text(result: IndicatorResult) -> str | None:
    """ "Forventes at nå målet" or "Forventes at mangle 12,5 borgere"; ``None`` without a
    trend (fewer than two observations on different dates)."""
    projection = result.progress.projection if result.progress else None
    if projection is None:
        return None
    if projection.reaches:
        return _("Forventes at nå målet")
    amount = number(projection.shortfall, 1)
    unit = localized(result.indicator, "unit")
    return _("Forventes at mangle %(amount)s %(unit)s", amount=amount, unit=unit).strip()


@dataclass(frozen=True)
class Median:
    """The median of the latest values and of the progress over a group's municipalities
    (``count``: how many had a latest value, ``progress_count``: a progress)."""

    latest: Decimal | None
    progress: Decimal | None
    count: int
    progress_count: int

    # Fewer than three municipalities behind a median: it is None and shown as "færre end
    # 3 kommuner" (``too_few_text``).
    @property
    def latest_withheld(self) -> bool:
        return too_few(self.count)

    @property
    def progress_withheld(self) -> bool:
        return too_few(self.progress_count)


def _median(values: Sequence[Decimal]) -> Decimal | None:
    return statistics.median(values) if values else None


def median_of(results: Iterable[IndicatorResult]) -> Median:
    """The medians, never computed from fewer than three municipalities (disclosure)."""
    results = list(results)
    return medians(
        [r.latest.value for r in results if r.latest],
        [r.progress_value for r in results if r.progress_value is not None],
    )


def medians(latest: Sequence[Decimal], progress: Sequence[Decimal]) -> Median:
    """The medians of plain values (say a round's stored rows), with the same disclosure."""
    return Median(
        None if too_few(len(latest)) else _median(latest),
        None if too_few(len(progress)) else _median(progress),
        len(latest),
        len(progress),
    )


@dataclass(frozen=True)
class Benchmark:
    """One of the municipality's indicators against its community and its round."""

    own: IndicatorResult
    community: Median | None  # None when the participation is in no community
    round: Median


@dataclass(frozen=True)
class MemberRow:
    """One municipality's figure of one indicator as others see it: ``latest`` is the
    value, or "< 5" for a small count that is not the viewer's own."""

    member: Member
    own: bool
    latest: Decimal | str | None
    latest_date: date | None
    progress: Decimal | None
    status: Status


@dataclass(frozen=True)
class IndicatorComparison:
    indicator: IndicatorInfo
    rows: tuple[MemberRow, ...]
    median: Median
    status_counts: tuple[tuple[Status, int], ...]  # in STATUSES order


def compare(
    evaluations: Sequence[Evaluation], viewer_municipality_id: int | None
) -> tuple[IndicatorComparison, ...]:
    """Per indicator (of the first evaluation's programme) every municipality's row, the
    median and the status counts."""
    if not evaluations:
        return ()
    comparisons = []
    for info in (r.indicator for r in evaluations[0].indicators):
        rows, results = [], []
        for e in evaluations:
            result = e.indicator(info.key)
            if result is None:
                continue
            results.append(result)
            own = e.member.municipality_id == viewer_municipality_id
            rows.append(
                MemberRow(
                    e.member,
                    own,
                    suppress(result.latest.value if result.latest else None, info.unit, own),
                    result.latest.date if result.latest else None,
                    result.progress_value,
                    result.status,
                )
            )
        counts = Counter(r.status for r in rows)
        comparisons.append(
            IndicatorComparison(
                info,
                tuple(rows),
                median_of(results),
                tuple((s, counts.get(s, 0)) for s in STATUSES),
            )
        )
    return tuple(comparisons)


# --- charts ------------------------------------------------------------------------------------


def indicator_svg(result: IndicatorResult) -> Markup:
    """The indicator over time against its target line (for a dashboard or a report)."""
    info = result.indicator
    target = result.target
    return charts.indicator_chart(
        _("%(name)s over tid", name=localized(info, "name")),
        [(p.date, p.value) for p in result.series],
        baseline=(result.baseline.date, result.baseline.value) if result.baseline else None,
        target=(target.date, target.value) if target else None,
        unit=localized(info, "unit"),
        marked=[n for n, p in enumerate(result.series) if p.quality],
    )


def distribution_svg(comparison: IndicatorComparison) -> Markup | None:
    """Each municipality's progress in per cent, lowest first, the median dashed; the
    viewer's own bar marked. ``None`` when no municipality has a progress yet."""
    rows = sorted((r for r in comparison.rows if r.progress is not None), key=lambda r: r.progress)
    if not rows:
        return None
    median = comparison.median.progress
    return charts.distribution_chart(
        _("Fremdrift mod målbilledet: %(name)s", name=localized(comparison.indicator, "name")),
        [
            (r.member.municipality_name, (r.progress * HUNDRED).quantize(Decimal("0.1")))
            for r in rows
        ],
        median=median * HUNDRED if median is not None else None,
        unit="%",
        highlight=next((n for n, r in enumerate(rows) if r.own), None),
    )
