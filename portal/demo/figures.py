"""The demo's figures: baselines, targets, monthly (quarterly, yearly) measurements up to
today and costs for every participation of the running rounds, loaded through the same
file import a municipality uses (``portal.benefits.files.importing``); and the status reports
they owe, delivered but for two late municipalities.

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
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.benefits.calculation.periods import add_months, period_start
from portal.benefits.files.importing import import_figures
from portal.benefits.models import Baseline
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
    # route planning (Helsingør: delivery rate +4,3 %, seed 004)
    "delivery_rate": Curve(D(58), D("62.3"), False),
    "paid_hours": Curve(D(20000), D(20000)),
    "transport_minutes_per_visit": Curve(D(9), D(8), False),
    "km_driven": Curve(D(30000), D(27000)),
    "time_window_compliance": Curve(D(80), D(88), False),
    "continuity": Curve(D(9), D(7), False),
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
        rows.append(
            [code, indicator.key, "baseline", add_months(round_.period_start, -1), base, ""]
        )
        rows.append([code, indicator.key, "target", round_.period_end, goal, ""])
        step = STEP[indicator.frequency]
        # A quarter or year that began before the period is named by the period's first day.
        first = period_start(round_.period_start, indicator.frequency)
        day, elapsed = first, step
        # A quarter or year under way gets a provisional figure (as a municipality would
        # give one), so the months measured in it are not left without their coarser value.
        while (add_months(day, step) <= today or step > 1 and day <= today) and (
            day <= round_.period_end
        ):
            quality = "provisional" if add_months(day, step) > today else ""
            if indicator.key in fixed:
                value = fixed[indicator.key]
            else:
                share = min(D("1.2"), pace * D(elapsed) / D(months))
                wobble = (_fraction("noise", code, indicator.key, day) - D("0.5")) / 10
                value = base + (goal - base) * (share + wobble)
            day_ = max(day, round_.period_start)
            rows.append([code, indicator.key, "measurement", day_, value, quality])
            day, elapsed = add_months(day, step), elapsed + step
    start = round_.period_start
    rows.append([code, "engangs:Licenser og udstyr", "cost", start, 150000 * size, ""])
    rows.append([code, "årlig:Drift og support", "cost", add_months(start, 1), 60000 * size, ""])
    rows.append([code, "engangs:Projektledelse", "cost", add_months(start, 2), 80000 * size, ""])
    return rows


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["municipality", "indicator", "kind", "date", "value", "note", "quality"])
    for code, key, kind, day, value, quality in rows:
        amount = D(value).quantize(D("0.01") if kind == "cost" else D("0.1"))
        writer.writerow([code, key, kind, day.isoformat(), str(amount), "", quality])
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


# Each programme's own words: what a screen-visit team and a shift-planning team would write.
NARRATIVES = {
    "skaermbesoeg": [
        (
            "Vi er kommet godt i gang: teamet har en fast plan, og flere borgere er visiteret.",
            "Ustabilt netværk hos nogle borgere og travlhed i sommerferien.",
            "Udbrede til to distrikter mere og følge op på de frigjorte timer.",
        ),
        (
            "Medarbejderne bruger skærmbesøg dagligt, og vi ser de første frigjorte timer.",
            "Data fra omsorgssystemet kommer sent, så opfølgningen halter.",
            "Månedlig gevinstopfølgning med gevinstejeren og lederne.",
        ),
        (
            "Sparring i fællesskabet har hjulpet os med at organisere skærmbesøgene.",
            "Et leverandørskifte har kostet tid.",
            "Fastholde de nye arbejdsgange og måle borgernes tilfredshed.",
        ),
    ],
    "ruteplanlaegning": [
        (
            "Ruterne lægges nu ud fra data, og leveringsgraden er steget i alle distrikter.",
            "Det tog tid at få adresser og besøgstider ind i planlægningsværktøjet.",
            "Følge kørte kilometer og tid i borgernes hjem måned for måned.",
        ),
        (
            "Borgerne møder færre forskellige medarbejdere, og køreplanerne holder bedre.",
            "Ændringer i besøg samme dag giver stadig manuelle omlægninger.",
            "Dele ruteprincipperne med Hedensted og de andre i fællesskabet.",
        ),
        (
            "Planlæggerne bruger mindre tid på at lægge ruter og mere på kvalitet.",
            "Vikarforbruget svinger med sygefraværet.",
            "Fastholde den faste planlægningsrytme og målingen af leveringsgraden.",
        ),
    ],
    "vagtplanlaegning": [
        (
            "Planlæggerne lægger nu vagtplanen i værktøjet, og den første plan gik hurtigere.",
            "Overenskomstens regler skulle sættes op, før planerne kunne bruges.",
            "Følge overarbejde og vikarforbrug måned for måned med lederne.",
        ),
        (
            "Flere medarbejderønsker bliver opfyldt, og hvilereglen brydes sjældnere.",
            "Sygefravær i vinterperioden gav mange ændringer i planen.",
            "Udvide til to plejecentre mere og dele erfaringerne i fællesskabet.",
        ),
        (
            "Vikarforbruget er faldet, fordi ledige vagter ses tidligere.",
            "Data om vikartimer kommer fra økonomisystemet med en måneds forsinkelse.",
            "Fastholde planlægningsrytmen og måle tiden brugt på planlægning.",
        ),
    ],
}
LATE = {760, 217}  # Ringkøbing-Skjern and Helsingør have not delivered the latest report


def load_reports(round_: Round, today: date) -> None:
    """Each participation's schedule, with its status reports delivered up to today — but
    for two municipalities that are late with the latest one."""
    from portal.reporting.models import ReportingRequirement, ReportKind
    from portal.reporting.schedule import ensure_schedules

    # The demo's history: these municipalities joined before the period began.
    joined = datetime.combine(round_.period_start - timedelta(days=14), time(12), tzinfo=UTC)
    for participation in db.session.scalars(
        select(Participation).where(Participation.round_id == round_.id)
    ):
        participation.created_at = min(participation.created_at, joined)
    db.session.flush()
    ensure_schedules(round_)
    items = db.session.scalars(
        select(ReportingRequirement)
        .join(Participation, Participation.id == ReportingRequirement.participation_id)
        .where(
            Participation.round_id == round_.id,
            ReportingRequirement.kind == ReportKind.STATUS,
            ReportingRequirement.due_on < today,
            ReportingRequirement.submitted_at.is_(None),
        )
        .order_by(ReportingRequirement.due_on)
    )
    narratives = NARRATIVES.get(round_.programme.slug, NARRATIVES["skaermbesoeg"])
    by_participation: dict[int, list] = {}
    for item in items:
        by_participation.setdefault(item.participation_id, []).append(item)
    for participation_items in by_participation.values():
        code = participation_items[0].participation.municipality.code
        if code in LATE:
            participation_items = participation_items[:-1]
        for n, item in enumerate(participation_items):
            # Written straight in: most demo municipalities have no users to write them.
            item.what_worked, item.obstacles, item.next_steps = narratives[
                (n + code) % len(narratives)
            ]
            item.submitted_at = datetime.combine(
                item.due_on - timedelta(days=3), time(10), tzinfo=UTC
            )
    db.session.flush()
