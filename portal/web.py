"""Small helpers every view uses: turning domain errors into messages at the right field."""

from __future__ import annotations

from flask_wtf import FlaskForm

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
