"""A round with figures' indicators and a token for the API tests."""

from __future__ import annotations

from portal.api import tokens
from portal.db import db
from tests.benefits.helpers import figures_round, participation_of


def make_token(user, scopes=(tokens.READ, tokens.WRITE_FIGURES), days=None, name="Omsorg"):
    issued = tokens.issue(user, name, scopes, days)
    db.session.commit()
    return issued.secret, issued.token


def bearer(secret: str, **more) -> dict:
    return {"Authorization": f"Bearer {secret}", **more}


def round_with_two(codes=(101, 147)):
    round_ = figures_round(codes)
    db.session.commit()
    return round_, [participation_of(round_, c) for c in codes]


def month(day="2025-10-01", value=120):
    return [
        {"kind": "baseline", "indicator": "screen_visits", "date": "2025-09-01", "value": 100},
        {"kind": "target", "indicator": "screen_visits", "date": "2027-03-01", "value": 400},
        {"kind": "measurement", "indicator": "screen_visits", "date": day, "value": value},
    ]
