"""The portal's notices and its "figures changed" signal become deliveries, written in the
change's own transaction: a municipality's endpoint hears only its own events (and only its
own part of one), the collaboration's hears all."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import Role
from portal.db import db
from portal.notifications.services import notify, notify_user
from portal.signals import send_figures_changed
from portal.webhooks import services
from portal.webhooks.events import EVENTS
from portal.webhooks.models import WebhookDelivery
from portal.webhooks.sending import send_due
from tests.conftest import municipality
from tests.factories import create_programme, create_round
from tests.participations.helpers import mid, participation
from tests.webhooks.receiver import Receiver, running

PUBLIC = "https://93.184.215.14/hook"  # never called in these tests but the last


def _endpoint(actor, url=PUBLIC, events=tuple(EVENTS), active=True):
    endpoint, _secret = services.create_endpoint(
        services.EndpointData(url=url, events=list(events), active=active), actor=actor
    )
    db.session.commit()
    return endpoint


def _payloads(endpoint) -> list[dict]:
    rows = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id)
    )
    return [json.loads(d.body) for d in rows]


def _two_municipalities():
    round_ = create_round(create_programme())
    aarhus, odense = participation(round_, 751), participation(round_, 461)
    db.session.commit()
    return aarhus, odense


def test_each_municipality_hears_only_its_own_events_and_the_collaboration_all(make_user):
    aarhus, odense = _two_municipalities()
    aarhus_hook = _endpoint(make_user(Role.MUNICIPAL, 751))
    odense_hook = _endpoint(make_user(Role.MUNICIPAL, 461))
    collaboration = _endpoint(make_user(Role.COORDINATOR))

    notify([mid(751)], "application_submitted", {"round": "Skærmbesøg 2026"}, link="/x")
    send_figures_changed([aarhus.id, odense.id])
    db.session.commit()

    mine = _payloads(aarhus_hook)
    assert [p["type"] for p in mine] == ["application.submitted", "figures.changed"]
    assert mine[0]["data"]["municipalities"] == [{"code": 751, "name": "Aarhus"}]
    assert mine[0]["data"]["details"]["round"] == "Skærmbesøg 2026"
    assert mine[1]["data"]["participation_ids"] == [aarhus.id]

    theirs = _payloads(odense_hook)
    assert [p["type"] for p in theirs] == ["figures.changed"]
    assert theirs[0]["data"]["participation_ids"] == [odense.id]
    assert theirs[0]["data"]["municipalities"] == [{"code": 461, "name": "Odense"}]

    everything = _payloads(collaboration)
    assert [p["type"] for p in everything] == ["application.submitted", "figures.changed"]
    assert everything[1]["data"]["participation_ids"] == sorted([aarhus.id, odense.id])


def test_a_receiver_of_one_municipality_never_receives_anothers_event(make_user, app):
    aarhus, odense = _two_municipalities()
    with running(Receiver()) as aarhus_rx, running(Receiver()) as odense_rx:
        for rx, code in ((aarhus_rx, 751), (odense_rx, 461)):
            endpoint, rx.secret = services.create_endpoint(
                services.EndpointData(url=rx.url, events=list(EVENTS)),
                actor=make_user(Role.MUNICIPAL, code),
            )
        db.session.commit()
        notify([mid(461)], "report_overdue", {"round": "R", "due": "2026-11-01", "report": "r"})
        send_figures_changed([odense.id])
        db.session.commit()
        send_due()
    assert aarhus_rx.received == []
    assert [p["type"] for p in odense_rx.accepted] == ["reporting.overdue", "figures.changed"]


def test_a_rolled_back_change_sends_nothing(make_user):
    _endpoint(make_user(Role.COORDINATOR))
    notify([mid(751)], "application_submitted", {"round": "R"})
    db.session.rollback()
    db.session.commit()
    assert db.session.scalars(select(WebhookDelivery)).all() == []


def test_figure_changes_of_one_transaction_are_one_event(make_user):
    aarhus, odense = _two_municipalities()
    collaboration = _endpoint(make_user(Role.COORDINATOR))
    send_figures_changed([aarhus.id])
    send_figures_changed([odense.id], round_ids=[aarhus.round_id])
    db.session.commit()
    (only,) = _payloads(collaboration)
    assert only["data"]["participation_ids"] == sorted([aarhus.id, odense.id])
    assert only["data"]["round_ids"] == [aarhus.round_id]


def test_an_endpoint_hears_only_the_events_it_chose_and_none_when_switched_off(make_user):
    coordinator = make_user(Role.COORDINATOR)
    decisions = _endpoint(coordinator, events=["application.decided"])
    off = _endpoint(coordinator, active=False)
    notify([mid(751)], "application_submitted", {"round": "R"})
    notify([mid(751)], "application_decided", {"round": "R", "decision": "approved"})
    db.session.commit()
    assert [p["type"] for p in _payloads(decisions)] == ["application.decided"]
    assert _payloads(off) == []


def test_a_finished_report_file_is_report_ready_for_its_starters_municipality(make_user):
    user = make_user(Role.MUNICIPAL, 751)
    own = _endpoint(user)
    other = _endpoint(make_user(Role.MUNICIPAL, 461))
    notify_user(user, "job_done", {"round": "R", "file": "tilskud.pdf"}, link="/filer/1")
    db.session.commit()
    (ready,) = _payloads(own)
    assert ready["type"] == "report.ready"
    assert ready["data"]["details"]["file"] == "tilskud.pdf"
    assert ready["data"]["link"].endswith("/filer/1")
    assert _payloads(other) == []


def test_submitting_an_application_through_its_service_is_an_event(make_user):
    """The hook sits where the portal tells the municipality (``notify``): the application
    service's own submit, with nothing added beside it."""
    from portal.applications import services as applications
    from portal.programmes.models import ProgrammeGoal
    from tests.applications.test_services import BEFORE, DEADLINE, complete

    aarhus_hook = _endpoint(make_user(Role.MUNICIPAL, 751), events=["application.submitted"])
    odense_hook = _endpoint(make_user(Role.MUNICIPAL, 461), events=["application.submitted"])
    programme = create_programme()
    programme.goals = [ProgrammeGoal(position=0, text_da="At komme i gang")]
    the_round = create_round(
        programme, opens_at=DEADLINE - timedelta(days=60), deadline_at=DEADLINE
    )
    application = applications.start_application(
        the_round, municipality(751), complete(the_round), actor=None, now=BEFORE
    )
    applications.submit(application, actor=None, now=BEFORE)
    db.session.commit()
    (submitted,) = _payloads(aarhus_hook)
    assert submitted["type"] == "application.submitted"
    assert submitted["data"]["details"]["round"] == the_round.name_da
    assert submitted["data"]["link"].endswith(f"/{application.id}")
    assert _payloads(odense_hook) == []


