"""A community's reports are ``report.ready`` too: the collaboration hears of the variant
drawn for it, each member municipality of its own variant — only when the gate lets that
municipality read the community's report — and no one else."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.access.policies import POLICIES, Policy
from portal.auth.models import Role
from portal.db import db
from portal.participations.models import Community
from portal.reports.scope import ReportScope
from portal.reports.stored import render_and_store
from portal.webhooks import services
from portal.webhooks.events import REPORT_READY
from portal.webhooks.models import WebhookDelivery
from tests.factories import create_programme, create_round
from tests.participations.helpers import mid, participation

PUBLIC = "https://93.184.215.14/hook"


@pytest.fixture(autouse=True)
def _no_typesetting(monkeypatch):
    from tests.test_url_map_sweep import _Typesetless

    monkeypatch.setattr("portal.pdf.HTML", _Typesetless)  # the event, not the typesetting


def _endpoint(actor):
    endpoint, _secret = services.create_endpoint(
        services.EndpointData(url=PUBLIC, events=[REPORT_READY]), actor=actor
    )
    db.session.commit()
    return endpoint


def _ready(endpoint) -> list[dict]:
    rows = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id)
    )
    return [json.loads(d.body)["data"] for d in rows]


@pytest.fixture
def community_round(make_user):
    round_ = create_round(create_programme())
    community = Community(round=round_, name="Nord")
    db.session.add(community)
    participation(round_, 751, role="lead", community=community)
    participation(round_, 461, community=community)
    participation(round_, 101)  # in the round, not in the community
    db.session.commit()
    hooks = {
        "collaboration": _endpoint(make_user(Role.COORDINATOR)),
        751: _endpoint(make_user(Role.MUNICIPAL, 751)),
        461: _endpoint(make_user(Role.MUNICIPAL, 461)),
        101: _endpoint(make_user(Role.MUNICIPAL, 101)),
    }
    return ReportScope(round=round_, community=community), hooks


def _render_every_variant(scope) -> None:
    """As the worker does (``prerender_all``): the collaboration's variant, then each
    member's own."""
    for viewer in (None, mid(751), mid(461)):
        render_and_store("progress", scope, "da", viewer, announce=True)


def test_the_collaboration_and_each_member_hear_of_their_own_variant(community_round):
    scope, hooks = community_round
    _render_every_variant(scope)

    (told,) = _ready(hooks["collaboration"])  # once, not once per member's variant
    assert told["community"] == {"id": scope.community.id, "name": "Nord"}
    assert told["report"] == "progress" and told["round"]["slug"] == scope.round.slug
    assert told["link"].endswith(f"/fremdrift/{scope.round.slug}?faellesskab={scope.community.id}")
    assert told["municipalities"] == []
    for code in (751, 461):
        (own,) = _ready(hooks[code])
        assert own["community"]["id"] == scope.community.id
        assert [m["code"] for m in own["municipalities"]] == [code]  # only itself named
    assert _ready(hooks[101]) == []  # not a member: never told


def test_a_member_the_gate_does_not_let_read_the_report_is_not_told(community_round, monkeypatch):
    scope, hooks = community_round
    closed = POLICIES[Community]
    monkeypatch.setitem(
        POLICIES,
        Community,
        Policy(
            read={r: rule for r, rule in closed.read.items() if r != Role.MUNICIPAL},
            change=closed.change,
        ),
    )
    _render_every_variant(scope)
    assert len(_ready(hooks["collaboration"])) == 1
    assert _ready(hooks[751]) == [] and _ready(hooks[461]) == []
