"""Named permissions that views and templates share, and the decorators that check them.

Which rows a user may read or change is ``portal.access``'s answer (the access gate).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from portal.auth.models import Role, User

T = TypeVar("T")


def has_role(user: Any, *roles: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def can_manage_users(user: User) -> bool:
    from portal import access

    return access.can(user, User, "change")


def can_manage_register(user: User) -> bool:
    from portal import access
    from portal.municipalities.models import Municipality

    return access.can(user, Municipality, "change")


def can_read_audit_log(user: User) -> bool:
    from portal import access
    from portal.audit.models import AuditEvent

    return access.can(user, AuditEvent)


def can_edit_programmes(user: User) -> bool:
    from portal import access
    from portal.programmes.models import Programme

    return access.can(user, Programme, "change")


def can_see_draft_rounds(user: User) -> bool:
    """Rounds in draft: the round policy of ``portal.access`` (coordinators and admins)."""
    from portal import access

    return access.sees_draft_rounds(user)


def permission_required(permission: Callable[[Any], bool]) -> Callable:
    """Log in first (redirect), then 403 unless ``permission(current_user)``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not permission(current_user):
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
}
