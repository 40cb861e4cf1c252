"""Giving and withdrawing the consent to publish a collaboration's results (off by default),
by the municipality's own leadership only (``access.policies``: ``PublicationConsent``'s
``change``), each change audited."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.audit import services as audit
from portal.audit.words import ACTIONS, FIELDS
from portal.db import db, utcnow
from portal.errors import NotAllowed
from portal.openresults import versions
from portal.openresults.models import PublicationConsent
from portal.participations.models import Participation
from portal.programmes.models import Round

# The audit log's words for this domain's lines.
ACTIONS.update(
    results_published=_l("Resultater offentliggjort"),
    results_unpublished=_l("Offentliggørelse af resultater trukket tilbage"),
)
FIELDS.setdefault("published", _l("Offentliggjort"))

REFUSED = _l("Kun kommunens egen ledelse kan beslutte, om resultaterne offentliggøres.")


def may_decide(user, participation: Participation) -> bool:
    return access.allows(user, participation, "change", model=PublicationConsent)


def set_published(participation: Participation, published: bool, *, actor) -> bool:
    """Publish (or stop publishing) the participation's results; ``True`` when it changed.
    The change is audited with the participation's municipality and round."""
    if not may_decide(actor, participation):
        raise NotAllowed(REFUSED)
    consent = db.session.get(PublicationConsent, participation.id)
    before = bool(consent and consent.published)
    if before == published:
        return False
    if consent is None:
        consent = PublicationConsent(
            participation_id=participation.id,
            municipality_id=participation.municipality_id,
            round_id=participation.round_id,
        )
        db.session.add(consent)
    consent.published = published
    consent.changed_at = utcnow()
    consent.changed_by_id = actor.id
    audit.record(
        "results_published" if published else "results_unpublished",
        actor=actor,
        obj=participation,
        **audit.of_participation(participation),
        published=[before, published],
    )
    db.session.flush()
    if not published:  # the dated versions that held its figures go at once (``versions``)
        versions.withdraw_containing([participation.id])
    return True


def decidable(user) -> list[tuple[Participation, bool]]:
    """The collaborations whose publication the user decides, each with whether it is
    published now (rounds in draft excepted)."""
    stmt = (
        select(Participation)
        .join(Round, Round.id == Participation.round_id)
        .options(joinedload(Participation.round).joinedload(Round.programme))
        .order_by(Round.period_start.desc(), Participation.id)
    )
    if not access.can(user, PublicationConsent, "change"):
        return []
    participations = [
        p
        for p in db.session.scalars(access.visible(stmt, user, "read", Participation)).unique()
        if may_decide(user, p) and access.allows(access.PUBLIC, p.round, "public")
    ]
    published = published_ids(p.id for p in participations)
    return [(p, p.id in published) for p in participations]


def published_ids(participation_ids: Iterable[int]) -> set[int]:
    ids = list(participation_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(PublicationConsent.participation_id).where(
                PublicationConsent.participation_id.in_(ids),
                PublicationConsent.published.is_(True),
            )
        )
    )
