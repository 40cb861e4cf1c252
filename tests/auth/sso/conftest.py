from __future__ import annotations

import pytest

from portal.auth.sso.settings import parse_role_map
from tests.auth.sso.helpers import NATIONAL_CVR, ROLE_MAP


@pytest.fixture
def sso_config(app, monkeypatch):
    """The role table and KL's CVR set, as the environment would set them."""
    monkeypatch.setitem(app.config, "SSO_ROLE_MAP", parse_role_map(ROLE_MAP))
    monkeypatch.setitem(app.config, "SSO_NATIONAL_CVR", NATIONAL_CVR)
    return app.config
