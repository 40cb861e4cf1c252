"""What one dashboard chart costs to draw from its data (``chart_ms``: the median of many,
36 months with two hollow points, a baseline and a target, as ``portal.benefits.display.charts``
draws it), and, measured in the same run, the engines it was chosen against when they are
installed (the ``dev`` extra): the same chart as a Vega-Lite specification rendered to SVG
by vl-convert (``chart_vl_convert_ms``) and drawn by pygal (``chart_pygal_ms``). Their
ratios to ours say how the choice holds on whatever machine runs the bench.

``python -m bench.charts`` runs this part alone."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from portal.benefits.display import charts

REPEAT = 25


def _points() -> list[tuple[date, Decimal]]:
    return [
        (date(2025 + (8 + n) // 12, (8 + n) % 12 + 1, 1), Decimal(100 + 7 * n)) for n in range(36)
    ]


def median_ms(draw: Callable[[], object], repeat: int = REPEAT) -> float:
    draw()  # imports and first-use costs are not a chart's
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        draw()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def ours() -> str:
    return charts.indicator_chart(
        "Skærmbesøg over tid",
        _points(),
        baseline=(date(2025, 8, 15), Decimal(90)),
        target=(date(2027, 3, 31), Decimal(400)),
        unit="besøg pr. måned",
        marked=(3, 10),
    )


def _vega_lite_spec() -> dict:
    """The same chart in Vega-Lite: the line with points (hollow where marked), the baseline
    and the target line, Danish numbers and months."""
    points = [
        {"d": d.isoformat(), "v": float(v), "m": n in (3, 10)} for n, (d, v) in enumerate(_points())
    ]
    x = {"field": "d", "type": "temporal", "title": None, "axis": {"format": "%b %Y"}}
    y = {"field": "v", "type": "quantitative", "title": "besøg pr. måned"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 400,
        "height": 130,
        "title": "Skærmbesøg over tid",
        "config": {"locale": {"number": {"decimal": ",", "thousands": ".", "grouping": [3],
                                         "currency": ["", " kr."]}}},  # fmt: skip
        "layer": [
            {"data": {"values": points}, "mark": {"type": "line", "color": "#005a9c"},
             "encoding": {"x": x, "y": y}},
            {"data": {"values": points}, "mark": {"type": "point", "color": "#005a9c"},
             "encoding": {"x": x, "y": y, "filled": {"field": "m", "type": "nominal"}}},
            {"data": {"values": [{"v": 90}]}, "mark": {"type": "rule", "strokeDash": [2, 2]},
             "encoding": {"y": {"field": "v", "type": "quantitative"}}},
            {"data": {"values": [{"d": "2025-08-15", "v": 90}, {"d": "2027-03-31", "v": 400}]},
             "mark": {"type": "line", "strokeDash": [5, 3], "color": "#b3261e"},
             "encoding": {"x": x, "y": y}},
        ],
    }  # fmt: skip


def vl_convert() -> Callable[[], object] | None:
    try:
        import vl_convert as vlc
    except ImportError:
        return None
    spec = _vega_lite_spec()
    return lambda: vlc.vegalite_to_svg(spec)


def pygal_chart() -> Callable[[], object] | None:
    try:
        import pygal
    except ImportError:
        return None

    def draw():
        chart = pygal.DateLine(
            width=640, height=260, title="Skærmbesøg over tid", disable_xml_declaration=True,
            js=[], x_label_rotation=0, value_formatter=lambda v: f"{v:,.0f}".replace(",", "."),
            legend_at_bottom=False,
        )  # fmt: skip
        points = _points()
        chart.add("Målinger", [(d, float(v)) for d, v in points])
        chart.add("Skøn", [(points[n][0], float(points[n][1])) for n in (3, 10)], stroke=False)
        chart.add("Basislinje", [(date(2025, 8, 15), 90.0), (date(2028, 8, 1), 90.0)])
        chart.add("Målbillede", [(date(2025, 8, 15), 90.0), (date(2027, 3, 31), 400.0)])
        return chart.render(is_unicode=True)

    return draw


def run(bench) -> None:
    ms = median_ms(ours, repeat=REPEAT * 4)
    bench("chart_ms", ms)
    for name, make in (("vl_convert", vl_convert), ("pygal", pygal_chart)):
        draw = make()
        if draw is None:
            print(f"BENCH chart_{name}: not installed (the dev extra)")
            continue
        theirs = median_ms(draw)
        bench(f"chart_{name}_ms", theirs)
        bench(f"chart_{name}_vs_ours_ratio", theirs / ms)


if __name__ == "__main__":
    from bench.__main__ import bench

    run(bench)
