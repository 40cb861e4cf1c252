"""Calibration of a round's reviewers: who scores high or low, and a normalised score per
application that evens that out. Shown beside the raw average, never instead of it.

What counts: the submitted reviews of the round's applications that are submitted or decided
(drafts and withdrawn applications are not ranked, so they do not count).

The method, per criterion c (the page explains it in Danish, "Sådan er det beregnet"):

1. The round's mean M_c and standard deviation S_c of every counted score of c.
2. Each reviewer r's mean m_rc and standard deviation s_rc of their own scores of c.
3. A score x becomes z = (x − m_rc) ÷ s_rc (how far above the reviewer's own habit it lies),
   and is mapped back onto the scale: n = M_c + z × S_c. A reviewer who gave every
   application the same score of c (s_rc = 0) says nothing about their order: n = M_c.
   The normalised scores are not clipped to 1–5.
4. A review's normalised total is Σ weight_c × n_c ÷ Σ weights (as the raw total), and an
   application's normalised score is the mean of its reviews' normalised totals.

Standard deviations are population ones (divide by the number of scores): they describe the
scores given, they do not estimate anything. A reviewer with fewer than ``MIN_REVIEWS``
counted reviews has too little to standardise against; an application any of whose reviews
is theirs gets no normalised score, and the page names the reviewer. Arithmetic in Decimal
(28 significant digits; the square roots are the only inexact step); rounding at display.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from portal.review.criteria import CRITERIA, round_score, weights
from portal.review.models import Criterion, ReviewStatus
from portal.review.overview import ApplicationRow, ReviewRow, RoundReview

MIN_REVIEWS = 3


def mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def deviation(values: list[Decimal]) -> Decimal | None:
    """Population standard deviation: √(Σ (x − mean)² ÷ n)."""
    middle = mean(values)
    if middle is None:
        return None
    return (sum(((v - middle) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


@dataclass(frozen=True)
class Spread:
    mean: Decimal
    deviation: Decimal


def spread_of(values: list[Decimal]) -> Spread | None:
    if not values:
        return None
    return Spread(mean(values), deviation(values))  # type: ignore[arg-type]


@dataclass
class ReviewerCalibration:
    reviewer_id: int
    name: str
    municipality: str
    reviews: int
    mean: Decimal | None  # of their weighted totals
    deviation: Decimal | None  # of their weighted totals
    shared: int  # applications someone else scored too
    difference: Decimal | None  # mean of (own total − the others' mean total) on those
    criteria: dict[Criterion, Spread] = field(default_factory=dict)

    @property
    def enough(self) -> bool:
        return self.reviews >= MIN_REVIEWS

    @property
    def leaning(self) -> str | None:
        """The reviewer scores "strict" or "lenient" against the others, when the difference
        shows at two decimals; None when it does not (or nobody else scored the same)."""
        rounded = round_score(self.difference)
        if not rounded:
            return None
        return "lenient" if rounded > 0 else "strict"


@dataclass
class Calibration:
    round_criteria: dict[Criterion, Spread]
    reviewers: list[ReviewerCalibration]
    review_totals: dict[int, Decimal | None]  # review id → normalised weighted total
    normalised: dict[int, Decimal | None]  # application id → normalised score
    too_few: dict[int, list[ReviewerCalibration]]  # application id → who has too few reviews

    def score(self, row: ApplicationRow) -> Decimal | None:
        return self.normalised.get(row.id)

    @property
    def reviewers_too_few(self) -> list[ReviewerCalibration]:
        return [r for r in self.reviewers if not r.enough]


def counted(review: RoundReview) -> list[tuple[ApplicationRow, list[ReviewRow]]]:
    """The ranked applications with their submitted reviews."""

    def done(r: ReviewRow) -> bool:
        return r.status == ReviewStatus.SUBMITTED and r.total is not None

    return [(row, [r for r in row.reviews if done(r)]) for row in review.rows if row.applied]


def normalise(x: int, own: Spread, pool: Spread) -> Decimal:
    """One score onto the round's scale: M + (x − m) ÷ s × S (M when s is 0)."""
    if not own.deviation:
        return pool.mean
    return pool.mean + (Decimal(x) - own.mean) / own.deviation * pool.deviation


def _difference(reviews: list[tuple[ReviewRow, list[ReviewRow]]]) -> tuple[int, Decimal | None]:
    differences = [
        own.total - mean([o.total for o in others])  # type: ignore[operator]
        for own, others in reviews
        if others
    ]
    return len(differences), mean(differences)


def calibrate(review: RoundReview) -> Calibration:
    rows = counted(review)
    w = weights(review.round)
    total_weight = Decimal(sum(w.values()))
    pool: dict[Criterion, list[Decimal]] = defaultdict(list)
    by_reviewer: dict[int, list[tuple[ReviewRow, list[ReviewRow]]]] = defaultdict(list)
    for _row, reviews in rows:
        for r in reviews:
            for info in CRITERIA:
                pool[info.criterion].append(Decimal(r.scores[info.criterion]))
            by_reviewer[r.reviewer_id].append((r, [o for o in reviews if o.id != r.id]))
    round_criteria = {c: spread_of(v) for c, v in pool.items()}
    reviewers: dict[int, ReviewerCalibration] = {}
    for reviewer_id, own in by_reviewer.items():
        first = own[0][0]
        totals = [r.total for r, _others in own]
        shared, difference = _difference(own)
        reviewers[reviewer_id] = ReviewerCalibration(
            reviewer_id=reviewer_id,
            name=first.reviewer,
            municipality=first.reviewer_municipality,
            reviews=len(own),
            mean=mean(totals),  # type: ignore[arg-type]
            deviation=deviation(totals),  # type: ignore[arg-type]
            shared=shared,
            difference=difference,
            criteria={
                info.criterion: spread_of(
                    [Decimal(r.scores[info.criterion]) for r, _o in own]  # type: ignore[arg-type]
                )
                for info in CRITERIA
            },
        )
    review_totals: dict[int, Decimal | None] = {}
    normalised: dict[int, Decimal | None] = {}
    too_few: dict[int, list[ReviewerCalibration]] = {}
    for row, reviews in rows:
        for r in reviews:
            who = reviewers[r.reviewer_id]
            review_totals[r.id] = (
                sum(
                    (
                        w[info.criterion]
                        * normalise(
                            r.scores[info.criterion],  # type: ignore[arg-type]
                            who.criteria[info.criterion],
                            round_criteria[info.criterion],
                        )
                        for info in CRITERIA
                    ),
                    Decimal(0),
                )
                / total_weight
                if who.enough
                else None
            )
        short = [reviewers[r.reviewer_id] for r in reviews if not reviewers[r.reviewer_id].enough]
        if short:
            too_few[row.id] = short
        normalised[row.id] = (
            None if short or not reviews else mean([review_totals[r.id] for r in reviews])  # type: ignore[misc]
        )
    ordered = sorted(reviewers.values(), key=lambda r: (r.name.casefold(), r.reviewer_id))
    return Calibration(round_criteria, ordered, review_totals, normalised, too_few)
