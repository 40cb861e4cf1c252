"""Is the round oversubscribed, and the ranked lists with the capacity line, computed from
the round's review data (``portal.review.overview.round_review``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from portal.applications.models import ApplicantRole, ApplicationStatus
from portal.review.overview import ApplicationRow, RoundReview


@dataclass
class Capacity:
    """The figures behind "is the round oversubscribed?", explained on the page in words."""

    participants_applied: int  # municipalities: participant applicants and every co-applicant
    leads_applied: int
    leads_approved: int
    community_min: int
    community_max: int
    participant_pool: int | None

    @property
    def counts_approved_leads(self) -> bool:
        return self.leads_approved > 0

    @property
    def leads_counted(self) -> int:
        return self.leads_approved if self.leads_approved else self.leads_applied

    @property
    def capacity(self) -> int:
        """Participants the communities can take: leads × the largest community."""
        return self.leads_counted * self.community_max

    @property
    def communities_fillable(self) -> int:
        """Communities the participants can fill: participants ÷ the smallest community,
        rounded down, and at least one when there are participants at all."""
        if not self.participants_applied:
            return 0
        return max(1, self.participants_applied // self.community_min)

    @property
    def participants_over(self) -> bool:
        return self.participants_applied > self.capacity

    @property
    def leads_over(self) -> bool:
        return self.leads_applied > self.communities_fillable

    @property
    def oversubscribed(self) -> bool:
        return self.participants_over or self.leads_over

    @property
    def pool_share(self) -> int | None:
        """The pool divided among every participant that applied, in whole kroner."""
        if self.participant_pool is None or not self.participants_applied:
            return None
        return self.participant_pool // self.participants_applied


def capacity(review: RoundReview) -> Capacity:
    """Count municipalities, not applications: a joint application brings its confirmed
    co-applicants, and the co-applicants of a lead's application are participants too."""
    round_ = review.round
    participants: set[int] = set()
    leads_applied = leads_approved = 0
    for row in review.rows:
        if not row.applied:
            continue
        participants.update(row.confirmed_member_ids)
        if row.role == ApplicantRole.LEAD:
            leads_applied += 1
            leads_approved += row.status == ApplicationStatus.APPROVED
        else:
            participants.add(row.municipality_id)
    return Capacity(
        participants_applied=len(participants),
        leads_applied=leads_applied,
        leads_approved=leads_approved,
        community_min=round_.community_min,
        community_max=round_.community_max,
        participant_pool=round_.participant_pool,
    )


# --- the ranked lists ------------------------------------------------------------------------


@dataclass
class Ranked:
    rank: int | None  # None: no submitted review yet
    row: ApplicationRow
    cumulative: int  # municipalities (participants) or communities (leads) so far
    fits: bool


@dataclass
class RankedList:
    role: ApplicantRole
    capacity: int
    entries: list[Ranked]

    @property
    def line_after(self) -> int:
        """Index of the last entry that fits (-1: none does); the line is drawn below it."""
        return max((i for i, e in enumerate(self.entries) if e.fits), default=-1)


Score = Callable[[ApplicationRow], Decimal | None]


def raw_score(row: ApplicationRow) -> Decimal | None:
    return row.average


def rank(
    rows: list[ApplicationRow], role: ApplicantRole, capacity_units: int, score: Score = raw_score
) -> RankedList:
    """Highest score first (the average unless another ``score`` is given; equal scores share
    a rank), applications without one last; the capacity line after the last that fits."""
    candidates = [r for r in rows if r.role == role and r.applied]
    by_name = sorted(candidates, key=lambda r: (r.municipality.casefold(), r.id))
    scored = sorted((r for r in by_name if score(r) is not None), key=score, reverse=True)
    unscored = [r for r in by_name if score(r) is None]
    entries: list[Ranked] = []
    cumulative = 0
    previous: tuple[Decimal, int] | None = None
    for position, row in enumerate(scored + unscored, start=1):
        cumulative += row.municipality_count if role == ApplicantRole.PARTICIPANT else 1
        number = None
        value = score(row)
        if value is not None:
            number = previous[1] if previous and previous[0] == value else position
            previous = (value, number)
        entries.append(Ranked(number, row, cumulative, cumulative <= capacity_units))
    return RankedList(role, capacity_units, entries)


def ranked_lists(
    review: RoundReview, cap: Capacity | None = None, score: Score = raw_score
) -> list[RankedList]:
    cap = cap or capacity(review)
    return [
        rank(review.rows, ApplicantRole.LEAD, cap.communities_fillable, score),
        rank(review.rows, ApplicantRole.PARTICIPANT, cap.capacity, score),
    ]


def rank_numbers(review: RoundReview) -> dict[int, int | None]:
    """Each application's rank within its role (for the export)."""
    return {e.row.id: e.rank for ranked in ranked_lists(review) for e in ranked.entries}
