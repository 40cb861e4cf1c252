"""Periods: a measurement's date names its period by the period's first day."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _

MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"


def month_start(day: date) -> date:
    return day.replace(day=1)


def period_start(day: date, frequency: str = MONTHLY) -> date:
    """The first day of the month, quarter or year ``day`` falls in."""
    frequency = getattr(frequency, "value", frequency)
    if frequency == YEARLY:
        return date(day.year, 1, 1)
    if frequency == QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if frequency == MONTHLY:
        return month_start(day)
    raise ValueError(f"unknown frequency {frequency!r}")


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first``'s to ``last``'s, both included, as first days."""
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


MONTHS_IN = {MONTHLY: 1, QUARTERLY: 3, YEARLY: 12}


def months_in(frequency) -> int:
    """How many months a period of ``frequency`` covers: 1, 3 or 12."""
    return MONTHS_IN[getattr(frequency, "value", frequency)]


def period_label(start: date, frequency) -> str:
    """``september 2025``, ``3. kvartal 2025`` or ``2025``."""
    frequency = getattr(frequency, "value", frequency)
    if frequency == YEARLY:
        return str(start.year)
    if frequency == QUARTERLY:
        return _("%(q)d. kvartal %(year)d", q=(start.month - 1) // 3 + 1, year=start.year)
    return format_date(start, "MMMM yyyy", locale=get_locale() or "da")
