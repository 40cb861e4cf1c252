"""Charts as server-rendered SVG (matplotlib, no pyplot, no JavaScript): an indicator over time
against its target line, and a distribution over municipalities with the median marked.

Each function takes plain values and returns the SVG markup ready to put in a page or a PDF:
no XML header, ``role="img"``, an ``aria-label`` and a ``<title>``, text kept as text
(``svg.fonttype = "none"``, written compactly by ``svg_markup``), Danish numbers on the axes and months as "jan. 2026". A chart
is never the only way to read its figures: the page shows a table next to it.

Rendering costs milliseconds, so a chart is rendered once per distinct data and language: the
arguments become a frozen ``_Spec`` whose hash keys an LRU cache in the process and, across
the app's processes and restarts, a file in the instance folder (``CHART_CACHE_DIR``,
default ``instance/charts``; empty turns it off). The key is a digest of everything drawn, so
it is the data's version: changed figures give a new key and an old chart is never served.
Element ids are prefixed by a hash too, so several charts on one page do not share ids.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path as FilePath

import matplotlib
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import current_app, has_app_context
from flask_babel import get_locale, gettext
from markupsafe import Markup
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import MonthLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from portal.benefits import svg_markup as markup

SIZE = (6.4, 2.6)  # inches: 460 × 187 pt, fits a page column and an A4 PDF
INK, BRAND, TARGET, MUTED, HIGHLIGHT = "#1b1b1b", "#005a9c", "#b3261e", "#6b6b6b", "#e07b00"
RC = {
    "svg.fonttype": "none",
    "font.size": 8.5,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # Units and municipality names are free text: "$…$" in one must not become mathtext
    # (a parse error there failed every dashboard and report with the chart).
    "text.parse_math": False,
}
# Fixed margins, not a layout engine: the constrained layout doubles the rendering time.
MARGINS = {
    "series": dict(left=0.12, right=0.95, top=0.88, bottom=0.12),
    "distribution": dict(left=0.12, right=0.97, top=0.88, bottom=0.30),
}
CACHE_SIZE = 512
_lock = threading.Lock()  # rc_context changes matplotlib's global settings while it renders


def _locale() -> str:
    return str(get_locale() or "da") if has_app_context() else "da"


def _(text: str) -> str:
    return gettext(text) if has_app_context() else text


@dataclass(frozen=True)
class _Spec:
    kind: str  # series | distribution
    title: str
    locale: str
    unit: str
    labels: tuple[str, ...]  # legend texts
    points: tuple[tuple, ...]
    baseline: tuple | None = None
    target: tuple | None = None
    median: Decimal | None = None
    highlight: int | None = None  # index of the bar to mark (the viewer's municipality)
    marked: tuple[int, ...] = ()  # points with a quality mark: drawn hollow

    @property
    def digest(self) -> str:
        return hashlib.sha1(repr(self).encode()).hexdigest()[:10]


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
    spec = _Spec(
        "series",
        title,
        _locale(),
        unit,
        labels or (_("Målinger"), _("Basislinje"), _("Målbillede")),
        tuple((d, Decimal(v)) for d, v in points),
        (baseline[0], Decimal(baseline[1])) if baseline else None,
        (target[0], Decimal(target[1])) if target else None,
        marked=tuple(marked),
    )
    return _render(spec)


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
    spec = _Spec(
        "distribution",
        title,
        _locale(),
        unit,
        labels or (_("Median"),),
        tuple((name, Decimal(v)) for name, v in values),
        median=Decimal(median) if median is not None else None,
        highlight=highlight,
    )
    return _render(spec)


def _cache_dir() -> FilePath | None:
    if not has_app_context():
        return None
    folder = current_app.config.get("CHART_CACHE_DIR")
    if folder is None:
        folder = os.path.join(current_app.instance_path, "charts")
    return FilePath(folder) if folder else None


@lru_cache(maxsize=CACHE_SIZE)
def _render(spec: _Spec) -> Markup:
    folder = _cache_dir()
    if folder is None:
        return _draw(spec)
    key = repr((markup.FORMAT, spec))  # a file of an older markup is never read back
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()}.svg"
    try:
        return Markup(path.read_text(encoding="utf-8"))
    except OSError:
        pass
    svg = _draw(spec)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Several processes may draw the same chart: write aside, then swap in atomically.
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False
        ) as out:
            out.write(svg)
        os.replace(out.name, path)
    except OSError:  # a read-only instance folder costs a render, never the page
        pass
    return svg


def _draw(spec: _Spec) -> Markup:
    buffer = io.StringIO()
    # Artists read the settings when they are made: build and save inside the context.
    with _lock, matplotlib.rc_context({**RC, "svg.hashsalt": spec.digest}):
        figure = Figure(figsize=SIZE)
        figure.subplots_adjust(**MARGINS[spec.kind])
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        if spec.kind == "series":
            _draw_series(axes, spec)
        else:
            _draw_distribution(axes, spec)
        axes.yaxis.set_major_locator(MaxNLocator(5))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _number(x, spec.locale)))
        if spec.unit:
            axes.set_ylabel(spec.unit)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return Markup(markup.compact(markup.accessible(buffer.getvalue(), spec.title, spec.digest)))


def _number(value: float, locale: str) -> str:
    if not math.isfinite(value):
        return ""
    return format_decimal(Decimal(str(round(float(value), 6))), format="#,##0.##", locale=locale)


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _draw_series(axes, spec: _Spec) -> None:
    measured, base_label, target_label = spec.labels
    days = [d for d, _v in spec.points]
    if spec.points:
        axes.plot(
            [date2num(d) for d in days],
            [float(v) for _d, v in spec.points],
            color=BRAND,
            marker="o",
            markersize=3.5,
            linewidth=1.6,
            label=measured,
        )
        if spec.marked:
            axes.plot(
                [date2num(days[i]) for i in spec.marked],
                [float(spec.points[i][1]) for i in spec.marked],
                linestyle="none",
                marker="o",
                markersize=5,
                markerfacecolor="white",
                markeredgecolor=BRAND,
                markeredgewidth=1.4,
                label=_("Skøn, foreløbig eller revideret"),
            )
    if spec.baseline:
        axes.axhline(float(spec.baseline[1]), color=MUTED, linestyle=":", linewidth=1.2)
        days.append(spec.baseline[0])
        axes.plot([], [], color=MUTED, linestyle=":", label=base_label)  # legend entry
    if spec.target:
        start = spec.baseline or spec.target
        axes.plot(
            [date2num(start[0]), date2num(spec.target[0])],
            [float(start[1]), float(spec.target[1])],
            color=TARGET,
            linestyle="--",
            linewidth=1.3,
            marker="D",
            markevery=[1],
            markersize=4,
            label=target_label,
        )
        days.append(spec.target[0])
    if days:
        first, last = min(days), max(days)
        step = next(n for n in (1, 2, 3, 6, 12, 24) if _months(first, last) / n <= 7)
        axes.xaxis.set_major_locator(MonthLocator(bymonthday=1, interval=step))
        axes.xaxis.set_major_formatter(
            FuncFormatter(
                lambda x, _pos: format_date(num2date(x).date(), "MMM y", locale=spec.locale)
            )
        )
        if first == last:
            axes.set_xlim(date2num(first) - 20, date2num(last) + 20)
        _legend(axes)
    else:
        axes.set_xticks([])


def _legend(axes) -> None:
    """Above the plot, so it never hides a point."""
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, frameon=False, fontsize=7.5)


def _bars(bars: Sequence[tuple[int, float]], width: float = 0.7) -> Path:
    """Bars as one compound path: one SVG element for a hundred bars, where ``axes.bar``
    makes (and the PDF typesets) a patch each."""
    vertices, codes = [], []
    for x, value in bars:
        left, right = x - width / 2, x + width / 2
        vertices += [(left, 0), (left, value), (right, value), (right, 0), (left, 0)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    return Path(vertices, codes)


def _draw_distribution(axes, spec: _Spec) -> None:
    names = [name for name, _v in spec.points]
    values = [float(v) for _n, v in spec.points]
    for colour, mine in ((BRAND, False), (HIGHLIGHT, True)):
        bars = [(n, v) for n, v in enumerate(values) if (n == spec.highlight) == mine]
        if bars:
            patch = PathPatch(_bars(bars), facecolor=colour, edgecolor="none")
            patch.sticky_edges.y.append(0)  # the bars stand on the axis, as with axes.bar
            axes.add_patch(patch)
    axes.set_xlim(-0.6, max(len(values), 1) - 0.4)
    axes.autoscale_view(scalex=False)
    axes.axhline(0, color=MUTED, linewidth=0.8)
    if spec.median is not None:
        axes.axhline(
            float(spec.median), color=TARGET, linestyle="--", linewidth=1.3, label=spec.labels[0]
        )
        _legend(axes)
    if 0 < len(names) <= 15:
        axes.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=7)
    else:
        axes.set_xticks([])


def cache_clear() -> None:
    """Forget every rendered chart: in this process and in the cache folder."""
    _render.cache_clear()
    folder = _cache_dir()
    if folder is not None and folder.is_dir():
        for path in folder.glob("*.svg"):
            path.unlink(missing_ok=True)
