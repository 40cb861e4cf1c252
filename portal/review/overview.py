"""A round's review as plain data: every application with its reviews, averages and progress,
whether the round is oversubscribed, and the ranked lists with the capacity line.

One builder (``round_review``) loads the round in a fixed number of queries, whatever its
size; the overview page, the ranked list and the XLSX export all read from it, so they agree.
A round holds at most one application per municipality, so the filtering, sorting and paging
of the overview happen on these rows in Python, with the same Decimal arithmetic everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.applications.models import (
    ApplicantRole,
    Application,
    ApplicationMember,
    ApplicationStatus,
)
from portal.db import db
from portal.pagination import Page, link_args
from portal.programmes.models import Round, RoundStatus
from portal.review.criteria import CRITERIA, weighted_total
from portal.review.models import Criterion, Review, ReviewStatus
from portal.review.permissions import NOT_DRAFT, REVIEWABLE
from portal.review.services import Progress, progress, scores_of


@dataclass
class ReviewRow:
    id: int
    version: int
    reviewer_id: int
    reviewer: str
    reviewer_municipality: str
    status: ReviewStatus
    scores: dict[Criterion, int | None]
    comments: dict[Criterion, str]
    total: Decimal | None  # only for a submitted review
    conflict_note: str
    submitted_at: datetime | None


@dataclass
class CoApplicant:
    municipality_id: int
    name: str
    confirmed: bool


@dataclass
class ApplicationRow:
    id: int
    version: int
    municipality_id: int
    municipality: str
    municipality_code: str
    co_applicants: list[CoApplicant]
    region: str
    role: ApplicantRole
    status: ApplicationStatus
    progress: Progress
    average: Decimal | None  # of the submitted reviews' weighted totals
    decision_reason: str
    decided_at: datetime | None
    reviews: list[ReviewRow] = field(default_factory=list)

    @property
    def confirmed_member_ids(self) -> list[int]:
        return [c.municipality_id for c in self.co_applicants if c.confirmed]

    @property
    def municipality_count(self) -> int:
        """The applicant and its confirmed co-applicants."""
        return 1 + len(self.confirmed_member_ids)

    @property
    def applied(self) -> bool:
        return self.status in REVIEWABLE

    @property
    def scored(self) -> bool:
        return self.average is not None


def review_row(review: Review, round_: Round) -> ReviewRow:
    submitted = review.status == ReviewStatus.SUBMITTED
    reviewer = review.reviewer
    return ReviewRow(
        id=review.id,
        version=review.version,
        reviewer_id=review.reviewer_id,
        reviewer=reviewer.name,
        reviewer_municipality=reviewer.municipality.name if reviewer.municipality else "",
        status=review.status,
        scores=scores_of(review),
        comments={info.criterion: getattr(review, info.comment_attr) for info in CRITERIA},
        total=weighted_total(round_, scores_of(review)) if submitted else None,
        conflict_note=review.conflict_note,
        submitted_at=review.submitted_at,
    )


def average(totals: list[Decimal]) -> Decimal | None:
    return sum(totals, Decimal(0)) / len(totals) if totals else None


def application_row(application: Application, reviews: list[Review], round_: Round):
    rows = [review_row(r, round_) for r in reviews]
    return ApplicationRow(
        id=application.id,
        version=application.version,
        municipality_id=application.municipality_id,
        municipality=application.municipality.name,
        municipality_code=application.municipality.code_display,
        co_applicants=[
            CoApplicant(m.municipality_id, m.municipality.name, m.confirmed_at is not None)
            for m in application.members
        ],
        region=application.municipality.region,
        role=application.role,
        status=application.status,
        progress=progress(reviews),
        average=average([r.total for r in rows if r.total is not None]),
        decision_reason=application.decision_reason,
        decided_at=application.decided_at,
        reviews=rows,
    )


@dataclass
class RoundReview:
    round: Round
    rows: list[ApplicationRow]

    @property
    def progress(self) -> Progress:
        return sum((r.progress for r in self.rows), Progress(0, 0))

    @property
    def regions(self) -> list[str]:
        return sorted({r.region for r in self.rows})


def round_review(round_: Round) -> RoundReview:
    """Every application of the round but drafts, with its reviews: three queries."""
    applications = list(
        db.session.scalars(
            select(Application)
            .options(
                joinedload(Application.municipality),
                selectinload(Application.members).joinedload(ApplicationMember.municipality),
            )
            .where(Application.round_id == round_.id, Application.status.in_(NOT_DRAFT))
        )
    )
    by_application: dict[int, list[Review]] = {a.id: [] for a in applications}
    if applications:
        for review in db.session.scalars(
            select(Review)
            .options(joinedload(Review.reviewer))
            .where(Review.application_id.in_(list(by_application)))
            .order_by(Review.assigned_at, Review.id)
        ):
            by_application[review.application_id].append(review)
    rows = [application_row(a, by_application[a.id], round_) for a in applications]
    rows.sort(key=lambda r: (r.municipality, r.id))
    return RoundReview(round_, rows)


# --- the overview: filters, sorting, paging -------------------------------------------------

LIST_ARGS = ("status", "role", "region", "flagged", "sort")
DEFAULT_SORT = "-score"


def _score_key(row: ApplicationRow):
    return row.average


SORTS = {
    "score": _score_key,
    "name": lambda r: r.municipality.casefold(),
    "status": lambda r: list(ApplicationStatus).index(r.status),
    "role": lambda r: r.role.value,
    "region": lambda r: r.region,
}


def filter_rows(rows: list[ApplicationRow], args: Mapping[str, str]) -> list[ApplicationRow]:
    status, role, region = args.get("status"), args.get("role"), args.get("region")
    return [
        r
        for r in rows
        if (not status or r.status.value == status)
        and (not role or r.role.value == role)
        and (not region or r.region == region)
    ]


def sort_rows(rows: list[ApplicationRow], sort: str | None) -> tuple[list[ApplicationRow], str]:
    """Order by one of ``SORTS`` (``-key`` descending), empty values last either way, the
    municipality's name breaking ties. Returns the rows and the key in effect."""
    key = sort if sort and sort.lstrip("-") in SORTS else DEFAULT_SORT
    descending = key.startswith("-")
    get = SORTS[key.lstrip("-")]
    by_name = sorted(rows, key=lambda r: (r.municipality.casefold(), r.id))
    present = [r for r in by_name if get(r) is not None]
    missing = [r for r in by_name if get(r) is None]
    present.sort(key=get, reverse=descending)  # stable: names stay in order within ties
    return present + missing, key


