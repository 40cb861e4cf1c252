"""The audit log as sentences people read: "Tilskud ændret fra 1.000.000 kr. til 666.666 kr.
af Karen Koordinator", with the fields' Danish names and values in Danish formats (the
words are in ``portal.audit.words``). The stored line keeps the codes and raw values; names
the line only points at (an indicator's key, a round's id) come from ``LogNames``, so a figure
reads "Værdi: 440,5 timer" for "Tid til vagtplanlægning", not "Value: 440.5, Indicator:
planning_hours"."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from portal.audit.words import ACTIONS, FIELDS, FIGURE_VALUES, MONEY, NUMBERS, OBJECTS, value_word
from portal.i18n import local_date, local_datetime, money, number

MAX_VALUE = 300  # a long text is cut in the table; the stored line keeps it whole


@dataclass(frozen=True)
class LogNames:
    """What the lines of one page point at, by name: indicators per round and key as
    (name, unit), rounds, municipalities and communities by id (``services.log_names``)."""

    indicators: dict[tuple[int | None, str], tuple[str, str]] = field(default_factory=dict)
    rounds: dict[int, str] = field(default_factory=dict)
    municipalities: dict[int, str] = field(default_factory=dict)
    communities: dict[int, str] = field(default_factory=dict)


NO_NAMES = LogNames()


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


def _number_text(value: Any, unit: str = "") -> str | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    digits = max(0, min(4, -amount.normalize().as_tuple().exponent))
    text = number(amount, digits)
    return f"{text} {unit}" if unit else text


def value_text(value: Any, field: str = "", unit: str = "") -> str:
    if field == "quality":
        return value_word(field, value) or str(value)  # none: a measured figure
    if value is None or value == "" or value == []:
        return "–"
    if field in NUMBERS and not isinstance(value, bool):
        text = _number_text(value, unit if field in FIGURE_VALUES else _("kr."))
        if text is not None:
            return text
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


def change_sentence(field: str, before: Any, after: Any, unit: str = "") -> str:
    label = field_label(field)
    if field != "quality" and _empty(before):
        return _("%(field)s sat til %(after)s", field=label, after=value_text(after, field, unit))
    if field != "quality" and _empty(after):
        return _(
            "%(field)s fjernet (var %(before)s)",
            field=label,
            before=value_text(before, field, unit),
        )
    return _(
        "%(field)s ændret fra %(before)s til %(after)s",
        field=label,
        before=value_text(before, field, unit),
        after=value_text(after, field, unit),
    )


def _by(sentence: str, actor: str | None) -> str:
    return _("%(what)s af %(who)s", what=sentence, who=actor) if actor else sentence


@dataclass(frozen=True)
class EventText:
    headline: str
    lines: list[str]
    subject: str


# Where a line about a report or a job points; said once, as its scope.
SCOPE_KEYS = ("scope", "round_id", "municipality_id", "community_id")


def scope_text(details: dict[str, Any], names: LogNames) -> str:
    """ "alle kommuner i Skærmbesøg 2025", "Aarhus i Skærmbesøg 2025", "alle kommuner i alle
    forløb": whose figures a download or a job holds."""
    round_id = details.get("round_id")
    if round_id:
        where = names.rounds.get(round_id) or _("forløb nr. %(id)s", id=round_id)
    else:
        where = _("alle forløb")
    municipality_id, community_id = details.get("municipality_id"), details.get("community_id")
    if community_id:
        who = names.communities.get(community_id) or _("fællesskab nr. %(id)s", id=community_id)
    elif municipality_id:
        who = names.municipalities.get(municipality_id) or _(
            "kommune nr. %(id)s", id=municipality_id
        )
    else:
        who = _("alle kommuner")
    return _("%(who)s i %(where)s", who=who, where=where)


def detail_lines(
    details: dict[str, Any] | None,
    actor: str | None = None,
    names: LogNames = NO_NAMES,
    round_id: int | None = None,
) -> list[str]:
    """A change as "Felt ændret fra x til y af Navn"; a before/after pair the same way; a
    snapshot (``values``, or an ``after`` with nothing before) and anything else as "Felt:
    værdi". A figure's indicator by its name and its values in the indicator's unit; a
    report's or a job's scope as one phrase."""
    lines: list[str] = []
    details = dict(details or {})
    unit = ""
    key = details.pop("indicator", None)
    if key:
        name, unit = names.indicators.get((round_id, key), (key, ""))
        lines.append(f"{field_label('indicator')}: {name}")
    if "scope" in details:
        lines.append(f"{field_label('scope')}: {scope_text(details, names)}")
        for name in SCOPE_KEYS:
            details.pop(name, None)
    before, after = details.get("before"), details.get("after")
    if (before is None or isinstance(before, dict)) and (after is None or isinstance(after, dict)):
        if before is not None and after is not None:
            details.pop("before"), details.pop("after")
            lines.extend(
                _by(change_sentence(name, before.get(name), new, unit), actor)
                for name, new in after.items()
                if before.get(name) != new
            )
        elif "before" in details or "after" in details:
            details.pop("before", None), details.pop("after", None)
            snapshot = after if after is not None else before or {}
            lines.extend(
                f"{field_label(n)}: {value_text(v, n, unit)}"
                for n, v in snapshot.items()
                if n == "quality" or not _empty(v)
            )
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            for name, pair in value.items():
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    lines.append(_by(change_sentence(name, *pair, unit), actor))
                else:
                    lines.append(f"{field_label(name)}: {value_text(pair, name, unit)}")
        elif isinstance(value, list) and len(value) == 2 and key in FIELDS:
            lines.append(_by(change_sentence(key, *value), actor))  # e.g. status, disbursed
        elif isinstance(value, dict):
            lines.extend(f"{field_label(n)}: {value_text(v, n)}" for n, v in value.items())
        elif value is not None:
            lines.append(f"{field_label(key)}: {value_text(value, key)}")
    return lines


def describe(
    event, actor: str | None, subject_name: str | None = None, names: LogNames = NO_NAMES
) -> EventText:
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
        lines=detail_lines(event.details, actor, names, event.round_id),
        subject=subject,
    )
