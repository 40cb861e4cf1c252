"""Charts as server-rendered SVG, written directly (no plotting library, no JavaScript): an
indicator over time against its target line, and a distribution over municipalities with the
median marked.

Each function takes plain values and returns the SVG markup ready to put in a page or a PDF:
``role="img"``, an ``aria-label`` and a ``<title>``, text kept as text, Danish numbers on the
axes and months as "jan. 2026", no ids (several charts share a page) and no inline style
(the Content-Security-Policy). A chart is never the only way to read its figures: the page
shows a table next to it.

Why written by hand: a chart may cost 10 ms, and none of the libraries measured came close
(``bench.charts``, one chart of 36 months on the shared bench machine): matplotlib ~35 ms on
a quiet machine (102 ms loaded), Vega-Lite rendered by vl-convert 56–222 ms and pygal
35–88 ms, where this module took 1.2–2 ms in the same runs. These two charts need a line,
points, dashed lines, bars and a legend and nothing else. So nothing is cached either: a
chart costs less to draw than a file costs to look up.

The legend sits above the plot and wraps into rows by the width of its texts
(``svg_markup.text_width``); the drawing grows to hold every row, so no entry is ever cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from flask import has_app_context
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from portal.benefits.display import svg_markup as svg

WIDTH = 460  # points: fits a page column and an A4 PDF, as the charts always have
PLOT_HEIGHT = 130
SIZE, LEGEND_SIZE, NAME_SIZE = 8.5, 7.5, 7
LEGEND_ROW = 11
INK, BRAND, TARGET, MUTED, HIGHLIGHT = "#1b1b1b", "#005a9c", "#b3261e", "#6b6b6b", "#e07b00"
GRID = "#dddddd"
NAMES_AT_MOST = 15  # more bars than this leave the names to the table next to the chart


def _locale() -> str:
    return str(get_locale() or "da") if has_app_context() else "da"


def _(text: str) -> str:
    return gettext(text) if has_app_context() else text


def indicator_chart(
    title: str,
    points: Sequence[tuple[date, Decimal]],
    *,
    baseline: tuple[date, Decimal] | None = None,
    target: tuple[date, Decimal] | None = None,
    unit: str = "",
    labels: tuple[str, str, str] | None = None,
    marked: Sequence[int] = (),
) -> Markup:
    """An indicator over time: the measurements, the baseline as a level and the target line
    from the baseline to the target (its date and value). ``labels``: the legend's texts for
    measurements, baseline and target (translated defaults). ``marked``: the indexes of
    points that are estimated, provisional or revised, drawn as hollow points."""
    measured, base_label, target_label = labels or (
        _("Målinger"),
        _("Basislinje"),
        _("Målbillede"),
    )
    locale = _locale()
    points = [(d, float(v)) for d, v in points]
    marks = set(marked)
    legend = []
    if points:
        legend.append(("series", measured))
        if marks:
            legend.append(("hollow", _("Skøn, foreløbig eller revideret")))
    if baseline:
        legend.append(("dotted", base_label))
    if target:
        legend.append(("target", target_label))
    values = [v for _d, v in points]
    days = [d for d, _v in points]
    for known in (baseline, target):
        if known:
            values.append(float(known[1]))
            days.append(known[0])
    frame = _Frame(title, unit, locale, legend, values or [0.0], bottom=16)
    parts = frame.axes()
    if days:
        first, last = min(days), max(days)
        low, high = first.toordinal(), last.toordinal()
        low, high = (low - 20, high + 20) if low == high else (low, high)
        pad = (high - low) * 0.04
        low, high = low - pad, high + pad

        def x(day: date) -> float:
            return frame.left + (day.toordinal() - low) / (high - low) * frame.plot_width

        parts += _month_ticks(frame, first, last, x, low, high)
        if baseline:
            y = frame.y(float(baseline[1]))
            parts.append(_line(frame.left, y, frame.right, y, MUTED, "1.5 2.5", 1.2))
        if target:
            start = baseline or target
            tx, ty = x(target[0]), frame.y(float(target[1]))
            parts.append(_line(x(start[0]), frame.y(float(start[1])), tx, ty, TARGET, "5 3", 1.3))
            parts.append(_diamond(tx, ty, TARGET))
        if points:
            xy = [(x(d), frame.y(v)) for d, v in points]
            parts.append(svg.element("path", d=svg.path(xy), fill="none", stroke=BRAND,
                                     stroke_width="1.6", stroke_linejoin="round"))  # fmt: skip
            parts += [_point(px, py, n in marks) for n, (px, py) in enumerate(xy)]
    return frame.markup(parts)


def distribution_chart(
    title: str,
    values: Sequence[tuple[str, Decimal]],
    *,
    median: Decimal | None = None,
    unit: str = "",
    highlight: int | None = None,
    labels: tuple[str] | None = None,
) -> Markup:
    """One bar per municipality (``values``: name and value, in the order to draw), the
    median as a dashed line; ``highlight`` marks one bar (say the viewer's own). With more
    than 15 bars the names are left to the table next to the chart."""
    locale = _locale()
    bars = [(name, float(v)) for name, v in values]
    legend = [("dashed", (labels or (_("Median"),))[0])] if median is not None else []
    named = 0 < len(bars) <= NAMES_AT_MOST
    names = [svg.shortened(name, NAME_SIZE, 110) for name, _v in bars] if named else []
    # Names are written at 35° below the axis: the drawing grows to hold the longest.
    longest = max((svg.text_width(n, NAME_SIZE) for n in names), default=0)
    bottom = 8 + longest * math.sin(math.radians(35)) + NAME_SIZE if names else 6
    heights = [v for _n, v in bars] + ([float(median)] if median is not None else [])
    frame = _Frame(title, unit, locale, legend, [0.0, *heights], bottom=bottom)
    if names:  # the first name must not run out on the left
        reach = svg.text_width(names[0], NAME_SIZE) * math.cos(math.radians(35))
        frame.widen_left(reach - frame.plot_width / len(bars) / 2 + 4)
    parts = frame.axes()
    band = frame.plot_width / max(len(bars), 1)
    zero = frame.y(0)
    shapes = {False: [], True: []}
    for n, (_name, value) in enumerate(bars):
        left, right = frame.left + band * (n + 0.15), frame.left + band * (n + 0.85)
        top = frame.y(value)
        shapes[n == highlight].append(svg.path([(left, zero), (left, top), (right, top), (right, zero)]) + "Z")  # fmt: skip
    for mine, colour in ((False, BRAND), (True, HIGHLIGHT)):
        if shapes[mine]:
            parts.append(svg.element("path", d="".join(shapes[mine]), fill=colour))
    parts.append(_line(frame.left, zero, frame.right, zero, MUTED, None, 0.8))
    if median is not None:
        y = frame.y(float(median))
        parts.append(_line(frame.left, y, frame.right, y, TARGET, "5 3", 1.3))
    for n, name in enumerate(names):
        cx, cy = frame.left + band * (n + 0.5), frame.plot_bottom + 4 + NAME_SIZE * 0.7
        parts.append(svg.text(cx, cy, name, font_size=NAME_SIZE, text_anchor="end",
                              transform=f"rotate(-35 {svg.num(cx)} {svg.num(cy)})"))  # fmt: skip
    return frame.markup(parts)


class _Frame:
    """The drawing's layout: the legend's rows on top, the value axis (its numbers and the
    unit) on the left, the plot, and ``bottom`` points below it for the other axis."""

    def __init__(self, title, unit, locale, legend, values, *, bottom: float) -> None:
        self.title, self.unit, self.locale = title, unit, locale
        self.ticks = svg.ticks(min(values), max(values))
        self.labels = [svg.number(t, locale) for t in self.ticks]
        widest = max(svg.text_width(label, SIZE) for label in self.labels)
        self.left = 6 + (SIZE + 6 if unit else 0) + widest + 5
        self.right = WIDTH - 24  # room for half of the last month's name
        self.legend, rows = _legend(legend)
        self.plot_top = 6 + rows * LEGEND_ROW + (8 if rows else 4)
        self.plot_bottom = self.plot_top + PLOT_HEIGHT
        self.height = math.ceil(self.plot_bottom + bottom)

    def widen_left(self, left: float) -> None:
        self.left = max(self.left, left)

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.plot_bottom - (value - low) / (high - low) * PLOT_HEIGHT

    def axes(self) -> list[str]:
        parts = []
        for tick, label in zip(self.ticks, self.labels, strict=True):
            y = self.y(tick)
            parts.append(_line(self.left, y, self.right, y, GRID, None, 0.6))
            parts.append(svg.text(self.left - 5, y + SIZE * 0.35, label, text_anchor="end"))
        parts.append(_line(self.left, self.plot_top, self.left, self.plot_bottom, MUTED, None, 0.8))
        if self.unit:
            cx, cy = 6 + SIZE * 0.8, (self.plot_top + self.plot_bottom) / 2
            unit = svg.shortened(self.unit, SIZE, PLOT_HEIGHT)
            parts.append(svg.text(cx, cy, unit, text_anchor="middle",
                                  transform=f"rotate(-90 {svg.num(cx)} {svg.num(cy)})"))  # fmt: skip
        return parts

    def markup(self, parts: list[str]) -> Markup:
        label = escape(self.title)
        head = svg.attributes(
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "viewBox": f"0 0 {WIDTH} {self.height}",
                "width": f"{WIDTH}pt",
                "height": f"{self.height}pt",
                "role": "img",
                "aria-label": self.title,
                "class": "chart",
                "font-family": svg.FONT,
                "font-size": SIZE,
                "fill": INK,
            }
        )
        return Markup(f"<svg{head}><title>{label}</title>{''.join(self.legend + parts)}</svg>")


def _legend(entries: list[tuple[str, str]]) -> tuple[list[str], int]:
    """The legend's entries in rows from the left edge, a new row where the next would pass
    the right edge: (markup, number of rows). Each entry is a sample (22 points) and its
    text; ``<g class="legend">`` holds them all."""
    if not entries:
        return [], 0
    parts, x, row = [], 6.0, 0
    for kind, label in entries:
        label = svg.shortened(label, LEGEND_SIZE, WIDTH - 12 - 26)
        width = 26 + svg.text_width(label, LEGEND_SIZE)
        if x > 6 and x + width > WIDTH - 6:
            x, row = 6.0, row + 1
        y = 6 + row * LEGEND_ROW + LEGEND_ROW / 2
        parts.append(_sample(kind, x, y))
        parts.append(svg.text(x + 26, y + LEGEND_SIZE * 0.35, label, font_size=LEGEND_SIZE))
        x += width + 12
    return ['<g class="legend">', *parts, "</g>"], row + 1


def _sample(kind: str, x: float, y: float) -> str:
    if kind == "series":
        return _line(x, y, x + 22, y, BRAND, None, 1.6) + _point(x + 11, y, False)
    if kind == "hollow":
        return _point(x + 11, y, True)
    if kind == "dotted":
        return _line(x, y, x + 22, y, MUTED, "1.5 2.5", 1.2)
    if kind == "target":
        return _line(x, y, x + 22, y, TARGET, "5 3", 1.3) + _diamond(x + 11, y, TARGET)
    return _line(x, y, x + 22, y, TARGET, "5 3", 1.3)  # dashed: the median


def _line(x1, y1, x2, y2, colour, dashes, width) -> str:
    return svg.element(
        "path", d=svg.path([(x1, y1), (x2, y2)]), stroke=colour, stroke_width=str(width),
        stroke_dasharray=dashes, fill="none",
    )  # fmt: skip


def _point(x: float, y: float, hollow: bool) -> str:
    if hollow:  # estimated, provisional or revised: an open ring
        return svg.element("circle", cx=svg.num(x), cy=svg.num(y), r="3", fill="#ffffff",
                           stroke=BRAND, stroke_width="1.4")  # fmt: skip
    return svg.element("circle", cx=svg.num(x), cy=svg.num(y), r="2", fill=BRAND)


def _diamond(x: float, y: float, colour: str) -> str:
    d = svg.path([(x, y - 3.5), (x + 3.5, y), (x, y + 3.5), (x - 3.5, y)]) + "Z"
    return svg.element("path", d=d, fill=colour)


def _month_ticks(frame: _Frame, first: date, last: date, x, low: float, high: float) -> list:
    """A mark and a "jan. 2026" every 1, 2, 3, 6, 12 or 24 months: at most seven."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((n for n in (1, 2, 3, 6, 12, 24) if months / n <= 7), 48)
    parts = []
    index = first.year * 12 + first.month - 1
    while True:
        day = date(index // 12, index % 12 + 1, 1)
        if day.toordinal() > high:
            return parts
        if day.toordinal() >= low and index % step == 0:
            px = x(day)
            parts.append(_line(px, frame.plot_bottom, px, frame.plot_bottom + 3, MUTED, None, 0.8))
            label = format_date(day, "MMM y", locale=frame.locale)
            parts.append(svg.text(px, frame.plot_bottom + 4 + SIZE, label, text_anchor="middle"))
        index += 1