def test_a_municipalitys_report_rendered_anew_by_the_worker_is_report_ready(make_user, monkeypatch):
    from portal.reports.scope import ReportScope
    from portal.reports.stored import render_and_store
    from tests.test_url_map_sweep import _Typesetless

    monkeypatch.setattr("portal.pdf.HTML", _Typesetless)  # the event, not the typesetting
    aarhus, _odense = _two_municipalities()
    aarhus_hook = _endpoint(make_user(Role.MUNICIPAL, 751))
    odense_hook = _endpoint(make_user(Role.MUNICIPAL, 461))
    collaboration = _endpoint(make_user(Role.COORDINATOR))
    scope = ReportScope(round=aarhus.round, municipality=aarhus.municipality)

    render_and_store("funding", scope, "da")  # a reader's job: its own notice says so
    assert _payloads(aarhus_hook) == []
    render_and_store("progress", scope, "da", announce=True)  # the worker, after a change

    (ready,) = _payloads(aarhus_hook)
    assert ready["type"] == "report.ready"
    assert ready["data"]["report"] == "progress"
    assert ready["data"]["round"]["slug"] == aarhus.round.slug
    assert ready["data"]["link"].endswith(f"/fremdrift/{aarhus.round.slug}?kommune=751")
    assert _payloads(odense_hook) == []
    assert [p["type"] for p in _payloads(collaboration)] == ["report.ready"]
