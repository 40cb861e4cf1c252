"""The access gate: the one place that answers "which rows may this user read or change".

Every model that a municipality owns has a policy here: for each action (``read``,
``change``, and a few named ones such as ``review``) the roles it grants and, for each role,
a rule that is both a SQL condition (``visible`` narrows a select) and a test of one loaded
object (``allows``). A role a policy does not name gets nothing — reviewers included — so a
new role or a new model is shut out until someone writes down what it may see (NetBox's
``restrict(user, action)``, redash's ``get_by_id_and_org``). ``tests/test_access_gate.py``
fails when a model with a ``municipality_id`` column has no policy, and the sweep in
``tests/test_url_map_sweep.py`` tries every route against every role.

Out-of-scope ids answer 404, not 403, so the ids of other municipalities reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, exists, false, not_, or_, select, true

from portal.applications.models import (
    Application,
    ApplicationMember,
    ApplicationStatus,
    DeadlineExtension,
)
from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.benefits.models import Baseline, Cost, FigureVersion, Measurement, Target
from portal.db import db, valid_id
from portal.jobs.models import Job
from portal.notifications.models import Notification, OutboxMessage
from portal.participations.models import Community, Disbursement, Participation
from portal.programmes.models import Round, RoundStatus
from portal.reporting.models import ReportingRequirement
from portal.review.models import Review

T = TypeVar("T")


# --- rules: each is a SQL condition over a model and a test of one object -------------------


@dataclass(frozen=True)
class Rule:
    """``where(user, model)`` narrows a select; ``test(user, obj)`` decides for one object.
    Both must say the same thing; the gate's tests check them against each other."""

    where: Callable[[User, Any], ColumnElement[bool]]
    test: Callable[[User, Any], bool]


def _mine(user: User) -> int | None:
    return user.municipality_id


ALL = Rule(lambda user, model: true(), lambda user, obj: True)

# The user's own municipality's rows; a user tied to none sees nothing.
OWN = Rule(
    lambda user, model: (
        model.municipality_id == _mine(user) if _mine(user) is not None else false()
    ),
    lambda user, obj: _mine(user) is not None and obj.municipality_id == _mine(user),
)

