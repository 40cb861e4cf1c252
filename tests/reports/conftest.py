"""A shift-planning round to report on, with figures worked out by hand.

Pool 2.000.000 kr. among 7 participants: 285.714 kr. each, 2 kr. left over; two leads at
900.000 kr. Community "Hovedstaden": København (lead), Frederiksberg, Ballerup, Brøndby;
"Midt": Aarhus (lead), Gentofte, Gladsaxe; Glostrup and Herlev in none. København has been
paid 300.000 kr., Frederiksberg 100.000 kr.
"""

from __future__ import annotations

from datetime import date
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
