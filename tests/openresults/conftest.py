"""The reports' hand-calculated screen-visit round (København 101 and Frederiksberg 147 in
"Hovedstaden", Aarhus 751 in none; København's citizens, a count, at 3), with København and
Aarhus published by their own leadership and Frederiksberg not."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.db import db
from portal.openresults.consent import set_published
from tests.reports.conftest import benefits_today, progress_round  # noqa: F401

KBH, FRB, AAR = 101, 147, 751


@pytest.fixture
def published(progress_round, make_user):  # noqa: F811
    leaders = {code: make_user(Role.LEADERSHIP, code) for code in (KBH, FRB, AAR)}
    set_published(progress_round.kbh, True, actor=leaders[KBH])
    set_published(progress_round.aar, True, actor=leaders[AAR])
    db.session.commit()
    return SimpleNamespace(**vars(progress_round), leaders=leaders)
