"""Webhooks reach this machine only in these tests (``WEBHOOKS_ALLOW_LOCALHOST``), with a
short timeout and a small, known backoff; a receiver runs per test (``receiver``)."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from tests.webhooks.receiver import Receiver, running

TIMEOUT = 0.3
BACKOFF = 30


@pytest.fixture(autouse=True)
def webhook_config(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOCALHOST", True)
    monkeypatch.setitem(app.config, "WEBHOOKS_TIMEOUT_SECONDS", TIMEOUT)
    monkeypatch.setitem(app.config, "WEBHOOKS_BACKOFF_SECONDS", BACKOFF)
    monkeypatch.setitem(app.config, "WEBHOOKS_MAX_ATTEMPTS", 4)
    return app.config


@pytest.fixture
def receiver():
    with running(Receiver()) as found:
        yield found


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def municipal(make_user):
    return make_user(Role.MUNICIPAL, 751)  # Aarhus
