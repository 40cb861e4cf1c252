"""The rules a figure keeps, written once over columns (pandas) so that a form (one row) and
an import (ten thousand rows) are checked the same way and refused with the same messages.

The rules:

- a value of an indicator whose unit is ``%`` lies within 0–100 (the target's pessimistic
  and optimistic values too);
- dates lie inside the round's period (``period_start``..``period_end``), except a
  baseline's, which may lie up to a year before the period starts (the baseline is often
  measured the year before the collaboration begins);
- a measurement's date names its period: it is stored as the first day of its month, quarter
  or year (by the indicator's frequency), and that period must overlap the round's period;
- nothing from the future: a measurement's period has begun (today in Europe/Copenhagen)
  and a baseline's date is not after today; a target's date may well lie ahead;
- no measurement before the baseline: a measurement's period must not end before the
  baseline's date, and a baseline cannot be moved after measurements already recorded;
- a cost is not negative and has a category; free texts hold no CPR number.

``check`` returns ``(row, field, message)`` for each broken rule; the messages start in lower
case (the import lists them after the line number; ``sentence`` makes them a form's message).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from flask_babel import gettext as _

from portal.benefits.calculation import periods
from portal.benefits.calculation.periods import add_months, period_start  # noqa: F401  (rules API)
from portal.benefits.models import MAX_CATEGORY, MAX_NOTE
from portal.i18n import local_date, local_today, number
from portal.programmes.models import Frequency, Indicator, Round
from portal.textcheck import CPR_MESSAGE, looks_like_cpr

BASELINE_LEAD = timedelta(days=365)  # how long before the period a baseline may be measured
_TEN_DIGITS = r"\d{6}[- ]?\d{4}"  # a cheap first look for CPR-shaped text


class Kind(enum.StrEnum):
    BASELINE = "baseline"
    TARGET = "target"
    MEASUREMENT = "measurement"
    COST = "cost"


# --- periods (``period_start`` is the one in ``portal.benefits.calculation.periods``) ----------------------


def period_end(start: date, frequency: Frequency) -> date:
    months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}[frequency]
    return add_months(start, months) - timedelta(days=1)


def period_label(start: date, frequency: Frequency) -> str:
    """``september 2025``, ``3. kvartal 2025`` or ``2025``."""
    return periods.period_label(start, frequency)


def period_starts(days: pd.Series, frequencies: pd.Series) -> pd.Series:
    """``period_start`` column-wise: datetimes and frequency values row by row (NaT stays)."""
    values = days.to_numpy(dtype="datetime64[ns]")
    months = values.astype("datetime64[M]")
    quarters = months.astype(np.int64)
    quarters = (quarters - quarters % 3).astype("datetime64[M]")  # 1970-01 is month 0
    years = values.astype("datetime64[Y]").astype("datetime64[M]")
    freq = frequencies.to_numpy(dtype=object)
    chosen = np.where(
        freq == Frequency.YEARLY.value,
        years,
        np.where(freq == Frequency.QUARTERLY.value, quarters, months),
    )
    result = pd.Series(chosen.astype("datetime64[ns]"), index=days.index)
    return result.where(days.notna())


# --- messages --------------------------------------------------------------------------------


def sentence(message: str) -> str:
    """A reason as a form shows it: capital first letter, full stop."""
    text = str(message)
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def _date_window_message(kind: str, day: date, earliest: date, latest: date, label: str) -> str:
    if kind == Kind.BASELINE:
        return _(
            "basislinjens dato %(date)s skal ligge mellem %(start)s (et år før forløbets"
            " start) og forløbets slutning %(end)s",
            date=local_date(day),
            start=local_date(earliest),
            end=local_date(latest),
        )
    if kind == Kind.MEASUREMENT:
        return _(
            "målingen for %(period)s ligger uden for forløbets periode %(start)s–%(end)s",
            period=label,
            start=local_date(earliest),
            end=local_date(latest),
        )
    return _(
        "datoen %(date)s ligger uden for forløbets periode %(start)s–%(end)s",
        date=local_date(day),
        start=local_date(earliest),
        end=local_date(latest),
    )


def percent_message(value) -> str:
    return _("en procentværdi skal ligge mellem 0 og 100, ikke %(value)s", value=number(value, 4))


# --- the check -------------------------------------------------------------------------------


@dataclass
class Existing:
    """What is already recorded for the participations being checked, as frames keyed by
    ``participation_id`` and ``indicator_id``: baseline dates (``measured_on``) and the
    first measured period (``first_period``)."""

    baselines: pd.DataFrame
    first_periods: pd.DataFrame

    @classmethod
    def empty(cls) -> Existing:
        return cls(
            pd.DataFrame(columns=["participation_id", "indicator_id", "measured_on"]),
            pd.DataFrame(columns=["participation_id", "indicator_id", "first_period"]),
        )


Problem = tuple[object, str, str]  # (row index, field, message)


def check(
    frame: pd.DataFrame,
    round_: Round,
    indicators: dict[int, Indicator],
    existing: Existing,
    *,
    today: date | None = None,
) -> tuple[list[Problem], pd.Series]:
    """Check figures given as rows of ``frame``: ``kind`` (a ``Kind`` value),
    ``participation_id``, ``indicator_id`` (missing for a cost), ``date`` (datetime64, NaT
    when unreadable: then its date rules are skipped), ``value`` (Decimal, missing when
    unreadable), optionally ``pessimistic``, ``optimistic`` (Decimals), ``category`` and
    ``note`` (texts).

    ``today``: the day that decides what lies in the future (default: today in Denmark).
    Returns the problems and the measurement periods (datetime64 by row; NaT for other kinds).
    """
    problems: list[Problem] = []
    kind = frame["kind"]
    indicator_ids = frame["indicator_id"]
    units = {i.id: i.unit.strip() == "%" for i in indicators.values()}
    frequencies = indicator_ids.map({i.id: i.frequency.value for i in indicators.values()}).astype(
        object
    )
    days = pd.to_datetime(frame["date"])

    is_pct = indicator_ids.map(units).eq(True) & (kind != Kind.COST)
    for field in ("value", "pessimistic", "optimistic"):
        if field not in frame:
            continue
        values = frame[field]
        numbers = pd.to_numeric(values.map(float, na_action="ignore"))
        bad = is_pct & ((numbers < 0) | (numbers > 100))
        problems += [(i, field, percent_message(values[i])) for i in frame.index[bad]]

    if "value" in frame:
        numbers = pd.to_numeric(frame["value"].map(float, na_action="ignore"))
        bad = (kind == Kind.COST) & (numbers < 0)
        problems += [
            (i, "value", _("en omkostning kan ikke være negativ")) for i in frame.index[bad]
        ]

    periods = period_starts(days, frequencies.fillna(Frequency.MONTHLY.value)).where(
        kind == Kind.MEASUREMENT
    )
    start, end = pd.Timestamp(round_.period_start), pd.Timestamp(round_.period_end)
    first_period = period_starts(pd.Series([start] * len(frame), index=frame.index), frequencies)
    earliest = pd.Series(start, index=frame.index)
    earliest[kind == Kind.BASELINE] = pd.Timestamp(round_.period_start - BASELINE_LEAD)
    compared = days.copy()
    measured = kind == Kind.MEASUREMENT
    earliest[measured] = first_period[measured]
    compared[measured] = periods[measured]
    outside = compared.notna() & ((compared < earliest) | (compared > end))
    for i in frame.index[outside]:
        label = ""
        if measured[i]:
            label = period_label(periods[i].date(), Frequency(frequencies[i]))
        shown_start = start if measured[i] else earliest[i]  # not the period's first day
        message = _date_window_message(
            kind[i], days[i].date(), shown_start.date(), end.date(), label
        )
        problems.append((i, "date", message))
    problems += _check_future(frame, days, periods, frequencies, outside, today or local_today())

    problems += _check_against_baseline(frame, days, periods, frequencies, existing)
    problems += _check_texts(frame)
    return problems, periods


def _check_future(frame, days, periods, frequencies, outside, today: date) -> list[Problem]:
    """A measurement for a period that has not begun, or a baseline dated after today, is
    refused (a row already outside the round's period has its message)."""
    kind = frame["kind"]
    now = pd.Timestamp(today)
    measured = (kind == Kind.MEASUREMENT) & periods.notna() & (periods > now)
    baseline = (kind == Kind.BASELINE) & days.notna() & (days > now)
    problems: list[Problem] = []
    for i in frame.index[measured & ~outside]:
        label = period_label(periods[i].date(), Frequency(frequencies[i]))
        problems.append((i, "date", future_message(label, today)))
    for i in frame.index[baseline & ~outside]:
        problems.append(
            (
                i,
                "date",
                _(
                    "datoen %(date)s ligger efter i dag (%(today)s): en basislinje er en"
                    " måling, der er foretaget",
                    date=local_date(days[i].date()),
                    today=local_date(today),
                ),
            )
        )
    return problems


def future_message(period: str, today: date) -> str:
    return _(
        "målingen for %(period)s kan ikke registreres endnu: perioden er ikke begyndt"
        " (i dag er det %(today)s)",
        period=period,
        today=local_date(today),
    )


def _check_against_baseline(frame, days, periods, frequencies, existing: Existing):
    """No measurement before the baseline: the file's (or form's) own baselines count before
    the recorded ones."""
    keys = ["participation_id", "indicator_id"]
    as_keys = {"participation_id": float, "indicator_id": float}  # ids missing in a file row
    kind = frame["kind"]
    new_baselines = (
        frame.loc[(kind == Kind.BASELINE) & days.notna(), keys]
        .astype(as_keys)
        .assign(measured_on=days)
    )
    recorded = existing.baselines[keys + ["measured_on"]].astype(
        {**as_keys, "measured_on": "datetime64[ns]"}
    )
    effective = pd.concat([new_baselines, recorded]).drop_duplicates(keys, keep="first")
    problems: list[Problem] = []

    measurements = (
        frame.loc[(kind == Kind.MEASUREMENT) & periods.notna(), keys]
        .astype(as_keys)
        .assign(period=periods, frequency=frequencies, row=lambda f: f.index)
    )
    if not measurements.empty and not effective.empty:
        joined = measurements.merge(effective, on=keys, how="inner")
        joined["baseline_period"] = period_starts(joined["measured_on"], joined["frequency"])
        for row in joined[joined["period"] < joined["baseline_period"]].itertuples():
            problems.append(
                (
                    row.row,
                    "date",
                    _(
                        "målingen for %(period)s ligger før basislinjens dato %(baseline)s",
                        period=period_label(row.period.date(), Frequency(row.frequency)),
                        baseline=local_date(row.measured_on.date()),
                    ),
                )
            )

    baselines = new_baselines.assign(frequency=frequencies, row=lambda f: f.index)
    firsts = existing.first_periods[keys + ["first_period"]].astype(
        {**as_keys, "first_period": "datetime64[ns]"}
    )
    if not baselines.empty and not firsts.empty:
        joined = baselines.merge(firsts, on=keys, how="inner")
        joined["baseline_period"] = period_starts(joined["measured_on"], joined["frequency"])
        for row in joined[joined["first_period"] < joined["baseline_period"]].itertuples():
            problems.append(
                (
                    row.row,
                    "date",
                    _(
                        "der er allerede en måling for %(period)s, før basislinjens dato"
                        " %(date)s; vælg en tidligere dato eller slet målingen først",
                        period=period_label(row.first_period.date(), Frequency(row.frequency)),
                        date=local_date(row.measured_on.date()),
                    ),
                )
            )
    return problems


def _check_texts(frame: pd.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    for field in ("note", "category"):
        if field not in frame:
            continue
        texts = frame[field].fillna("").astype(str)
        limit = MAX_CATEGORY if field == "category" else MAX_NOTE
        too_long = texts.str.len() > limit
        problems += [
            (i, field, _("teksten er længere end %(max)d tegn", max=limit))
            for i in frame.index[too_long]
        ]
        maybe_cpr = texts.str.contains(_TEN_DIGITS)
        problems += [
            (i, field, str(CPR_MESSAGE)[:1].lower() + str(CPR_MESSAGE)[1:].rstrip("."))
            for i in frame.index[maybe_cpr]
            if looks_like_cpr(texts[i])
        ]
    if "category" in frame:
        empty = (frame["kind"] == Kind.COST) & (frame["category"].fillna("").str.strip() == "")
        problems += [
            (i, "category", _("omkostningen mangler en kategori")) for i in frame.index[empty]
        ]
    return problems
