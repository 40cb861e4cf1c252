"""The one place that answers "what may this user see and do".

Every view and query of municipality-owned data goes through ``scope`` or
``get_scoped_or_404``; permissions are named functions that views and templates share.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, false

from portal.auth.models import Role, User
from portal.db import db, valid_id

T = TypeVar("T")


def has_role(user: Any, *roles: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def can_manage_users(user: User) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_register(user: User) -> bool:
    return has_role(user, Role.ADMIN)


AUDIT_READERS = (Role.ADMIN, Role.COORDINATOR)


def can_read_audit_log(user: User) -> bool:
    return has_role(user, *AUDIT_READERS)


def can_edit_programmes(user: User) -> bool:
    return has_role(user, Role.COORDINATOR)


def can_see_draft_rounds(user: User) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ADMIN)


def can_see_municipality(user: User, municipality_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_national or (
        municipality_id is not None and user.municipality_id == municipality_id
    )


def scope(stmt: Select, user: User, municipality_column) -> Select:
    """Restrict ``stmt`` to the rows of municipalities ``user`` may see.

    National users (coordinators, admins, national leadership) see all; everyone else sees
    their own municipality's rows, and a user with none sees nothing.
    """
    if user.is_national:
        return stmt
    if user.municipality_id is None:
        return stmt.where(false())
    return stmt.where(municipality_column == user.municipality_id)


def get_scoped_or_404(model: type[T], ident: Any, user: User, attr: str = "municipality_id") -> T:
    """Load ``model`` by primary key, or 404 when it is missing *or* out of the user's scope.

    Out-of-scope rows answer 404, not 403, so ids of other municipalities reveal nothing.
    """
    obj = db.session.get(model, ident) if valid_id(ident) else None
    if obj is None or not can_see_municipality(user, getattr(obj, attr)):
        abort(404)
    return obj


def role_required(*roles: Role) -> Callable:
    """Log in first (redirect), then 403 for any role not named."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def template_globals() -> dict:
    from portal.auth.labels import role_label

    return {**TEMPLATE_PERMISSIONS, "role_label": role_label}


TEMPLATE_PERMISSIONS = {
    "can_manage_users": can_manage_users,
    "can_manage_register": can_manage_register,
    "can_edit_programmes": can_edit_programmes,
    "can_read_audit_log": can_read_audit_log,
    "has_role": has_role,
    "Role": Role,
}
