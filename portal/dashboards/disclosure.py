"""Statistical disclosure (DESIGN "Indicators and benefits"): a count between 1 and 4 is
shown as "< 5" wherever another municipality can see it — the community and national views,
and the reports that carry them. A municipality's own dashboard shows its own exact figures;
medians are shown as they are.

Which indicators are counts is read from the unit, the free text the programme files give:
``antal`` and the shipped counting units (``borgere``, ``besøg pr. måned``, ``antal pr.
måned``). Averages and rates (``%``, ``minutter``, ``medarbejdere`` as an average per citizen,
``sessioner`` per citizen, scores ``1–5``) are not counts.
"""

from __future__ import annotations

from decimal import Decimal

SUPPRESSED = "< 5"
THRESHOLD = 5
# The first word of a counting unit (Danish first, then English as a coordinator may type it).
COUNT_WORDS = frozenset(
    {"antal", "borgere", "besøg", "personer", "brugere", "count", "citizens", "visits", "people"}
)


def is_count(unit: str | None) -> bool:
    words = (unit or "").strip().lower().split()
    return bool(words) and words[0].rstrip(".,:") in COUNT_WORDS


def suppress(
    value: Decimal | int | None, unit: str | None, own: bool
) -> Decimal | int | str | None:
    """``value``, or ``"< 5"`` when it is a count between 1 and 4 (anything above 0 and
    below 5) that someone other than its own municipality is about to see."""
    if own or value is None or not is_count(unit):
        return value
    return SUPPRESSED if 0 < value < THRESHOLD else value


def is_suppressed(value) -> bool:
    return value == SUPPRESSED
