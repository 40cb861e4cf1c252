"""Where reviewers disagree: per application and criterion the spread of the submitted
scores (highest − lowest), and a flag for discussion when the spread of any criterion reaches
the round's threshold (``Round.disagreement_threshold``, 2 points unless the coordinator
chose otherwise).

Plain data computed from the round's review (``portal.review.overview.round_review``), so the
overview, the ranked list and the XLSX export agree. An application with fewer than two
submitted reviews has no spread and is never flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.audit import services as audit
from portal.db import db
from portal.errors import InvalidInput, check_version
from portal.programmes.models import Round
from portal.review.criteria import CRITERIA
from portal.review.models import Criterion, ReviewStatus
from portal.review.overview import ApplicationRow, ReviewRow, RoundReview

THRESHOLDS = (1, 2, 3, 4)  # on a 1–5 scale no two scores lie further apart than 4
DEFAULT_THRESHOLD = 2


@dataclass(frozen=True)
class CriterionSpread:
    criterion: Criterion
    scores: tuple[int, ...]  # the submitted reviews' scores, in the order they were assigned
    spread: int | None  # highest − lowest; None with fewer than two scores
    flagged: bool


@dataclass(frozen=True)
class Disagreement:
    application_id: int
    criteria: tuple[CriterionSpread, ...]

    @property
    def flagged(self) -> bool:
        return any(c.flagged for c in self.criteria)

    @property
    def max_spread(self) -> int | None:
        spreads = [c.spread for c in self.criteria if c.spread is not None]
        return max(spreads) if spreads else None

    @property
    def flagged_criteria(self) -> list[Criterion]:
        return [c.criterion for c in self.criteria if c.flagged]


def spread(scores: tuple[int, ...]) -> int | None:
    return max(scores) - min(scores) if len(scores) >= 2 else None


def disagreement(row: ApplicationRow, threshold: int) -> Disagreement:
    return from_reviews(row.id, row.reviews, threshold)


def of_application(application_id: int, reviews: list[ReviewRow], round_: Round) -> Disagreement:
    """One application's, from its review rows (the coordinator's application page)."""
    threshold = round_.disagreement_threshold or DEFAULT_THRESHOLD
    return from_reviews(application_id, reviews, threshold)


def from_reviews(application_id: int, reviews: list[ReviewRow], threshold: int) -> Disagreement:
    submitted = [r for r in reviews if r.status == ReviewStatus.SUBMITTED]
    criteria = []
    for info in CRITERIA:
        scores = tuple(
            r.scores[info.criterion] for r in submitted if r.scores[info.criterion] is not None
        )
        value = spread(scores)
        criteria.append(
            CriterionSpread(info.criterion, scores, value, value is not None and value >= threshold)
        )
    return Disagreement(application_id, tuple(criteria))


def disagreements(review: RoundReview) -> dict[int, Disagreement]:
    """Every application of the round's review, by id."""
    threshold = review.round.disagreement_threshold or DEFAULT_THRESHOLD
    return {row.id: disagreement(row, threshold) for row in review.rows}


def flagged_ids(found: dict[int, Disagreement]) -> set[int]:
    return {application_id for application_id, d in found.items() if d.flagged}


def set_threshold(round_: Round, threshold: int, *, actor, version: int | None = None) -> None:
    """The coordinator's choice for the round, audited with before and after."""
    check_version(round_, version, _l("Forløbet"))
    if threshold not in THRESHOLDS:
        raise InvalidInput(_l("Vælg en grænse mellem 1 og 4 point."), field="threshold")
    before = round_.disagreement_threshold
    if before == threshold:
        return
    round_.disagreement_threshold = threshold
    db.session.flush()
    audit.record(
        "disagreement_threshold_updated",
        actor=actor,
        obj=round_,
        round_id=round_.id,
        changes={"disagreement_threshold": [before, threshold]},
    )
