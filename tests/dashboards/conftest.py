"""Fixtures of the dashboards tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def benefits_today(monkeypatch):
    """Whether a latest value is too old to judge by is decided against today; these
    figures were measured in the autumn of 2025, so today is a day soon after."""
    from datetime import date

    from portal.benefits import calculation

    monkeypatch.setattr(calculation, "local_today", lambda: date(2025, 12, 15))
