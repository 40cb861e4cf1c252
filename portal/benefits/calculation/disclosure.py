"""Statistical disclosure (DESIGN "Indicators and benefits"): a count between 1 and 4 is
shown as "< 5" wherever another municipality can see it — the community and national views,
and the reports that carry them. A municipality's own dashboard shows its own exact figures.
It protects *observed* counts of people and events (a baseline, a measurement): a target is
a promise, not an observation, and is never suppressed.

An aggregate another municipality can see (a community's or a round's median) of fewer than
``MIN_MUNICIPALITIES`` municipalities is not shown but says "færre end 3 kommuner": in a
community of two, a member would otherwise derive the other's value from its own and the
median.

Which indicators are counts is read from the unit, the free text the programme files give:
``antal`` and the shipped counting units (``borgere``, ``besøg pr. måned``, ``antal pr.
måned``). Averages and rates (``%``, ``minutter``, ``medarbejdere`` as an average per citizen,
``sessioner`` per citizen, scores ``1–5``) are not counts.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

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


MIN_MUNICIPALITIES = 3


def too_few(count: int) -> bool:
    """An aggregate over ``count`` municipalities is withheld."""
    return count < MIN_MUNICIPALITIES


def too_few_text() -> str:
    return _("færre end 3 kommuner")


def is_suppressed(value) -> bool:
    return value == SUPPRESSED
