"""Small helpers every view uses: turning domain errors into messages at the right field."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from portal.db import db
from portal.errors import PortalError


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


def commit_or_show(form: FlaskForm, call, field_map: dict[str, str] | None = None):
    """Run one service call and commit once; on a domain error roll back and show it on the
    form. Returns ``(True, result)`` or ``(False, None)``."""
    try:
        result = call()
    except PortalError as error:
        db.session.rollback()
        show_error(form, error, field_map)
        return False, None
    db.session.commit()
    return True, result


def commit_or_flash(call) -> bool:
    """The same for buttons without a form of their own: the error becomes a flash message."""
    try:
        call()
    except PortalError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    return True
