"""Named permissions that templates share, each a question to the access gate
(``portal.access``): which rows a user may read or change, and which pages they may enter
(``access.admits``), are its policies' answer."""

from __future__ import annotations

from typing import TypeVar

from portal.auth.models import User

T = TypeVar("T")


def can_manage_users(user: User) -> bool:
    from portal import access

    return access.enters(user, "users")


def can_manage_register(user: User) -> bool:
    from portal import access

    return access.enters(user, "register")


def can_read_audit_log(user: User) -> bool:
    from portal import access

    return access.enters(user, "audit_log")


def can_edit_programmes(user: User) -> bool:
    from portal import access

    return access.enters(user, "programmes")


def can_see_draft_rounds(user: User) -> bool:
    """Rounds in draft: the round policy of ``portal.access`` (coordinators and admins)."""
    from portal import access

    return access.sees_draft_rounds(user)


def template_globals() -> dict:
    from portal.auth.labels import role_label

    return {**TEMPLATE_PERMISSIONS, "role_label": role_label}


TEMPLATE_PERMISSIONS = {
    "can_manage_users": can_manage_users,
    "can_manage_register": can_manage_register,
    "can_edit_programmes": can_edit_programmes,
    "can_read_audit_log": can_read_audit_log,
}
