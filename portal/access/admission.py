"""Route admission answered by the gate: a view names the model and the action it serves,
and the policies say which roles may enter (``@admits(Measurement, "change")``), instead of
a list of roles beside every route. Which *rows* the view then shows is still the gate's
``visible`` / ``get_visible_or_404``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def admits(model: type, action: str = "read", *, every: bool = False) -> Callable:
    """Log in first (redirect), then 403 unless the policy of ``model`` grants the user's
    role ``action`` on some rows (``every``: on every row — a round's lists and exports)."""
    from portal import access

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            allowed = access.reaches_every if every else access.can
            if not allowed(current_user, model, action):
                abort(403)
            return view(*args, **kwargs)

        wrapped.admits = (model, action, every)
        return wrapped

    return decorator


def _areas() -> dict[str, tuple[type, str]]:
    from portal.audit.models import AuditEvent
    from portal.auth.models import User
    from portal.municipalities.models import Municipality
    from portal.programmes.models import Programme

    return {
        "users": (User, "change"),
        "register": (Municipality, "change"),
        "audit_log": (AuditEvent, "read"),
        "programmes": (Programme, "change"),
    }


def enters(user, area: str) -> bool:
    """Whether the user may enter one of the house's areas that are named, not a model (the
    menu's "Brugere", "Kommuneregister", "Logbog", "Indsatser"): the policy of the model
    behind it, so the named permissions of the bottom of the house ask the gate without
    importing the domains above them."""
    from portal import access

    model, action = _areas()[area]
    return access.can(user, model, action)
