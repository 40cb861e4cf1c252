"""The events a webhook can hear, and how they become deliveries.

The portal already says when these things happen; the webhooks listen there, once:

- the notices (``notifications.signals.notice_written``): an application submitted or
  decided, a report item overdue (the daily reminders), a report file ready (a job done);
- the house's one "figures changed" signal (``portal.signals.figures_changed``);
- a stored report the worker rendered anew after a change (``portal.signals.report_stored``).

What a transaction announces is gathered on the session and written to the outbox
(``WebhookDelivery``) just before it commits — in the same transaction, so an event is never
sent for a change that was rolled back, nor lost for one that was committed — one delivery
per event and endpoint that wants it: the collaboration's endpoints hear everything, a
municipality's only what concerns it, and only its own part of it. After the commit the
worker is asked to send them (``tasks``).
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import event as orm_event
from sqlalchemy import or_, select

from portal.db import db, utcnow
from portal.links import path_for
from portal.municipalities.models import Municipality
from portal.notifications.services import absolute_link
from portal.participations.models import Participation
from portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

APPLICATION_SUBMITTED = "application.submitted"
APPLICATION_DECIDED = "application.decided"
FIGURES_CHANGED = "figures.changed"
REPORT_READY = "report.ready"
REPORTING_OVERDUE = "reporting.overdue"
TEST = "webhook.test"  # the "send a test event" button's; every endpoint takes it

EVENTS = {
    APPLICATION_SUBMITTED: _l("Ansøgning indsendt"),
    APPLICATION_DECIDED: _l("Afgørelse truffet"),
    FIGURES_CHANGED: _l("Tal ændret"),
    REPORT_READY: _l("Rapport klar"),
    REPORTING_OVERDUE: _l("Afrapportering overskredet"),
}
EVENT_LABELS = {**EVENTS, TEST: _l("Testbesked")}

# The notice kinds (``notifications.texts.KINDS``) that are webhook events.
NOTICE_EVENTS = {
    "application_submitted": APPLICATION_SUBMITTED,
    "application_decided": APPLICATION_DECIDED,
    "report_overdue": REPORTING_OVERDUE,
    "job_done": REPORT_READY,
}

_PENDING = "webhook_events"
_WRITTEN = "webhook_deliveries_written"


@dataclass
class Event:
    """An event of one transaction: ``municipality_ids`` it concerns (none: the whole
    collaboration's); ``data`` shared by all; for figures, the participations per
    municipality, so a municipality hears only of its own."""

    type: str
    municipality_ids: list[int]
    data: dict[str, Any] = field(default_factory=dict)
    participations: dict[int, list[int]] = field(default_factory=dict)
    # False: for the municipalities' own endpoints only (a community member's own variant
    # of a report; the collaboration hears of the variant drawn for it)
    collaboration: bool = True


def announce(event: Event) -> None:
    """Gather an event for the current transaction; written at its commit."""
    db.session.info.setdefault(_PENDING, []).append(event)


# Listening ------------------------------------------------------------------------------


def _on_notice(_sender, *, kind, municipality_ids, params, link, **_extra) -> None:
    event_type = NOTICE_EVENTS.get(kind)
    if event_type is None:
        return
    data = {"link": absolute_link(link) if link else "", "details": dict(params)}
    announce(Event(event_type, list(municipality_ids), data))


def _on_figures(_sender, *, participation_ids=(), round_ids=(), programme_ids=(), **changes):
    owners: dict[int, list[int]] = {}
    if participation_ids:
        rows = db.session.execute(
            select(Participation.id, Participation.municipality_id).where(
                Participation.id.in_(participation_ids)
            )
        )
        for pid, mid in rows:
            owners.setdefault(mid, []).append(pid)
    data = {
        "round_ids": list(round_ids),
        "programme_ids": list(programme_ids),
        "numbers": bool(changes.get("numbers", True)),
    }
    announce(Event(FIGURES_CHANGED, sorted(owners), data, owners))


def _on_report_stored(_sender, *, kind, scope, viewer=None, **_extra) -> None:
    """A municipality's own report tells that municipality; a round's or the national one
    the collaboration; a community's, the collaboration of the variant drawn for it and
    each member of its own variant — when that member may read the report (the gate)."""
    if scope.region is not None:
        return
    if scope.community is not None:
        _on_community_report(kind, scope, viewer)
        return
    if viewer is not None:
        return
    values = {"slug": scope.round.slug} if scope.round is not None else {}
    if scope.municipality is not None:
        values["kommune"] = scope.municipality.code
    ids = [scope.municipality.id] if scope.municipality is not None else []
    announce(Event(REPORT_READY, ids, _report_data(kind, scope, values)))


def _on_community_report(kind, scope, viewer: int | None) -> None:
    from portal.reports.permissions import can_read_report
    from portal.reports.stored import member_reader

    if viewer is not None and not can_read_report(member_reader(viewer), scope):
        return
    values = {"slug": scope.round.slug, "faellesskab": scope.community.id}
    data = _report_data(kind, scope, values)
    data["community"] = {"id": scope.community.id, "name": scope.community.name}
    if viewer is None:
        announce(Event(REPORT_READY, [], data))
    else:
        announce(Event(REPORT_READY, [viewer], data, collaboration=False))


def _report_data(kind, scope, values: dict) -> dict[str, Any]:
    endpoint = "reports.progress" if kind == "progress" else "reports.funding"
    return {
        "report": kind,
        "round": {"slug": scope.round.slug, "name": scope.round.name_da} if scope.round else None,
        "link": absolute_link(path_for(endpoint, **values)),
    }


def _merge_figures(events: list[Event]) -> list[Event]:
    """A transaction's figure changes as one event (an import sends the signal per batch)."""
    figures = [e for e in events if e.type == FIGURES_CHANGED]
    if len(figures) < 2:
        return events
    owners: dict[int, set[int]] = {}
    rounds, programmes, numbers = set(), set(), False
    for e in figures:
        for mid, pids in e.participations.items():
            owners.setdefault(mid, set()).update(pids)
        rounds.update(e.data["round_ids"])
        programmes.update(e.data["programme_ids"])
        numbers = numbers or e.data["numbers"]
    merged = Event(
        FIGURES_CHANGED,
        sorted(owners),
        {"round_ids": sorted(rounds), "programme_ids": sorted(programmes), "numbers": numbers},
        {mid: sorted(pids) for mid, pids in owners.items()},
    )
    return [e for e in events if e.type != FIGURES_CHANGED] + [merged]


# Writing the outbox ---------------------------------------------------------------------


def new_message_id() -> str:
    return f"msg_{secrets.token_urlsafe(18)}"


def body_of(event_type: str, data: dict[str, Any], at=None) -> str:
    """The JSON body Standard Webhooks recommends: ``type``, ``timestamp`` and ``data``."""
    at = at or utcnow()
    payload = {"type": event_type, "timestamp": at.isoformat(), "data": data}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _municipalities(ids) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Municipality.id, Municipality.code, Municipality.name).where(
            Municipality.id.in_(list(ids))
        )
    )
    return {mid: {"code": code, "name": name} for mid, code, name in rows}


