"""The demo's figures: baselines, targets, monthly (quarterly, yearly) measurements up to
today and costs for every participation of the running rounds, loaded through the same
file import a municipality uses (``portal.benefits.importing``).

Each municipality gets its own size and pace, so the dashboards show municipalities ahead
of plan, on track, at risk and off track. One of them, Aarhus in the screen-visit round,
has round numbers so its benefits can be checked by hand: 600 screen visits a month saving
15 minutes each (150 hours a month) and 2.000 km avoided a month (at 3,79 kr. per km).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal.benefits.importing import import_figures
from portal.benefits.models import Baseline
from portal.benefits.periods import add_months, period_start
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Frequency, Round


@dataclass(frozen=True)
class Curve:
    baseline: Decimal
    target: Decimal
    scales: bool = True  # counts, hours and money grow with the municipality's size


D = Decimal
CURVES = {
    # screen visits
    "citizens_screen": Curve(D(40), D(160)),
    "screen_visits": Curve(D(300), D(1200)),
    "conversion_share": Curve(D(10), D(40), False),
    "minutes_saved_per_visit": Curve(D(12), D(18), False),
    "km_avoided": Curve(D(500), D(2500)),
    "punctuality": Curve(D(85), D(92), False),
    "citizen_satisfaction": Curve(D("3.8"), D("4.3"), False),
    "staff_satisfaction": Curve(D("3.5"), D("4.0"), False),
    # shift planning (lower is better but for the wishes met)
    "planning_hours": Curve(D(320), D(200)),
    "overtime_hours": Curve(D(450), D(300)),
    "temp_hours": Curve(D(1200), D(900)),
    "temp_cost": Curve(D(480000), D(360000)),
    "understaffed_shift_share": Curve(D(8), D(4), False),
    "rest_rule_breaches": Curve(D(14), D(3), False),
    "sick_leave_rate": Curve(D("9.5"), D("8.0"), False),
    "wishes_met": Curve(D(62), D(80), False),
}
# Aarhus in the screen-visit round: flat, round figures for a hand calculation.
HAND_CHECKED = {
    ("skaermbesoeg-2025", 751): {
        "screen_visits": D(600),
        "minutes_saved_per_visit": D(15),
        "km_avoided": D(2000),
    }
}
PACES = (D("1.15"), D("1.0"), D("0.9"), D("0.6"), D("0.3"))  # ahead … off track
STEP = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


def _fraction(*parts) -> Decimal:
    """A stable number in [0, 1) from the parts (no randomness: the demo is the same twice)."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return D(int.from_bytes(digest[:4], "big")) / D(2**32)


def _rows(round_: Round, participation: Participation, today: date) -> list[list[str]]:
    code = participation.municipality.code
    size = D("0.6") + _fraction("size", code) * D("1.4")
    pace = PACES[int(_fraction("pace", round_.slug, code) * len(PACES))]
    fixed = HAND_CHECKED.get((round_.slug, code), {})
    months = max(
        1,
        (round_.period_end.year - round_.period_start.year) * 12
        + round_.period_end.month
        - round_.period_start.month,
    )
    rows = []
    for indicator in round_.programme.indicators:
        curve = CURVES.get(indicator.key)
        if curve is None:
            continue
        scale = size if curve.scales else D(1)
        base, goal = curve.baseline * scale, curve.target * scale
        rows.append([code, indicator.key, "baseline", add_months(round_.period_start, -1), base])
        rows.append([code, indicator.key, "target", round_.period_end, goal])
        step = STEP[indicator.frequency]
        first = period_start(round_.period_start, indicator.frequency)
        if first < round_.period_start:
            first = add_months(first, step)
        day, elapsed = first, step
        while add_months(day, step) <= today and day <= round_.period_end:
            if indicator.key in fixed:
                value = fixed[indicator.key]
            else:
                share = min(D("1.2"), pace * D(elapsed) / D(months))
                wobble = (_fraction("noise", code, indicator.key, day) - D("0.5")) / 10
                value = base + (goal - base) * (share + wobble)
            rows.append([code, indicator.key, "measurement", day, value])
            day, elapsed = add_months(day, step), elapsed + step
    start = round_.period_start
    rows.append([code, "engangs:Licenser og udstyr", "cost", add_months(start, 0), 150000 * size])
    rows.append([code, "årlig:Drift og support", "cost", add_months(start, 1), 60000 * size])
    rows.append([code, "engangs:Projektledelse", "cost", add_months(start, 2), 80000 * size])
    return rows


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["municipality", "indicator", "kind", "date", "value", "note"])
    for code, key, kind, day, value in rows:
        amount = D(value).quantize(D("0.01") if kind == "cost" else D("0.1"))
        writer.writerow([code, key, kind, day.isoformat(), str(amount), ""])
    return out.getvalue().encode()


def load_figures(round_: Round, coordinator, today: date) -> None:
    """Figures for every participation of ``round_`` (skipped when it has any already)."""
    if _has_figures(round_):
        return
    participations = list(
        db.session.scalars(select(Participation).where(Participation.round_id == round_.id))
    )
    rows = [row for p in participations for row in _rows(round_, p, today)]
    if rows:
        import_figures(_csv(rows), round_, actor=coordinator)


def _has_figures(round_: Round) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(Baseline.id))
            .join(Participation, Participation.id == Baseline.participation_id)
            .where(Participation.round_id == round_.id)
        )
    )