# Leadership: the national leadership (tied to no municipality) reads every municipality's
# rows, a municipality's leadership its own.
NATIONAL_OR_OWN = Rule(
    lambda user, model: true() if _mine(user) is None else OWN.where(user, model),
    lambda user, obj: _mine(user) is None or OWN.test(user, obj),
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
NATIONAL_OR_INVOLVED = Rule(
    lambda user, model: true() if _mine(user) is None else INVOLVED.where(user, model),
    lambda user, obj: _mine(user) is None or INVOLVED.test(user, obj),
)

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
NATIONAL_OR_MEMBER = Rule(
    lambda user, model: true() if _mine(user) is None else MEMBER.where(user, model),
    lambda user, obj: _mine(user) is None or MEMBER.test(user, obj),
)

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


# --- policies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """For each action, the roles it grants and the rule each of them reads by."""

    read: Mapping[Role, Rule]
    change: Mapping[Role, Rule] = field(default_factory=dict)
    other: Mapping[str, Mapping[Role, Rule]] = field(default_factory=dict)

    def rules(self, action: str) -> Mapping[Role, Rule]:
        if action == "read":
            return self.read
        if action == "change":
            return self.change
        if action in self.other:
            return self.other[action]
        raise LookupError(f"no action {action!r} in the policy")


# What a municipality's users and national users read of a participation and its figures:
# municipal users their own, leadership their own (or all, nationally), coordinators and
# admins all. Reviewers have no business with figures.
FIGURE_READERS = {
    Role.MUNICIPAL: OWN,
    Role.LEADERSHIP: NATIONAL_OR_OWN,
    Role.COORDINATOR: ALL,
    Role.ADMIN: ALL,
}
FIGURES = Policy(
    read=FIGURE_READERS,
    # Recorded by the municipality's own project staff, and by coordinators.
    change={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
)

POLICIES: dict[type, Policy] = {
    Application: Policy(
        read={
            Role.MUNICIPAL: INVOLVED,
            Role.LEADERSHIP: NATIONAL_OR_INVOLVED,
            Role.COORDINATOR: ALL,
            Role.ADMIN: ALL,
        },
        # Drafting, submitting and withdrawing: the applicant's own project staff.
        change={Role.MUNICIPAL: OWN},
        other={"review": {Role.COORDINATOR: SUBMITTED, Role.REVIEWER: ASSIGNED}},
    ),
    ApplicationMember: Policy(
        read={
            Role.MUNICIPAL: OWN,
            Role.LEADERSHIP: NATIONAL_OR_OWN,
            Role.COORDINATOR: ALL,
            Role.ADMIN: ALL,
        },
        # Confirming or declining a joint application: the co-applicant's own staff.
        change={Role.MUNICIPAL: OWN},
    ),
    DeadlineExtension: Policy(
        read={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL, Role.ADMIN: ALL},
        change={Role.COORDINATOR: ALL},
    ),
    Review: Policy(
        read={Role.COORDINATOR: OWN_REVIEW, Role.REVIEWER: OWN_REVIEW},
        # Coordinators assign and remove anyone's; a reviewer keeps their own.
        change={Role.COORDINATOR: ALL, Role.REVIEWER: OWN_REVIEW},
    ),
    Participation: Policy(read=FIGURE_READERS, change={Role.COORDINATOR: ALL}),
    Disbursement: Policy(read=FIGURE_READERS, change={Role.COORDINATOR: ALL}),
    Community: Policy(
        read={
            Role.MUNICIPAL: MEMBER,
            Role.LEADERSHIP: NATIONAL_OR_MEMBER,
            Role.COORDINATOR: ALL,
            Role.ADMIN: ALL,
        },
        change={Role.COORDINATOR: ALL},
    ),
    Baseline: FIGURES,
    Target: FIGURES,
    Measurement: FIGURES,
    Cost: FIGURES,
    # The versions of a frozen target picture: written with the change they record.
    FigureVersion: FIGURES,
    ReportingRequirement: Policy(
        read=FIGURE_READERS,
        # Only the municipality's own project staff deliver its reports.
        change={Role.MUNICIPAL: OWN},
        other={"reopen": {Role.COORDINATOR: ALL}},
    ),
    Notification: Policy(
        read={
            Role.MUNICIPAL: personal_or(OWN),
            Role.LEADERSHIP: personal_or(NATIONAL_OR_OWN),
            Role.COORDINATOR: personal_or(ALL),
        },
        # The read mark is the municipality's: its own users keep it, national users leave
        # it alone. A personal notice (a file is ready) is marked by its user.
        change={
            Role.MUNICIPAL: personal_or(OWN),
            Role.LEADERSHIP: personal_or(OWN),
            Role.COORDINATOR: PERSONAL,
        },
    ),
    # A background job and its file: only the user who started it (``portal.jobs``; it
    # also checks that they may still read the report it makes).
    Job: Policy(
        read={Role.MUNICIPAL: PERSONAL, Role.LEADERSHIP: PERSONAL, Role.COORDINATOR: PERSONAL}
    ),
    OutboxMessage: Policy(read={Role.COORDINATOR: ALL, Role.ADMIN: ALL}),
    AuditEvent: Policy(read={Role.COORDINATOR: ALL, Role.ADMIN: ALL}),
    User: Policy(read={Role.ADMIN: ALL}, change={Role.ADMIN: ALL}),
    Round: Policy(
        read={
            Role.COORDINATOR: ALL,
            Role.ADMIN: ALL,
            Role.MUNICIPAL: PUBLISHED,
            Role.LEADERSHIP: PUBLISHED,
            Role.REVIEWER: PUBLISHED,
        },
        change={Role.COORDINATOR: ALL},
    ),
}


def policy_of(model: type) -> Policy:
    try:
        return POLICIES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no access policy in portal/access.py") from None


def _rule(user: Any, model: type, action: str) -> Rule | None:
    rules = policy_of(model).rules(action)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return None
    return rules.get(user.role)


# --- the gate ---------------------------------------------------------------------------


def condition(model: type, user: Any, action: str = "read") -> ColumnElement[bool]:
    """The SQL condition selecting the rows of ``model`` that ``user`` may ``action``."""
    rule = _rule(user, model, action)
    return rule.where(user, model) if rule is not None else false()


def visible(stmt: Select, user: Any, action: str = "read", model: type | None = None) -> Select:
    """Narrow ``stmt`` to the rows of ``model`` (by default the select's first entity) that
    ``user`` may ``action``; a role the model's policy does not name gets no rows."""
    if model is None:
        model = stmt.column_descriptions[0]["entity"]
    return stmt.where(condition(model, user, action))


def allows(user: Any, obj: Any, action: str = "read", model: type | None = None) -> bool:
    """Whether ``user`` may ``action`` this loaded object (by ``model``'s policy when given:
    whether a user may record figures is the figures' policy applied to the participation)."""
    rule = _rule(user, model or type(obj), action)
    return rule is not None and bool(rule.test(user, obj))


@dataclass(frozen=True)
class _RowsOf:
    municipality_id: int | None


def allows_rows_of(
    user: Any, municipality_id: int | None, model: type, action: str = "read"
) -> bool:
    """Whether ``user`` may ``action`` the rows of ``model`` that belong to this
    municipality (a report of one municipality's participations, say)."""
    rule = _rule(user, model, action)
    return rule is not None and bool(rule.test(user, _RowsOf(municipality_id)))


def can(user: Any, model: type, action: str = "read") -> bool:
    """Whether the policy grants ``user``'s role the action on some rows of ``model``."""
    return _rule(user, model, action) is not None


def belonging_to(model: type, municipality_ids) -> ColumnElement[bool]:
    """The rows of one named municipality (or several): a filter chosen within what the user
    may already see (the audit log, the user list), a report's scope that was checked, or a
    domain rule (one application per municipality and round). Never a substitute for
    ``visible``."""
    if isinstance(municipality_ids, (list, tuple, set, frozenset)):
        return model.municipality_id.in_(list(municipality_ids))
    return model.municipality_id == municipality_ids


def municipality_limit(user: Any, model: type, action: str, refusal) -> int | None:
    """For work done by municipality code rather than by row (a file of figures): None when
    the user may ``action`` every municipality's rows of ``model`` (and for no user: the
    command line), the user's municipality when only its own; ``NotAllowed(refusal)``
    otherwise."""
    from portal.errors import NotAllowed

    if user is None:
        return None
    rule = _rule(user, model, action)
    if rule is ALL:
        return None
    if rule is OWN and _mine(user) is not None:
        return _mine(user)
    raise NotAllowed(refusal)


def get_visible_or_404(
    model: type[T], ident: Any, user: Any, action: str = "read", options: tuple = ()
) -> T:
    """``model`` by primary key, or 404 when it is missing *or* not the user's to
    ``action``."""
    if not valid_id(ident):
        abort(404)
    stmt = select(model).where(model.id == ident).options(*options)
    return db.session.scalar(visible(stmt, user, action, model)) or abort(404)


def round_or_404(slug: str, user: Any, options: tuple = ()) -> Round:
    """The round with this slug, or 404 when there is none or it is a draft the user may
    not see (only coordinators and admins see rounds in draft)."""
    from sqlalchemy.orm import joinedload

    stmt = select(Round).options(joinedload(Round.programme), *options).where(Round.slug == slug)
    return db.session.scalar(visible(stmt, user, "read", Round)) or abort(404)


def sees_draft_rounds(user: Any) -> bool:
    return _rule(user, Round, "read") is ALL
