"""The charts say what they said with matplotlib, in a fraction of the time: the target line,
hollow points for estimated figures, the median, Danish numbers and months, a title and a
label for screen readers, and a legend and names that always lie inside the drawing (a
marked point used to push the legend's first row half out of it, on the page and in PDFs).
Widths are measured with the font itself, not with the module's own table."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal as D

import pytest
from flask import session
from flask_babel import refresh
from PIL import ImageFont
from pypdf import PdfReader

from portal.benefits.display import charts
from portal.pdf import render_pdf

SVG = "{http://www.w3.org/2000/svg}"
FONT = ImageFont.truetype("DejaVuSans.ttf", 100)  # the charts' font, as the PDFs embed it
POINTS = [(date(2026, m, 1), D(1000 + 250 * m)) for m in range(1, 13)]


def _measured(text: str, size: float) -> float:
    return FONT.getlength(text) * size / 100


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def _view(tree) -> tuple[float, float]:
    _x, _y, width, height = map(float, tree.get("viewBox").split())
    return width, height


def _series(**kwargs) -> str:
    return charts.indicator_chart(
        "Skærmbesøg over tid",
        POINTS,
        baseline=(date(2025, 12, 1), D(900)),
        target=(date(2027, 3, 31), D(6000)),
        unit="besøg pr. måned",
        **kwargs,
    )


LABELS = [
    None,
    ("Measurements taken every month", "The baseline that was agreed", "Target for the end"),
    ("Målinger " * 8, "Basislinje", "Målbillede " * 6),
]


@pytest.mark.parametrize("labels", LABELS)
@pytest.mark.parametrize("marked", [(), (0,), (2, 5, 11)])
def test_the_legend_lies_inside_the_drawing(labels, marked):
    tree = _tree(_series(labels=labels, marked=marked))
    width, height = _view(tree)
    legend = tree.find(f"{SVG}g[@class='legend']")
    texts = list(legend.iter(f"{SVG}text"))
    assert len(texts) == (4 if marked else 3)
    plot_top = min(float(t.get("y")) for t in tree.iter(f"{SVG}text") if t not in texts) - 9
    for t in texts:
        size = float(t.get("font-size"))
        left, baseline = float(t.get("x")), float(t.get("y"))
        box = (left, baseline - size, left + _measured(t.text, size), baseline + size * 0.25)
        assert box[0] >= 0 and box[1] >= 0, (t.text, box)
        assert box[2] <= width and box[3] <= height, (t.text, box, width)
        assert box[3] <= plot_top + 9  # above the plot, never over a point
    for shape in legend:
        for name in ("cx", "cy"):
            if shape.get(name):
                assert 0 <= float(shape.get(name)) <= (width if name == "cx" else height)


def test_estimated_figures_are_hollow_points_and_the_target_a_dashed_line():
    tree = _tree(_series(marked=(2, 5)))
    plot = [e for e in tree if e.tag != f"{SVG}g"]
    circles = [c for c in plot if c.tag == f"{SVG}circle"]
    hollow = [c for c in circles if c.get("fill") == "#ffffff"]
    assert len(circles) == 12 and len(hollow) == 2
    assert all(c.get("stroke") == charts.BRAND for c in hollow)
    dashed = [e for e in plot if e.get("stroke") == charts.TARGET]
    assert dashed and dashed[0].get("stroke-dasharray")


def test_numbers_and_months_are_danish_and_english_for_english_readers(app):
    svg = _series()
    assert "jan. 2026" in svg and "2.000" in svg and "6.000" in svg
    small = charts.indicator_chart(
        "Andel", [(date(2026, 1, 1), D("0.5")), (date(2026, 2, 1), D(2))]
    )
    assert "0,5" in small and "1,5" in small
    with app.test_request_context():
        session["lang"] = "en"
        refresh()  # the locale chosen for the app context the tests hold
        english = _series()
    assert "Jan 2026" in english and "2,000" in english


def test_month_names_are_at_most_seven():
    long = [(date(2025 + m // 12, m % 12 + 1, 1), D(m)) for m in range(48)]
    months = re.findall(r">(\w+\. \d{4})<", charts.indicator_chart("Lang", long))
    assert 3 <= len(months) <= 7


def test_a_chart_is_accessible_svg_without_ids_or_inline_style():
    title = 'Fremdrift <på> "Aarhus" & co'
    for svg in (
        charts.indicator_chart(title, POINTS, unit="kr. $\\frac{1}{0"),
        charts.distribution_chart(title, [("A & B", D(1)), ("<C>", D(3))], median=D(2)),
        charts.indicator_chart(title, []),
    ):
        tree = _tree(svg)  # well-formed, whatever the text
        assert tree.get("role") == "img" and tree.get("aria-label") == title
        assert tree.find(f"{SVG}title").text == title
        assert not [e for e in tree.iter() if e.get("id") or e.get("style")]
        assert "<style" not in svg and "<script" not in svg


@pytest.mark.parametrize("count", [1, 3, 15])
def test_the_distribution_names_every_bar_inside_the_drawing(count):
    names = ["Ringkøbing-Skjern Kommune", *(f"Kommune {n}" for n in range(1, count))]
    values = [(n, D(len(n) * 3 - 40)) for n in names]
    tree = _tree(
        charts.distribution_chart("Fremdrift", values, median=D(10), unit="%", highlight=0)
    )
    width, height = _view(tree)
    shown = [t for t in tree.iter(f"{SVG}text") if t.get("transform", "").startswith("rotate(-35")]
    assert [t.text for t in shown] == names
    for t in shown:  # written at -35° from (x, y), ending there
        length = _measured(t.text, float(t.get("font-size")))
        x, y = float(t.get("x")), float(t.get("y"))
        assert x - length * math.cos(math.radians(35)) >= 0, t.text
        assert y + length * math.sin(math.radians(35)) <= height, t.text
    bars = [p for p in tree.iter(f"{SVG}path") if p.get("fill") == charts.HIGHLIGHT]
    assert len(bars) == 1  # the viewer's own bar, in its own colour
    assert [t.text for t in tree.find(f"{SVG}g[@class='legend']").iter(f"{SVG}text")] == ["Median"]


def test_many_bars_leave_the_names_to_the_table():
    values = [(f"Kommune {n}", D(n)) for n in range(40)]
    svg = charts.distribution_chart("Fremdrift", values, median=D(20))
    assert "Kommune 3" not in svg and svg.count("<path") >= 2


def test_a_pdf_draws_the_whole_legend():
    html = f"<html><body><h1>Graf</h1>{_series(marked=(0, 1))}</body></html>"
    text = PdfReader(io.BytesIO(render_pdf(html))).pages[0].extract_text()
    for label in ("Målinger", "Skøn, foreløbig eller revideret", "Basislinje", "Målbillede"):
        assert label in text
    assert "jan. 2026" in text and "2.000" in text
