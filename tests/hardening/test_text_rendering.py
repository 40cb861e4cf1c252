"""Free text in charts and PDF headers is text: "$…$" is no mathtext, "\\f" ends no CSS string."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from portal.benefits.display import charts
from portal.pdf import css_string


@pytest.mark.parametrize("text", ["kr. $\\frac{1}{0", "$x^$", "pris i $ pr. $"])
def test_dollar_signs_in_units_and_names_are_plain_text(text):
    svg = charts.indicator_chart(
        text,
        [(date(2026, 1, 1), D(1)), (date(2026, 2, 1), D(2))],
        baseline=(date(2025, 12, 1), D(0)),
        target=(date(2026, 6, 30), D(3)),
        unit=text,
    )
    assert "<svg" in svg
    bars = charts.distribution_chart(text, [(text, D(10)), ("Aarhus", D(20))], unit=text)
    assert "<svg" in bars


@pytest.mark.parametrize("char", ["\f", "\r", "\n", "\x00", "\u2028", '"', "\\"])
def test_nothing_breaks_out_of_a_css_string(char):
    shown = css_string(f"Kommune{char}}} body {{ display: none")
    assert char not in shown and "Kommune" in shown