def data_for(event: Event, endpoint: WebhookEndpoint, names: dict) -> dict[str, Any] | None:
    """What ``endpoint`` is told of ``event``: a municipality's endpoint only its own part
    (None: nothing of this event concerns it)."""
    mine = endpoint.municipality_id
    if mine is not None and mine not in event.municipality_ids:
        return None
    if mine is None and not event.collaboration:
        return None
    ids = [mine] if mine is not None else event.municipality_ids
    data = {**event.data, "municipalities": [names[i] for i in ids if i in names]}
    if event.type == FIGURES_CHANGED:
        if mine is not None:
            # a round's or a programme's own parameters are the collaboration's business
            data["round_ids"], data["programme_ids"] = [], []
        data["participation_ids"] = sorted(
            pid for mid in ids for pid in event.participations.get(mid, [])
        )
    return data


def deliver_to_endpoints(event: Event) -> list[WebhookDelivery]:
    """One pending delivery per active endpoint that wants ``event`` and may hear it.
    Flushes only."""
    ids = event.municipality_ids
    endpoints = db.session.scalars(
        select(WebhookEndpoint)
        .where(
            WebhookEndpoint.active.is_(True),
            or_(
                WebhookEndpoint.municipality_id.is_(None),
                WebhookEndpoint.municipality_id.in_(ids),
            ),
        )
        .order_by(WebhookEndpoint.id)
    )
    names = _municipalities(ids)
    made = []
    for endpoint in endpoints:
        if event.type not in (endpoint.events or []):
            continue
        data = data_for(event, endpoint, names)
        if data is not None:
            made.append(queue_delivery(endpoint, event.type, data))
    return made


def queue_delivery(endpoint: WebhookEndpoint, event_type: str, data: dict) -> WebhookDelivery:
    now = utcnow()
    delivery = WebhookDelivery(
        endpoint=endpoint,
        municipality_id=endpoint.municipality_id,
        message_id=new_message_id(),
        event_type=event_type,
        body=body_of(event_type, data, now),
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(delivery)
    db.session.flush()
    mark_written()
    return delivery


def mark_written() -> None:
    """Deliveries are waiting: the worker is asked to send them after the commit."""
    db.session.info[_WRITTEN] = True


def _before_commit(session) -> None:
    events = session.info.pop(_PENDING, None)
    if not events:
        return
    for event in _merge_figures(events):
        deliver_to_endpoints(event)


def _after_commit(session) -> None:
    if session.info.pop(_WRITTEN, False):
        from portal.webhooks.tasks import send_soon

        send_soon()


def _after_soft_rollback(session, _previous) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_WRITTEN, None)


def listen() -> None:
    """Hear the notices and the figures; write the events at each commit. Once per process."""
    from portal.notifications.signals import notice_written
    from portal.signals import figures_changed, report_stored

    notice_written.connect(_on_notice)
    figures_changed.connect(_on_figures)
    report_stored.connect(_on_report_stored)
    for name, func in (
        ("before_commit", _before_commit),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not orm_event.contains(db.session, name, func):
            orm_event.listen(db.session, name, func)
