"""The access gate: the one place that answers "which rows may this user read or change".

Every model that a municipality owns has a policy (``portal.access.policies``): for each
action (``read``, ``change``, and a few named ones such as ``review``) the roles it grants
and, for each role, a rule (``portal.access.rules``) that is both a SQL condition
(``visible`` narrows a select) and a test of one loaded object (``allows``). A role a policy
does not name gets nothing — reviewers included — so a new role or a new model is shut out
until someone writes down what it may see (NetBox's ``restrict(user, action)``, redash's
``get_by_id_and_org``). ``tests/test_access_gate.py`` fails when a model with a
``municipality_id`` column has no policy, and the sweep in ``tests/test_url_map_sweep.py``
tries every route against every role.

How far a user reaches (all municipalities, a region's, their own, or their assigned
applications) is computed once (``portal.access.reach``); "national" is a reach of all. Which
pages a user may enter is the same policies' answer (``admits(Model, action)`` on a view), and
so is what a report shows to whom (the ``amount``, ``note`` and ``compare`` actions the report
builders select through).

Out-of-scope ids answer 404, not 403, so the ids of other municipalities reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort
from flask_login import AnonymousUserMixin
from sqlalchemy import ColumnElement, Select, false, select

from portal.access.admission import admits, enters
from portal.access.policies import POLICIES, Policy, policy_of, rule_of
from portal.access.reach import ANONYMOUS, Extent, Reach, is_national, reach_key, reach_of
from portal.access.rules import ALL, IN_REACH, OWN, Rule, involving
from portal.db import db, valid_id
from portal.programmes.models import Round

__all__ = [
    "ANONYMOUS",
    "PUBLIC",
    "POLICIES",
    "Policy",
    "ALL",
    "Extent",
    "IN_REACH",
    "OWN",
    "Reach",
    "Rule",
    "admits",
    "allows",
    "allows_rows_of",
    "belonging_to",
    "enters",
    "can",
    "condition",
    "get_visible_or_404",
    "kept_visible",
    "involving",
    "is_national",
    "municipality_limit",
    "policy_of",
    "reach_of",
    "reader_key",
    "reaches_every",
    "roles_granted",
    "round_or_404",
    "sees_draft_rounds",
    "visible",
]

T = TypeVar("T")

# The anonymous reader: what the public results and open data read as, whoever asks (a
# logged-in coordinator sees exactly what the public sees there).
PUBLIC = AnonymousUserMixin()


# --- the gate ---------------------------------------------------------------------------


def condition(model: type, user: Any, action: str = "read") -> ColumnElement[bool]:
    """The SQL condition selecting the rows of ``model`` that ``user`` may ``action``."""
    rule = rule_of(user, model, action)
    return rule.where(user, model) if rule is not None else false()


def reader_key(user: Any) -> tuple:
    """All that the rules read of a user: a statement narrowed for one user may be kept and
    used again for another with the same key."""
    return (getattr(user, "id", None), *reach_key(user))


_KEPT: dict[tuple, Select] = {}
KEPT = 4096  # statements kept; past that the store starts afresh


def kept_visible(
    name: str, build: Callable[[], Select], user: Any, action: str = "read", model=None
) -> Select:
    """``visible(build(), user, action, model)``, built once per ``name``, action and reader
    (``reader_key``) and kept: for statements asked on every request, where building one
    costs more than running it. ``build`` must give the same statement every time (bound
    parameters for what varies)."""
    key = (name, action, model, reader_key(user))
    found = _KEPT.get(key)
    if found is None:
        if len(_KEPT) >= KEPT:
            _KEPT.clear()
        found = _KEPT[key] = visible(build(), user, action, model)
    return found


def visible(stmt: Select, user: Any, action: str = "read", model: type | None = None) -> Select:
    """Narrow ``stmt`` to the rows of ``model`` (by default the select's first entity) that
    ``user`` may ``action``; a role the model's policy does not name gets no rows."""
    if model is None:
        model = stmt.column_descriptions[0]["entity"]
    return stmt.where(condition(model, user, action))


def allows(user: Any, obj: Any, action: str = "read", model: type | None = None) -> bool:
    """Whether ``user`` may ``action`` this loaded object (by ``model``'s policy when given:
    whether a user may record figures is the figures' policy applied to the participation)."""
    rule = rule_of(user, model or type(obj), action)
    return rule is not None and bool(rule.test(user, obj))


@dataclass(frozen=True)
class _RowsOf:
    municipality_id: int | None


def allows_rows_of(
    user: Any, municipality_id: int | None, model: type, action: str = "read"
) -> bool:
    """Whether ``user`` may ``action`` the rows of ``model`` that belong to this
    municipality (a report of one municipality's participations, say)."""
    rule = rule_of(user, model, action)
    return rule is not None and bool(rule.test(user, _RowsOf(municipality_id)))


def can(user: Any, model: type, action: str = "read") -> bool:
    """Whether the policy grants ``user``'s role the action on some rows of ``model``."""
    return rule_of(user, model, action) is not None


def roles_granted(model: type, action: str = "read") -> tuple:
    """The roles the policy of ``model`` grants ``action`` (who can hold a review, say)."""
    return tuple(policy_of(model).rules(action))


def reaches_every(user: Any, model: type, action: str = "read") -> bool:
    """Whether the policy grants ``user`` the action on *every* row of ``model``: a rule of
    all rows, or a rule of the user's reach when that reach is national (a round's lists,
    its export, its dashboard)."""
    rule = rule_of(user, model, action)
    return rule is ALL or (rule is IN_REACH and is_national(user))


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

    if user is None or reaches_every(user, model, action):
        return None
    rule = rule_of(user, model, action)
    reach = reach_of(user)
    if rule in (OWN, IN_REACH) and reach.extent == Extent.OWN:
        return reach.municipality_id
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
    return rule_of(user, Round, "read") is ALL
