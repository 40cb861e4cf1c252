"""A shift-planning round to report on, with figures worked out by hand.

Pool 2.000.000 kr. among 7 participants: 285.714 kr. each, 2 kr. left over; two leads at
900.000 kr. Community "Hovedstaden": København (lead), Frederiksberg, Ballerup, Brøndby;
"Midt": Aarhus (lead), Gentofte, Gladsaxe; Glostrup and Herlev in none. København has been
paid 300.000 kr., Frederiksberg 100.000 kr.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from portal.db import db
from portal.participations.grants import record_disbursement
from portal.participations.models import Community
from tests.factories import create_programme, create_round
from tests.participations.helpers import participation

KBH, FRB, BAL, BRO, AAR, GEN, GLA, GLO, HER = 101, 147, 151, 153, 751, 157, 159, 161, 163


@pytest.fixture
def funding_round():
    programme = create_programme("vagtplanlaegning", name_da="Datadrevet vagtplanlægning")
    round_ = create_round(
        programme,
        slug="vagtplanlaegning-2026",
        name_da="Vagtplanlægning 2026",
        participant_grant=None,
        participant_pool=2_000_000,
        period_start=date(2026, 1, 1),
        period_end=date(2027, 3, 31),
    )
    north = Community(round=round_, name="Hovedstaden")
    mid = Community(round=round_, name="Midt")
    db.session.add_all([north, mid])
    kbh = participation(round_, KBH, role="lead", community=north)
    frb = participation(round_, FRB, community=north)
    for code in (BAL, BRO):
        participation(round_, code, community=north)
    participation(round_, AAR, role="lead", community=mid)
    for code in (GEN, GLA):
        participation(round_, code, community=mid)
    for code in (GLO, HER):
        participation(round_, code)
    record_disbursement(kbh, date(2026, 2, 1), 300_000, "Første rate", actor=None)
    record_disbursement(frb, date(2026, 3, 1), 100_000, "", actor=None)
    db.session.commit()
    return SimpleNamespace(round=round_, north=north, mid=mid)


@pytest.fixture
def progress_round():
    """The dashboards' hand-calculated screen-visit round (``tests.dashboards.helpers``:
    København 90 hours, 23.700 kr. gross, 18.700 kr. net, visits at 80 %; Frederiksberg 20
    hours, 6.200 kr. net, visits at 25 %; both in "Hovedstaden"; København's citizens, a
    count, at 3) and Aarhus in no community: 300 visits a month for 12 months at 30 minutes
    = 1.800 hours × 250 kr. = 450.000 kr., a cost of 28.998 kr. → net 421.002 kr.; visits
    from 100 to 300 of a target of 400 → 67 %. København has two status reports (the
    later one counts), Aarhus one, Frederiksberg none."""
    from portal.reporting.models import ReportingRequirement, ReportKind
    from tests.dashboards.helpers import (
        baseline,
        cost,
        measure,
        stored,
        target,
        two_municipalities,
    )

    round_, community, kbh, frb = two_municipalities()
    aar = participation(round_, AAR)
    baseline(aar, "screen_visits", 100, date(2025, 8, 15))
    target(aar, "screen_visits", 400, date(2027, 3, 31))
    measure(aar, "screen_visits", [300] * 12)
    measure(aar, "km_avoided", [0] * 12)
    cost(aar, 28998, date(2025, 9, 10))
    for p, quarter, words in (
        (kbh, 3, "Første kvartal gik med opstart"),
        (kbh, 4, "Borgerne tager godt imod skærmbesøg"),
        (aar, 4, "Aarhus har fundet sin rytme"),
    ):
        start = date(2025, 3 * quarter - 2, 1)
        db.session.add(
            ReportingRequirement(
                participation=p,
                municipality_id=p.municipality_id,
                kind=ReportKind.STATUS,
                period_start=start,
                period_end=date(2025, 3 * quarter, 28),
                due_on=date(2025, 3 * quarter, 28) + timedelta(days=30),
                submitted_at=datetime(2025, 3 * quarter, 28, 12, tzinfo=UTC) + timedelta(days=20),
                what_worked=words,
                obstacles="Ustabilt netværk",
                next_steps="Flere distrikter",
            )
        )
    stored()
    return SimpleNamespace(round=round_, community=community, kbh=kbh, frb=frb, aar=aar)


@pytest.fixture(autouse=True)
def benefits_today(monkeypatch):
    """Whether a latest value is too old to judge by is decided against today; these
    figures were measured in the autumn of 2025, so today is a day soon after."""
    from datetime import date

    from portal.benefits import calculation

    monkeypatch.setattr(calculation, "local_today", lambda: date(2025, 12, 15))
