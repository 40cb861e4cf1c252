"""Every table on a page scrolls in its own labelled box on a phone (templates/_macros/
layout.html's scroll_box), read from the templates so a new table cannot forget it; the browser
sweep (tests/browser/test_mobile.py) proves the same on the rendered pages."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Printed, not shown on a screen: the PDFs' tables break across pages instead.
PRINTED = {"review/dossier.html"}
# A report's table markup, which report_table puts in a scroll box on a page (not in a PDF).
REPORT_TABLE = "{% macro table_markup(table, id, hide_caption) %}"


def tables_outside_a_box(name: str, text: str) -> list[str]:
    outside = []
    for match in re.finditer(r"<table[\s>]", text):
        before = text[: match.start()].rstrip()
        if "{% call scroll_box(" in before[-120:] or before.endswith(REPORT_TABLE):
            continue
        outside.append(f"{name}:{text.count(chr(10), 0, match.start()) + 1}")
    return outside


def test_every_table_of_a_page_is_in_a_scroll_box():
    outside = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if not name.startswith("reports/pdf/") and name not in PRINTED:
            outside += tables_outside_a_box(name, path.read_text())
    assert outside == []
    assert tables_outside_a_box("x.html", "<h2>X</h2>\n<table>") == ["x.html:2"]
