"""The demo's consents: Aarhus's and Odense's leadership publish their screen-visit results,
so an anonymous visitor reads them at /resultater/ and downloads them as open data (today's
version also stored and listed by date)."""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db
from portal.openresults import versions
from portal.openresults.consent import set_published
from portal.participations.models import Participation
from portal.programmes.models import Round

PUBLISHING = {"direktion.aarhus@demo.dk": 751, "direktion.odense@demo.dk": 461}


def load_consents(users: dict, round_slug: str = "skaermbesoeg-2025") -> None:
    round_ = db.session.scalar(select(Round).where(Round.slug == round_slug))
    if round_ is None:
        return
    for email, code in PUBLISHING.items():
        leader = users.get(email)
        participation = db.session.scalar(
            select(Participation).where(
                Participation.round_id == round_.id,
                Participation.municipality.has(code=code, country="DK"),
            )
        )
        if leader is not None and participation is not None:
            set_published(participation, True, actor=leader)
    versions.snapshot(origin="demo")  # today's version of the open data, listed by date
