"""Reading a definition file's values: the line a key stands on, texts in both languages,
dates as UTC times, whole numbers; and ``Checked``, the file's content once checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from portal.i18n import COPENHAGEN
from portal.programmes import rules
from portal.programmes.models import MAX_NAME

TEXT_KEYS = {"da", "en"}  # a text is given in both languages


class Lines:
    """Finds the line a key of the file stands on, so every problem can name one."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _find(self, pattern: str, start: int = 0, stop: int | None = None) -> int | None:
        regex = re.compile(pattern)
        for number in range(start, len(self.lines) if stop is None else stop):
            if regex.match(self.lines[number]):
                return number
        return None

    def top(self, key: str) -> int:
        found = self._find(rf"^\s*{re.escape(key)}\s*=")
        return found + 1 if found is not None else 1

    def block(self, array: str, index: int) -> tuple[int, int]:
        """0-based first and end line of the ``index``-th ``[[array]]`` table."""
        headers = [
            n
            for n, line in enumerate(self.lines)
            if re.match(rf"^\s*\[\[\s*{re.escape(array)}\s*\]\]", line)
        ]
        if index >= len(headers):
            return 0, len(self.lines)
        start = headers[index]
        following = self._find(r"^\s*\[\[", start + 1)
        return start, following if following is not None else len(self.lines)

    def item(self, array: str, index: int, key: str | None = None) -> int:
        start, stop = self.block(array, index)
        if key is not None:
            found = self._find(rf"^\s*{re.escape(key)}\s*[=.]", start, stop)
            if found is None:
                found = self._find(
                    rf"^\s*\[\s*{re.escape(array)}\.{re.escape(key)}\s*\]", start, stop
                )
            if found is not None:
                return found + 1
        return start + 1


@dataclass
class Checked:
    """The file's content, checked and in the models' terms."""

    slug: str
    name: dict[str, str]
    description: dict[str, str]
    goals: list[dict[str, str]]
    indicators: list[dict[str, Any]] = field(default_factory=list)
    benefits: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[rules.RoundData] = field(default_factory=list)


def translated_text(
    value: Any, where: str, problems: list[str], required: bool = True, limit: int = MAX_NAME
) -> dict[str, str]:
    """A ``{ da = "…", en = "…" }`` table (a plain string counts as Danish), each text at most
    ``limit`` characters (the column's length)."""
    if value is None:
        if required:
            problems.append(f"{where} mangler")
        return {"da": "", "en": ""}
    if isinstance(value, str):
        value = {"da": value}
    if not isinstance(value, dict):
        problems.append(f'{where} skal være tekst eller {{ da = "…", en = "…" }}')
        return {"da": "", "en": ""}
    unknown = set(value) - TEXT_KEYS
    if unknown:
        problems.append(f"{where}: ukendt sprog {', '.join(sorted(unknown))} (brug da og en)")
    texts = {lang: value.get(lang, "") for lang in TEXT_KEYS}
    for lang, text in texts.items():
        if not isinstance(text, str):
            problems.append(f"{where}.{lang} skal være tekst")
            texts[lang] = ""
    if required and not texts["da"].strip():
        problems.append(f"{where}.da mangler")
    for lang, text in texts.items():
        if len(text.strip()) > limit:
            problems.append(f"{where}.{lang} er over {limit} tegn")
    return {k: v.strip() for k, v in texts.items()}


def unknown_keys(table: dict, allowed: set[str]) -> list[str]:
    return [f"ukendt nøgle '{k}'" for k in sorted(set(table) - allowed)]


def to_utc(value: Any, *, end_of_day: bool = False) -> datetime:
    if isinstance(value, datetime):
        local = value if value.tzinfo else value.replace(tzinfo=COPENHAGEN)
    elif isinstance(value, date):
        local = datetime.combine(value, time(23, 59) if end_of_day else time(0), COPENHAGEN)
    else:
        raise TypeError
    return local.astimezone(UTC)


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
