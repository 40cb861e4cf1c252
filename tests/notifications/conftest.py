"""A fake SMTP server (``smtplib.SMTP`` replaced; no network in any test) and a mail
configuration per test: no mail server unless a test asks for the fake one."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest


@dataclass
class FakeServer:
    down: bool = False  # connecting fails, as with a server that is not running
    refuse: set[str] = field(default_factory=set)  # recipients the server refuses
    connections: int = 0
    starttls: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    sent: list[EmailMessage] = field(default_factory=list)

    def smtp_class(self):
        server = self

        class FakeSMTP:
            def __init__(self, host, port=0, timeout=None, **_kwargs):
                server.connections += 1
                self.address = (host, port)
                if server.down:
                    raise ConnectionRefusedError(111, "Connection refused")

            def starttls(self, context=None):
                server.starttls += 1

            def login(self, user, password):
                server.logins.append((user, password))

            def send_message(self, message):
                if message["To"] in server.refuse:
                    raise smtplib.SMTPRecipientsRefused(
                        {message["To"]: (550, b"5.1.1 Mailbox unavailable")}
                    )
                server.sent.append(message)

            def quit(self):
                pass

            def close(self):
                pass

        return FakeSMTP


def _no_network(*_args, **_kwargs):
    raise AssertionError("a test tried to reach a real mail server")


@pytest.fixture(autouse=True)
def mail_config(app, monkeypatch):
    """No mail server and relative links unless a test says otherwise; real SMTP refused."""
    monkeypatch.setattr(smtplib, "SMTP", _no_network)
    for key, value in {
        "SMTP_HOST": "",
        "SMTP_PORT": 587,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": True,
        "MAIL_FROM": "skaleringsportalen@kl.example.dk",
        "PORTAL_BASE_URL": "",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return app.config


@pytest.fixture
def smtp(app, monkeypatch) -> FakeServer:
    """The fake mail server, configured as the portal's SMTP_HOST."""
    server = FakeServer()
    monkeypatch.setattr(smtplib, "SMTP", server.smtp_class())
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.kl.example.dk")
    monkeypatch.setitem(app.config, "SMTP_USER", "portal")
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "hemmelig")
    return server
