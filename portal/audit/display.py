"""The audit log as sentences people read: "Tilskud ændret fra 1.000.000 kr. til 666.666 kr.
af Karen Koordinator", with the fields' Danish names and values in Danish formats (the
words are in ``portal.audit.words``). The stored line keeps the codes and raw values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from portal.audit.words import ACTIONS, FIELDS, MONEY, OBJECTS, value_word
from portal.i18n import local_date, local_datetime, money

MAX_VALUE = 300  # a long text is cut in the table; the stored line keeps it whole


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def field_label(field: str) -> str:
    label = FIELDS.get(field)
    if label is not None:
        return str(label)
    return field.replace("_", " ").capitalize()  # a field not named yet: its code, readable


def _date_text(value: str) -> str | None:
    try:
        if "T" in value:
            return local_datetime(datetime.fromisoformat(value))
        if len(value) == 10:
            return local_date(date.fromisoformat(value))
    except ValueError:
        return None
    return None


def value_text(value: Any, field: str = "") -> str:
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nej")
    if field in MONEY and isinstance(value, int | float):
        return money(value)
    if isinstance(value, list | tuple):
        text = ", ".join(value_text(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, str):
        text = value_word(field, value) or _date_text(value) or value
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def change_sentence(field: str, before: Any, after: Any) -> str:
    label = field_label(field)
    if _empty(before):
        return _("%(field)s sat til %(after)s", field=label, after=value_text(after, field))
    if _empty(after):
        return _(
            "%(field)s fjernet (var %(before)s)", field=label, before=value_text(before, field)
        )
    return _(
        "%(field)s ændret fra %(before)s til %(after)s",
        field=label,
        before=value_text(before, field),
        after=value_text(after, field),
    )


def _by(sentence: str, actor: str | None) -> str:
    return _("%(what)s af %(who)s", what=sentence, who=actor) if actor else sentence


@dataclass(frozen=True)
class EventText:
    headline: str
    lines: list[str]
    subject: str


def detail_lines(details: dict[str, Any] | None, actor: str | None = None) -> list[str]:
    """A change as "Felt ændret fra x til y af Navn"; a before/after pair the same way; a
    snapshot (``values``) and anything else as "Felt: værdi"."""
    lines: list[str] = []
    details = details or {}
    before_after = isinstance(details.get("before"), dict) and isinstance(
        details.get("after"), dict
    )
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            for name, pair in value.items():
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    lines.append(_by(change_sentence(name, *pair), actor))
                else:
                    lines.append(f"{field_label(name)}: {value_text(pair, name)}")
        elif before_after and key in ("before", "after"):
            if key == "after":
                old = details["before"]
                lines.extend(
                    _by(change_sentence(name, old.get(name), new), actor)
                    for name, new in value.items()
                    if old.get(name) != new
                )
        elif isinstance(value, list) and len(value) == 2 and key in FIELDS:
            lines.append(_by(change_sentence(key, *value), actor))  # e.g. status, disbursed
        elif isinstance(value, dict):
            lines.extend(f"{field_label(n)}: {value_text(v, n)}" for n, v in value.items())
        else:
            lines.append(f"{field_label(key)}: {value_text(value, key)}")
    return lines


def describe(event, actor: str | None, subject_name: str | None = None) -> EventText:
    """One log line for the page: what happened and by whom, each change as a sentence, and
    what it concerned (a user by name; anything else by kind and number)."""
    if subject_name:
        subject = subject_name
    elif event.object_type:
        template = OBJECTS.get(event.object_type)
        subject = (
            str(template) % {"id": event.object_id}
            if template is not None
            else f"{event.object_type} {event.object_id}"
        )
    else:
        subject = "–"
    return EventText(
        headline=_by(action_label(event.action), actor),
        lines=detail_lines(event.details, actor),
        subject=subject,
    )
