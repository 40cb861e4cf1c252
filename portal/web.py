"""Small helpers every view uses: turning domain errors into messages at the right field."""

from __future__ import annotations

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from portal.db import db
from portal.errors import MISSING_VERSION, Conflict, PortalError


def show_error(
    form: FlaskForm, error: PortalError, field_map: dict[str, str] | None = None
) -> None:
    """Put the error's message(s) at their field, or above the form when no field fits."""
    field_map = field_map or {}
    problems = getattr(error, "problems", None) or [(error.field, error.message)]
    for field_name, message in problems:
        name = field_map.get(field_name, field_name) if field_name else None
        if name and name in form._fields:
            form[name].errors = [*form[name].errors, message]
        else:
            form.form_errors.append(message)


def posted_version() -> int:
    """The hidden ``version`` of a posted button form; ``MISSING_VERSION`` (a conflict with
    any stored row) when it is missing or not a number."""
    version = request.form.get("version", type=int)
    return MISSING_VERSION if version is None or version < 0 else version


def run_and_commit(call):
    """Run the service call and commit once. A versioned row that another request changed
    between our read and our write (a race the services' own version check cannot see)
    comes back from the database as ``StaleDataError``: it is the same conflict."""
    try:
        result = call()
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise Conflict(RACE_MESSAGE) from exc
    except PortalError:
        db.session.rollback()
        raise
    return result


RACE_MESSAGE = _l(
    "Nogen gemte det samme lige før dig. Indlæs siden igen for at se ændringerne – dine"
    " ændringer er ikke gemt."
)


def commit_or_show(form: FlaskForm, call, field_map: dict[str, str] | None = None):
    """Run one service call and commit once; on a domain error roll back and show it on the
    form. Returns ``(True, result)`` or ``(False, None)``."""
    try:
        return True, run_and_commit(call)
    except PortalError as error:
        show_error(form, error, field_map)
        return False, None


def commit_or_flash(call) -> bool:
    """The same for buttons without a form of their own: the error becomes a flash message."""
    try:
        run_and_commit(call)
    except PortalError as error:
        flash(error.message, "error")
        return False
    return True
