"""The hidden ``version`` is required: a save without it (or with a garbled one) is a
conflict, never a write that skips the check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from portal.auth.models import Role
from portal.benefits import recording
from portal.db import db
from tests.benefits.helpers import figures_round, indicator, participation_of


@pytest.mark.parametrize("version", [None, "", "x", "-1"])
def test_a_save_without_its_version_is_a_conflict(client, make_user, login, version):
    round_ = figures_round(codes=(101,))
    own = participation_of(round_, 101)
    measurement = recording.record_measurement(
        own, indicator(round_, "screen_visits"), date(2025, 10, 1), D(1), actor=None
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    data = {"value": "7"} | ({} if version is None else {"version": version})
    path = f"/gevinster/deltagelse/{own.id}/maalinger/{measurement.id}"
    assert "ændret af en anden" in client.post(path, data=data).get_data(as_text=True)
    deleted = client.post(f"{path}/slet", data={} if version is None else {"version": version})
    assert deleted.status_code == 302
    db.session.refresh(measurement)
    assert measurement.value == 1
