"""The small pieces the charts are written with: SVG elements as text (every value escaped,
styles as presentation attributes, since the Content-Security-Policy allows no inline style),
how wide a text is in the charts' font, round tick values and Danish numbers.

Text widths come from DejaVu Sans' own advance widths (the font the pages and WeasyPrint's
PDFs draw the charts in; Arial and Helvetica are narrower), so a legend or a label is laid
out with the room it takes and is never cut off by the drawing's edge."""

from __future__ import annotations

import math
from decimal import Decimal

from babel.numbers import format_decimal
from markupsafe import escape

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"

# DejaVu Sans advance widths in thousandths of an em; others count as the widest of these.
_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~æøåÆØÅéÉüöäÖÄ–—·…«»€§½"
)
_ADVANCES = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838, 982, 612, 613, 974, 787, 684, 615, 632, 634, 612, 613, 787, 684,
    500, 1000, 318, 1000, 612, 612, 636, 500, 969,
)  # fmt: skip
_WIDTH = dict(zip(_CHARS, _ADVANCES, strict=True))
_WIDEST = 1000


def text_width(text: str, size: float) -> float:
    """The width of ``text`` set at ``size`` in DejaVu Sans."""
    return sum(_WIDTH.get(c, _WIDEST) for c in text) * size / 1000


def shortened(text: str, size: float, room: float) -> str:
    """``text``, cut with an ellipsis where it would be wider than ``room``."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def attributes(values: dict) -> str:
    return "".join(
        f' {name.replace("_", "-")}="{escape(value)}"'
        for name, value in values.items()
        if value is not None
    )


def element(tag: str, **values) -> str:
    return f"<{tag}{attributes(values)}/>"


def text(x: float, y: float, content: str, **values) -> str:
    return f"<text{attributes({'x': num(x), 'y': num(y), **values})}>{escape(content)}</text>"


def num(value: float) -> str:
    """A coordinate to a tenth of a unit, without trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def path(points: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{num(x)} {num(y)}" for x, y in points)


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten apart) from at or below ``low`` to at
    or above ``high``, about ``count`` of them."""
    if high <= low:
        low, high = (low - 1, high + 1) if low == 0 else (low - abs(low) / 2, high + abs(high) / 2)
    rough = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(n * step, 10) for n in range(first, last + 1)]


def number(value: float, locale: str) -> str:
    """A tick value in the reader's language: "1.234,5" in Danish."""
    return format_decimal(Decimal(str(round(value, 6))), format="#,##0.##", locale=locale)
