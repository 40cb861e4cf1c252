"""A small screen-visit round with known figures for the dashboard tests.

Hourly cost 400.000 / 1.600 = 250 kr.; a visit saves 30 minutes; a km is worth 4 kr.
København (101) and Frederiksberg (147) share the community "Hovedstaden"; Frederiksberg
values its hours at its own 300 kr. See ``test_calculation`` for the hand calculation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.db import db
from portal.municipalities.models import Municipality
from portal.participations.models import Community
from portal.programmes.models import BenefitKind, BenefitLine, Direction
from portal.results.refresh import rebuild
from tests.benefits.helpers import add_indicator
from tests.factories import create_programme, create_round
from tests.participations.helpers import participation

START, END = date(2025, 9, 1), date(2027, 3, 31)
PARAMETERS = {
    "annual_cost": "400000",
    "annual_hours": "1600",
    "km_rate": "4",
    "minutes_saved": "30",
}


def screen_round(**fields):
    programme = create_programme()
    add_indicator(programme, "screen_visits", unit="besøg pr. måned")
    add_indicator(programme, "km_avoided", unit="km pr. måned")
    add_indicator(programme, "citizens_screen", unit="borgere")
    add_indicator(programme, "punctuality", unit="%", direction=Direction.HIGHER)
    for n, (key, kind, formula) in enumerate(
        [
            ("time_screen_visits", BenefitKind.HOURS, "screen_visits * minutes_saved / 60"),
            ("km", BenefitKind.KRONER, "km_avoided * km_rate"),
        ]
    ):
        db.session.add(
            BenefitLine(
                programme=programme,
                position=n,
                key=key,
                name_da=f"Linje {key}",
                kind=kind,
                formula=formula,
            )
        )
    fields.setdefault("parameters", dict(PARAMETERS))
    round_ = create_round(programme, period_start=START, period_end=END, **fields)
    db.session.refresh(programme)
    return round_


def key_of(round_, key):
    return next(i for i in round_.programme.indicators if i.key == key)


def baseline(p, key, value, day):
    db.session.add(
        Baseline(
            participation=p,
            municipality_id=p.municipality_id,
            indicator=key_of(p.round, key),
            value=D(value),
            measured_on=day,
        )
    )


def target(p, key, value, day):
    db.session.add(
        Target(
            participation=p,
            municipality_id=p.municipality_id,
            indicator=key_of(p.round, key),
            value=D(value),
            target_date=day,
        )
    )


def measure(p, key, values, first=date(2025, 9, 1)):
    """Monthly measurements from ``first``'s month."""
    indicator = key_of(p.round, key)
    for n, value in enumerate(values):
        index = first.year * 12 + first.month - 1 + n
        db.session.add(
            Measurement(
                participation=p,
                municipality_id=p.municipality_id,
                indicator=indicator,
                period=date(index // 12, index % 12 + 1, 1),
                value=D(value),
            )
        )


def cost(p, amount, day, kind=CostKind.ONE_OFF, category="Licens"):
    db.session.add(
        Cost(
            participation=p,
            municipality_id=p.municipality_id,
            kind=kind,
            category=category,
            incurred_on=day,
            amount=D(amount),
        )
    )


def two_municipalities():
    """The hand-calculated case: København and Frederiksberg in one community."""
    round_ = screen_round()
    community = Community(round=round_, name="Hovedstaden")
    db.session.add(community)
    kbh = participation(round_, 101, role="lead", community=community)
    frb = participation(round_, 147, community=community, hourly_cost_override=D("300"))
    baseline(kbh, "screen_visits", 0, date(2025, 8, 15))
    target(kbh, "screen_visits", 100, date(2026, 8, 31))
    measure(kbh, "screen_visits", [40, 60, 80])
    measure(kbh, "km_avoided", [100, 100, 100])
    measure(kbh, "citizens_screen", [2, 3, 3])
    cost(kbh, 5000, date(2025, 9, 10))
    baseline(frb, "screen_visits", 10, date(2025, 1, 15))
    target(frb, "screen_visits", 50, date(2026, 8, 31))
    measure(frb, "screen_visits", [20, 20])
    measure(frb, "km_avoided", [50, 50])
    measure(frb, "citizens_screen", [4, 12])
    cost(frb, 1200, date(2025, 9, 1), kind=CostKind.YEARLY)
    stored()
    return round_, community, kbh, frb


def many_municipalities(round_, community, count: int, months: int):
    """``count`` participations in ``community`` with ``months`` of every indicator."""
    ids = db.session.scalars(
        select(Municipality.id)
        .where(Municipality.country == "DK", Municipality.active)
        .order_by(Municipality.code)
    ).all()
    taken = set(
        db.session.scalars(select(Municipality.id).where(Municipality.code.in_([101, 147])))
    )
    made = []
    for municipality_id in [m for m in ids if m not in taken][:count]:
        code = db.session.get(Municipality, municipality_id).code
        p = participation(round_, code, community=community)
        baseline(p, "screen_visits", 5, date(2025, 8, 1))
        target(p, "screen_visits", 50, date(2027, 3, 31))
        for key in ("screen_visits", "km_avoided", "citizens_screen", "punctuality"):
            measure(p, key, [10 + n for n in range(months)])
        cost(p, 1000, date(2025, 9, 5))
        made.append(p)
    stored()
    return made


def stored() -> None:
    """The figures above are written straight to the tables, past the services that keep
    the stored results: recompute them, as ``portal results rebuild`` does, and commit."""
    db.session.flush()
    rebuild()
    db.session.commit()
