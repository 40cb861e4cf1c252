"""The gate's rules: each is a SQL condition over a model and a test of one loaded object,
and the two must say the same thing (``tests/test_access_gate.py`` checks them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select, true
from sqlalchemy.orm import aliased

from portal.access.reach import is_national, reach_of
from portal.applications.models import (
    Application,
    ApplicationMember,
    ApplicationStatus,
)
from portal.auth.models import User
from portal.db import db
from portal.openresults.models import PublicationConsent
from portal.participations.models import Community, Participation
from portal.programmes.models import Round, RoundStatus
from portal.review.models import Review


@dataclass(frozen=True)
class Rule:
    """``where(user, model)`` narrows a select; ``test(user, obj)`` decides for one object.
    Both must say the same thing; the gate's tests check them against each other."""

    where: Callable[[User, Any], ColumnElement[bool]]
    test: Callable[[User, Any], bool]


def _mine(user: User) -> int | None:
    return user.municipality_id


ALL = Rule(lambda user, model: true(), lambda user, obj: True)
# No rows (combined with another rule: a reviewer's personal notices and nothing shared).
NONE = Rule(lambda user, model: false(), lambda user, obj: False)

# The user's own municipality's rows; a user tied to none sees nothing.
OWN = Rule(
    lambda user, model: (
        model.municipality_id == _mine(user) if _mine(user) is not None else false()
    ),
    lambda user, obj: _mine(user) is not None and obj.municipality_id == _mine(user),
)

# Within the user's reach (``portal.access.reach``): all municipalities' rows, a region's,
# the user's own, or none.
IN_REACH = Rule(
    lambda user, model: reach_of(user).where(model),
    lambda user, obj: reach_of(user).covers(obj.municipality_id),
)


def national_or(rule: Rule) -> Rule:
    """Every row for a national user (a reach of all), the rows ``rule`` grants otherwise."""
    return Rule(
        lambda user, model: true() if is_national(user) else rule.where(user, model),
        lambda user, obj: is_national(user) or rule.test(user, obj),
    )


def involving(municipality_id: int) -> ColumnElement[bool]:
    """The application is the municipality's, as applicant or as co-applicant (also for
    rules that are not about a user: one application per municipality and round)."""
    return or_(
        Application.municipality_id == municipality_id,
        exists().where(
            ApplicationMember.application_id == Application.id,
            ApplicationMember.municipality_id == municipality_id,
        ),
    )


# Applications concern the applicant and its co-applicants (who must read it to confirm).
INVOLVED = Rule(
    lambda user, model: involving(_mine(user)) if _mine(user) is not None else false(),
    lambda user, obj: _mine(user) is not None and _mine(user) in obj.municipality_ids,
)
NATIONAL_OR_INVOLVED = national_or(INVOLVED)

# Drafts are the municipality's own business: the review sees the rest.
NOT_DRAFT_STATUSES = tuple(s for s in ApplicationStatus if s != ApplicationStatus.DRAFT)
SUBMITTED = Rule(
    lambda user, model: Application.status.in_(NOT_DRAFT_STATUSES),
    lambda user, obj: obj.status != ApplicationStatus.DRAFT,
)


def _assigned_where(user: User, model) -> ColumnElement[bool]:
    clause = and_(
        exists().where(Review.application_id == Application.id, Review.reviewer_id == user.id),
        Application.status.in_(NOT_DRAFT_STATUSES),
    )
    if _mine(user) is not None:
        clause = and_(clause, not_(involving(_mine(user))))
    return clause


def _assigned_test(user: User, obj: Application) -> bool:
    if obj.status == ApplicationStatus.DRAFT or (
        _mine(user) is not None and _mine(user) in obj.municipality_ids
    ):
        return False
    return db.session.scalar(
        select(exists().where(Review.application_id == obj.id, Review.reviewer_id == user.id))
    )


# A reviewer's applications: assigned to them, submitted, and never one their own
# municipality is part of (even if such an assignment reached the database by another road).
ASSIGNED = Rule(_assigned_where, _assigned_test)


def _own_review_where(user: User, model) -> ColumnElement[bool]:
    clause = Review.reviewer_id == user.id
    if _mine(user) is not None:
        # Not correlated: the select may or may not join the application already.
        involved = select(Application.id).where(involving(_mine(user))).correlate(None)
        clause = and_(clause, Review.application_id.not_in(involved))
    return clause


