"""No free text without a limit: every text field of every form has a maximum length (rendered
as ``maxlength`` and counted on the page), and no column a person writes is unbounded."""

import importlib
import pkgutil

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.fields.core import UnboundField

import portal
from portal.auth.models import Role
from portal.benefits.recording.forms import NumberField
from portal.db import Base
from portal.forms import AmountField
from tests.factories import create_programme

# Number fields (NumberField, AmountField) hold numbers, not free text.
# Written by the portal itself, never typed into a form: an e-mail's body, a delivery error,
# a benefit formula (checked by its parser, at most 500 characters), why a job failed.
SYSTEM_TEXT = {
    "outbox_messages.body",
    "outbox_messages.last_error",
    "benefit_lines.formula",
    "jobs.error",
    # a webhook's request body as signed and sent, and why its last attempt failed
    "webhook_deliveries.body",
    "webhook_deliveries.last_error",
    # a webhook's secret as the portal sealed it (Fernet tokens)
    "webhook_endpoints.secret_encrypted",
    "webhook_endpoints.previous_secret_encrypted",
}


def _all_forms():
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    seen, stack = set(), list(FlaskForm.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in seen:
            seen.add(cls)
            stack.extend(cls.__subclasses__())
    return seen


def _limit(unbound: UnboundField):
    validators = unbound.kwargs.get("validators") or (
        unbound.args[1] if len(unbound.args) > 1 else []
    )
    for validator in validators:
        flags = getattr(validator, "field_flags", {}) or {}
        if flags.get("maxlength"):
            return flags["maxlength"]
    return (unbound.kwargs.get("render_kw") or {}).get("maxlength")


def test_every_text_field_of_every_form_has_a_limit(app):
    unlimited = []
    for form in _all_forms():
        for name in dir(form):
            unbound = getattr(form, name, None)
            if not isinstance(unbound, UnboundField):
                continue
            cls = unbound.field_class
            if not issubclass(cls, StringField) or issubclass(
                cls, (HiddenField, PasswordField, NumberField, AmountField)
            ):
                continue
            if not _limit(unbound):
                unlimited.append(f"{form.__module__}.{form.__name__}.{name}")
    assert unlimited == [], "\n".join(unlimited)


def test_no_column_a_person_writes_is_unbounded():
    unbounded = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.Text)
    }
    assert unbounded <= SYSTEM_TEXT, unbounded - SYSTEM_TEXT


def test_a_text_area_shows_its_limit_and_the_counter_script(client, login, make_user):
    programme = create_programme()
    login(make_user(Role.COORDINATOR))
    html = client.get(f"/indsatser/{programme.slug}/rediger").get_data(as_text=True)
    assert 'maxlength="5000"' in html
    assert 'class="hint char-count" id="description_da-count"' in html
    assert "Højst 5.000 tegn." in html and "forms.js" in html
