"""What a reader sees, and whether code forms hide in it (issue 9: "Sådan er det beregnet" in
plain Danish, never ``hours_12m / annual_hours`` or an indicator's key)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# a key_with_underscores, a code operator between words (a * b, a / b), a comparison
CODE_FORMS = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\w \* \w|[a-z] / [a-z]|>=|<=|==")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self.skip -= tag in ("script", "style")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def code_forms(text: str) -> list[str]:
    return sorted({m.group(0) for m in CODE_FORMS.finditer(text)})
