"""Assigning reviewers, conflicts of interest and scoring. Services flush; the caller commits.

The rules: only active reviewers, only applications that are submitted or decided, nobody
reviews an application their own municipality is part of, a submitted review is final, and a
reviewer sees the others' scores only once their own is submitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.applications.models import Application, ApplicationStatus
from portal.audit import services as audit
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import NotAllowed, RuleViolations, check_version
from portal.review.criteria import CRITERIA, SCORES, weighted_total
from portal.review.models import Criterion, Review, ReviewStatus
from portal.review.permissions import (
    REVIEWABLE,
    can_manage_review,
    involves,
    is_reviewer,
    reviewer_roles,
)

REVIEW_FIELDS = tuple(
    name for info in CRITERIA for name in (info.score_attr, info.comment_attr)
) + ("status", "conflict_note")


def _snapshot(review: Review) -> dict:
    values = {name: getattr(review, name) for name in REVIEW_FIELDS}
    values["status"] = review.status.value
    return values


def application_title(application: Application) -> str:
    return f"{application.municipality.name} ({application.round.name_da})"


def eligible_reviewers() -> list[User]:
    """Active reviewers and coordinators, by name (for the assign forms)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(reviewer_roles()), User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def assignment_problems(application: Application, reviewer: User) -> list[str]:
    """Why ``reviewer`` may not review ``application`` (empty when they may)."""
    problems: list[str] = []
    if not is_reviewer(reviewer) or not reviewer.active:
        problems.append(_l("%(name)s er ikke en aktiv bedømmer.", name=reviewer.name))
    if application.status not in REVIEWABLE:
        problems.append(
            _l(
                "Ansøgningen fra %(application)s kan ikke bedømmes, fordi den ikke er indsendt.",
                application=application_title(application),
            )
        )
    if involves(application, reviewer.municipality_id):
        problems.append(
            _l(
                "%(name)s kan ikke bedømme ansøgningen fra %(application)s, fordi"
                " %(municipality)s, som bedømmeren er ansat i, er part i ansøgningen.",
                name=reviewer.name,
                application=application_title(application),
                municipality=reviewer.municipality.name,
            )
        )
    return problems


def assign_reviewers(
    applications: Iterable[Application], reviewers: Iterable[User], *, actor
) -> list[Review]:
    """Assign every reviewer to every application: all or nothing, every refusal listed
    (``RuleViolations``). An existing assignment is left as it is. Returns the new ones."""
    applications, reviewers = list(applications), list(reviewers)
    if not applications or not reviewers:
        raise RuleViolations([(None, _l("Vælg mindst én ansøgning og mindst én bedømmer."))])
    problems: list[tuple[str | None, str]] = []
    for application in applications:
        for reviewer in reviewers:
            problems += [(None, p) for p in assignment_problems(application, reviewer)]
    if problems:
        raise RuleViolations(list(dict.fromkeys(problems)))
    existing = {
        (r.application_id, r.reviewer_id)
        for r in db.session.scalars(
            select(Review).where(Review.application_id.in_([a.id for a in applications]))
        )
    }
    created = []
    for application in applications:
        for reviewer in reviewers:
            if (application.id, reviewer.id) in existing:
                continue
            review = Review(application=application, reviewer=reviewer, assigned_by_id=actor.id)
            db.session.add(review)
            db.session.flush()
            audit.record(
                "reviewer_assigned",
                actor=actor,
                obj=review,
                round_id=application.round_id,
                application_id=application.id,
                reviewer=reviewer.email,
            )
            created.append(review)
    return created


def unassign(review: Review, *, actor, version: int | None = None) -> None:
    """Take an assignment back, only while the review is not submitted."""
    check_version(review, version, _l("Bedømmelsen"))
    if review.status == ReviewStatus.SUBMITTED:
        raise NotAllowed(_l("En indsendt bedømmelse kan ikke fjernes."))
    application = review.application
    audit.record(
        "reviewer_unassigned",
        actor=actor,
        obj=review,
        round_id=application.round_id,
        application_id=application.id,
        reviewer=review.reviewer.email,
        before=_snapshot(review),
    )
    db.session.delete(review)
    db.session.flush()


def _check_own_open_review(review: Review, actor) -> None:
    if actor is None or actor.id != review.reviewer_id:
        raise NotAllowed(_l("Kun den tildelte bedømmer kan ændre bedømmelsen."))
    if involves(review.application, actor.municipality_id):
        raise NotAllowed(_l("Du kan ikke bedømme en ansøgning, din egen kommune er part i."))
    if review.status == ReviewStatus.SUBMITTED:
        raise NotAllowed(_l("Bedømmelsen er indsendt og kan ikke ændres."))
    if review.status == ReviewStatus.ABSTAINED:
        raise NotAllowed(_l("Du har erklæret dig inhabil i denne ansøgning."))
    if review.application.status not in REVIEWABLE:
        raise NotAllowed(_l("Ansøgningen kan ikke længere bedømmes."))


