"""Quality marks on figures: how a baseline, target or measurement is shown when it is not
a plain measured figure. A footnote letter in tables (with the legend under the table), a
hollow point in charts, and a count in summaries ("3 af 98 kommuners tal er skøn")."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.audit.words import register_value_words
from portal.benefits.models import Quality

# Letters, not symbols: they read the same in every font of the PDF and in a spreadsheet.
MARKS = {Quality.ESTIMATED: "s", Quality.PROVISIONAL: "f", Quality.REVISED: "r"}
LABELS = {
    Quality.ESTIMATED: _l("skønnet"),
    Quality.PROVISIONAL: _l("foreløbig"),
    Quality.REVISED: _l("revideret (brud i serien)"),
}


def as_quality(value) -> Quality | None:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, Quality) else Quality(value)


def mark(value) -> str:
    """The footnote letter of a quality (``""`` for a measured figure)."""
    quality = as_quality(value)
    return MARKS[quality] if quality else ""


def label(value) -> str:
    quality = as_quality(value)
    return str(LABELS[quality]) if quality else ""


def legend(values: Iterable = tuple(Quality)) -> str:
    """ "s: skønnet; f: foreløbig" for the marks that occur (all when none are given)."""
    present = {as_quality(v) for v in values} - {None}
    return "; ".join(f"{MARKS[q]}: {LABELS[q]}" for q in Quality if q in present)


def marked_share_text(marked: int, total: int) -> str:
    """ "3 af 98 kommuners tal er skøn eller foreløbige" — a summary's caveat."""
    return _(
        "%(marked)d af %(total)d kommuners tal er skøn, foreløbige eller reviderede.",
        marked=marked,
        total=total,
    )


register_value_words("quality", lambda value: label(value) if value else _l("målt"))
