"""Rounds with indicators and participations for the recording and import tests."""

from __future__ import annotations

from datetime import date

from portal.db import db
from portal.programmes.models import Block, Direction, Frequency, Indicator
from tests.factories import create_programme, create_round
from tests.participations.helpers import mid, participation

START, END = date(2025, 9, 1), date(2027, 3, 31)


def add_indicator(programme, key, *, unit="antal", frequency=Frequency.MONTHLY, **fields):
    indicator = Indicator(
        programme=programme,
        key=key,
        name_da=fields.pop("name_da", key.replace("_", " ").capitalize()),
        unit=unit,
        direction=fields.pop("direction", Direction.HIGHER),
        frequency=frequency,
        block=fields.pop("block", Block.TIME_ECONOMY),
        position=len(programme.indicators),
        method_da=fields.pop("method_da", "Optælling i omsorgssystemet"),
        **fields,
    )
    db.session.add(indicator)
    db.session.flush()
    return indicator


def figures_round(codes=(101, 147), **fields):
    """A round Sep 2025 – Mar 2027 with a monthly count, a quarterly percentage, a yearly
    score and a lower-is-better monthly indicator; the given municipalities participate."""
    programme = create_programme()
    add_indicator(programme, "screen_visits", unit="besøg pr. måned")
    add_indicator(programme, "punctuality", unit="%", frequency=Frequency.QUARTERLY)
    add_indicator(programme, "satisfaction", unit="1–5", frequency=Frequency.YEARLY)
    add_indicator(programme, "km_driven", unit="km", direction=Direction.LOWER)
    round_ = create_round(programme, period_start=START, period_end=END, **fields)
    for code in codes:
        participation(round_, code)
    db.session.refresh(round_)
    return round_


def indicator(round_, key):
    return next(i for i in round_.programme.indicators if i.key == key)


def participation_of(round_, code):
    from sqlalchemy import select

    from portal.participations.models import Participation

    return db.session.scalar(
        select(Participation).where(
            Participation.round_id == round_.id, Participation.municipality_id == mid(code)
        )
    )