def overview_page(
    review: RoundReview,
    args: Mapping[str, str],
    page: int,
    per_page: int,
    flagged: set[int] | None = None,
) -> tuple[Page, str]:
    """``flagged``: the applications flagged for discussion, kept alone when the args ask
    for ``flagged`` ("Kun markerede")."""
    rows = filter_rows(review.rows, args)
    if args.get("flagged") and flagged is not None:
        rows = [r for r in rows if r.id in flagged]
    rows, sort = sort_rows(rows, args.get("sort"))
    pages = max(1, math.ceil(len(rows) / per_page))
    number = min(max(1, page or 1), pages)
    items = rows[(number - 1) * per_page : number * per_page]
    return Page(items, number, per_page, len(rows), link_args(args, LIST_ARGS)), sort


# --- the coordinator's list of rounds ---------------------------------------------------------


@dataclass
class RoundSummary:
    round: Round
    applications: int
    progress: Progress


def round_summaries() -> list[RoundSummary]:
    """Every round but drafts, with its application count and review progress: two queries."""
    rounds = list(
        db.session.scalars(
            select(Round)
            .options(joinedload(Round.programme))
            .where(Round.status != RoundStatus.DRAFT)
            .order_by(Round.deadline_at.desc(), Round.id)
        )
    )
    counted = case((Review.status != ReviewStatus.ABSTAINED, 1), else_=0)
    done = case((Review.status == ReviewStatus.SUBMITTED, 1), else_=0)
    stmt = (
        select(
            Application.round_id,
            func.count(func.distinct(Application.id)),
            func.coalesce(func.sum(done), 0),
            func.coalesce(func.sum(counted), 0),
        )
        .outerjoin(Review, Review.application_id == Application.id)
        .where(Application.status.in_(NOT_DRAFT))
        .group_by(Application.round_id)
    )
    figures = {row[0]: row[1:] for row in db.session.execute(stmt)}
    summaries = []
    for round_ in rounds:
        count, done_n, total_n = figures.get(round_.id, (0, 0, 0))
        summaries.append(RoundSummary(round_, count, Progress(int(done_n), int(total_n))))
    return summaries
