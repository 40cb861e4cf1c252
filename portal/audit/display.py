"""The audit log's details as lines people read: a change as "felt: før → efter"."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _

MAX_VALUE = 300  # a long text is cut in the table; the stored line keeps it whole


def value_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nej")
    if isinstance(value, list | tuple):
        text = ", ".join(value_text(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def detail_lines(details: dict[str, Any] | None) -> list[str]:
    """``changes`` (``{field: [before, after]}``) as "field: before → after"; a snapshot
    (``values``, ``before``, …) as "name.field: value"; anything else as "key: value"."""
    lines: list[str] = []
    for key, value in (details or {}).items():
        if key == "changes" and isinstance(value, dict):
            for name, pair in value.items():
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    before, after = pair
                    lines.append(f"{name}: {value_text(before)} → {value_text(after)}")
                else:
                    lines.append(f"{name}: {value_text(pair)}")
        elif isinstance(value, dict):
            lines.extend(f"{key}.{name}: {value_text(v)}" for name, v in value.items())
        else:
            lines.append(f"{key}: {value_text(value)}")
    return lines