OWN_REVIEW = Rule(
    _own_review_where,
    lambda user, obj: (
        obj.reviewer_id == user.id
        and (_mine(user) is None or _mine(user) not in obj.application.municipality_ids)
    ),
)


def _member_where(user: User, model) -> ColumnElement[bool]:
    if _mine(user) is None:
        return false()
    return exists().where(
        Participation.community_id == Community.id, Participation.municipality_id == _mine(user)
    )


def _member_test(user: User, obj: Community) -> bool:
    return _mine(user) is not None and db.session.scalar(
        select(
            exists().where(
                Participation.community_id == obj.id,
                Participation.municipality_id == _mine(user),
            )
        )
    )


# A community is read by its members' users.
MEMBER = Rule(_member_where, _member_test)


def _community_of(model):
    """The row's community: a participation's own, or its participation's."""
    if model is Participation:
        return Participation.community_id
    theirs = aliased(Participation)
    return select(theirs.community_id).where(theirs.id == model.participation_id).scalar_subquery()


def _fellow_where(user: User, model) -> ColumnElement[bool]:
    if _mine(user) is None:
        return false()
    mine = aliased(Participation)
    communities = select(mine.community_id).where(
        mine.municipality_id == _mine(user), mine.community_id.is_not(None)
    )
    return _community_of(model).in_(communities)


def _fellow_test(user: User, obj) -> bool:
    participation = obj if isinstance(obj, Participation) else obj.participation
    community_id = participation.community_id
    return (
        _mine(user) is not None
        and community_id is not None
        and db.session.scalar(
            select(
                exists().where(
                    Participation.community_id == community_id,
                    Participation.municipality_id == _mine(user),
                )
            )
        )
    )


# A participation (or its payments, its figures) of a community the user's municipality is a
# member of: what a member sees of another member (``policies``: report audiences).
FELLOW = Rule(_fellow_where, _fellow_test)


def either(first: Rule, second: Rule) -> Rule:
    """The rows either rule grants."""
    return Rule(
        lambda user, model: or_(first.where(user, model), second.where(user, model)),
        lambda user, obj: bool(first.test(user, obj) or second.test(user, obj)),
    )


NATIONAL_OR_MEMBER = national_or(MEMBER)

# Rounds in draft are the coordinators' (and admins') until they open.
PUBLISHED = Rule(
    lambda user, model: Round.status != RoundStatus.DRAFT,
    lambda user, obj: obj.status != RoundStatus.DRAFT,
)


# A notice or a job meant for one user (``user_id``) is theirs alone.
PERSONAL = Rule(
    lambda user, model: model.user_id == user.id,
    lambda user, obj: obj.user_id == user.id,
)


def personal_or(rule: Rule) -> Rule:
    """A user's own rows (``user_id`` is theirs), and the shared rows (no ``user_id``) as
    ``rule`` says."""
    return Rule(
        lambda user, model: or_(
            model.user_id == user.id, and_(model.user_id.is_(None), rule.where(user, model))
        ),
        lambda user, obj: (
            obj.user_id == user.id
            if getattr(obj, "user_id", None) is not None
            else rule.test(user, obj)
        ),
    )


def _participation_of(model):
    return model.id if model is Participation else model.participation_id


def _consented_where(user: User, model) -> ColumnElement[bool]:
    return exists().where(
        PublicationConsent.participation_id == _participation_of(model),
        PublicationConsent.published.is_(True),
    )


def _consented_test(user: User, obj) -> bool:
    participation_id = obj.id if isinstance(obj, Participation) else obj.participation_id
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    PublicationConsent.participation_id == participation_id,
                    PublicationConsent.published.is_(True),
                )
            )
        )
    )


# A participation (or its figures) whose municipality's leadership agreed to publish it
# (``openresults``): what the public reads. Reads nothing of the user.
CONSENTED = Rule(_consented_where, _consented_test)


def of_application(rule: Rule) -> Rule:
    """The rows of an application (``application_id``) that ``rule`` grants on the
    application itself: a reviewer reads the submitted versions of an application assigned
    to them, and nothing else of it."""
    return Rule(
        lambda user, model: model.application_id.in_(
            select(Application.id).where(rule.where(user, Application)).correlate(None)
        ),
        lambda user, obj: bool(rule.test(user, obj.application)),
    )