def declare_conflict(review: Review, note: str, *, actor, version: int | None = None) -> None:
    """The reviewer declares a conflict of interest and abstains; the note says why."""
    check_version(review, version, _l("Bedømmelsen"))
    note = (note or "").strip()
    if not note:
        raise RuleViolations([("conflict_note", _l("Skriv kort, hvorfor du er inhabil."))])
    if review.status == ReviewStatus.SUBMITTED:
        raise NotAllowed(_l("Bedømmelsen er indsendt og kan ikke ændres."))
    if not (actor is not None and (actor.id == review.reviewer_id or can_manage_review(actor))):
        raise NotAllowed(_l("Kun den tildelte bedømmer kan erklære sig inhabil."))
    before = _snapshot(review)
    review.status = ReviewStatus.ABSTAINED
    review.conflict_note = note
    for info in CRITERIA:
        setattr(review, info.score_attr, None)
    db.session.flush()
    audit.record(
        "review_abstained",
        actor=actor,
        obj=review,
        round_id=review.application.round_id,
        application_id=review.application_id,
        changes=audit.changes(before, _snapshot(review)),
    )


@dataclass
class ScoreData:
    """A reviewer's form: a score (1–5 or None) and a comment per criterion."""

    scores: dict[Criterion, int | None] = field(default_factory=dict)
    comments: dict[Criterion, str] = field(default_factory=dict)


def save_review(
    review: Review, data: ScoreData, *, actor, submit: bool = False, version: int | None = None
) -> Review:
    """Save the reviewer's scores as a draft, or submit them (every criterion scored);
    a submitted review is final. Audited with before and after."""
    check_version(review, version, _l("Bedømmelsen"))
    _check_own_open_review(review, actor)
    problems = []
    for info in CRITERIA:
        score = data.scores.get(info.criterion)
        if score is not None and score not in SCORES:
            problems.append((info.score_attr, _l("Vælg en score fra 1 til 5.")))
        elif submit and score is None:
            problems.append((info.score_attr, _l("Vælg en score, før du indsender bedømmelsen.")))
    if problems:
        raise RuleViolations(problems)
    before = _snapshot(review)
    for info in CRITERIA:
        setattr(review, info.score_attr, data.scores.get(info.criterion))
        setattr(review, info.comment_attr, (data.comments.get(info.criterion) or "").strip())
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = utcnow()
    db.session.flush()
    changes = audit.changes(before, _snapshot(review))
    if changes:
        audit.record(
            "review_submitted" if submit else "review_saved",
            actor=actor,
            obj=review,
            round_id=review.application.round_id,
            application_id=review.application_id,
            changes=changes,
        )
    return review


def scores_of(review: Review) -> dict[Criterion, int | None]:
    return {info.criterion: getattr(review, info.score_attr) for info in CRITERIA}


def review_total(review: Review, round_=None):
    """The reviewer's weighted total (exact Decimal), or None until all three are scored."""
    return weighted_total(round_ or review.application.round, scores_of(review))


def reviews_of(application: Application) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .options(joinedload(Review.reviewer))
            .where(Review.application_id == application.id)
            .order_by(Review.assigned_at, Review.id)
        )
    )


def visible_reviews(application: Application, user: User) -> list[Review]:
    """The reviews ``user`` may read: a coordinator all; a reviewer their own, and the
    others' submitted ones only after submitting their own."""
    reviews = reviews_of(application)
    if can_manage_review(user):
        return reviews
    own = next((r for r in reviews if r.reviewer_id == user.id), None)
    if own is None:
        return []
    if own.status != ReviewStatus.SUBMITTED:
        return [own]
    return [r for r in reviews if r is own or r.status == ReviewStatus.SUBMITTED]


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.done + other.done, self.total + other.total)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def progress(reviews: Iterable[Review]) -> Progress:
    """Submitted of the assigned reviews that are not abstained ("2/3 done")."""
    counted = [r for r in reviews if r.status != ReviewStatus.ABSTAINED]
    return Progress(sum(r.status == ReviewStatus.SUBMITTED for r in counted), len(counted))


def reviews_waiting(user: User) -> list[Review]:
    """The reviews assigned to ``user`` and not yet given (nor declined for a conflict) on
    applications still waiting for a decision: what their home page lists, oldest first."""
    from portal import access

    stmt = access.visible(
        select(Review)
        .join(Application, Application.id == Review.application_id)
        .options(
            joinedload(Review.application).joinedload(Application.municipality),
            joinedload(Review.application).joinedload(Application.round),
        )
        .where(
            Review.reviewer_id == user.id,
            Review.status == ReviewStatus.ASSIGNED,
            Application.status == ApplicationStatus.SUBMITTED,
        )
        .order_by(Review.assigned_at, Review.id),
        user,
    )
    return list(db.session.scalars(stmt))
