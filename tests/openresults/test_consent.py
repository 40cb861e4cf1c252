"""The consent to publish: off by default, given and withdrawn by the municipality's own
leadership only, each change audited; the gate's public reader reads what it names."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import access
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.benefits.models import Measurement
from portal.db import db
from portal.errors import NotAllowed
from portal.openresults.consent import set_published
from portal.openresults.models import PublicationConsent
from portal.participations.models import Participation
from tests.openresults.conftest import AAR, FRB, KBH


def _public_ids(model):
    return set(db.session.scalars(access.visible(select(model.id), access.PUBLIC, "public", model)))


def test_nothing_is_public_until_a_leadership_agrees(progress_round, make_user):
    assert _public_ids(Participation) == set()
    assert _public_ids(Measurement) == set()
    set_published(progress_round.kbh, True, actor=make_user(Role.LEADERSHIP, KBH))
    assert _public_ids(Participation) == {progress_round.kbh.id}
    theirs = set(
        db.session.scalars(
            select(Measurement.id).where(Measurement.participation_id == progress_round.kbh.id)
        )
    )
    assert theirs and _public_ids(Measurement) == theirs


OTHERS = [
    (Role.LEADERSHIP, FRB),  # another municipality's leadership
    (Role.LEADERSHIP, None),  # the national leadership
    (Role.MUNICIPAL, KBH),  # the municipality's own project lead
    (Role.COORDINATOR, None),
    (Role.ADMIN, None),
    (Role.REGIONAL, KBH),
    (Role.REVIEWER, KBH),
]


@pytest.mark.parametrize(("role", "code"), OTHERS)
def test_only_the_municipalitys_own_leadership_decides(progress_round, make_user, role, code):
    with pytest.raises(NotAllowed):
        set_published(progress_round.kbh, True, actor=make_user(role, code))
    assert db.session.get(PublicationConsent, progress_round.kbh.id) is None


@pytest.mark.parametrize(("role", "code"), OTHERS)
def test_the_page_refuses_everyone_but_the_own_leadership(
    client, login, progress_round, make_user, role, code
):
    login(make_user(role, code))
    if role != Role.LEADERSHIP:  # no way to the choice on the home page
        assert "/resultater/offentliggoerelse" not in client.get("/").get_data(as_text=True)
    response = client.post(
        "/resultater/offentliggoerelse",
        data={"participation_id": progress_round.kbh.id, "published": "1"},
    )
    assert response.status_code in (403, 404)
    assert db.session.get(PublicationConsent, progress_round.kbh.id) is None


def test_the_leadership_publishes_and_withdraws_through_the_page_audited(
    client, login, progress_round, make_user
):
    leader = make_user(Role.LEADERSHIP, AAR)
    login(leader)
    assert "/resultater/offentliggoerelse" in client.get("/").get_data(as_text=True)
    page = client.get("/resultater/offentliggoerelse").get_data(as_text=True)
    assert "Offentliggør vores resultater" in page and "offentliggøres ikke" in page
    pid = progress_round.aar.id
    response = client.post(
        "/resultater/offentliggoerelse", data={"participation_id": pid, "published": "1"}
    )
    assert response.status_code == 302
    assert db.session.get(PublicationConsent, pid).published is True
    client.post("/resultater/offentliggoerelse", data={"participation_id": pid, "published": "0"})
    db.session.expire_all()
    assert db.session.get(PublicationConsent, pid).published is False
    lines = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.like("results_%"), AuditEvent.object_id == pid)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id, e.municipality_id) for e in lines] == [
        ("results_published", leader.id, progress_round.aar.municipality_id),
        ("results_unpublished", leader.id, progress_round.aar.municipality_id),
    ]
    assert lines[0].details["published"] == [False, True]


def test_the_public_rule_agrees_in_sql_and_in_python(published):
    """The gate's two halves of ``CONSENTED`` for the anonymous reader, on every figure of the
    round, published or not."""
    checked = 0
    for model in (Participation, Measurement):
        for obj in db.session.scalars(select(model)):
            in_sql = obj.id in _public_ids(model)
            assert in_sql == access.allows(access.PUBLIC, obj, "public"), (model, obj.id)
            checked += 1
    assert checked > 10
    # and a logged-in role reads nothing by ``public``: the pages read as the public reader
    assert not access.can(published.leaders[KBH], Participation, "public")


def test_the_public_reader_reads_only_a_published_municipalitys_rows_of_every_model(app):
    """Over the sweep's world (one object of every kind for Aarhus and Odense), with Aarhus's
    collaboration published: for every model and every action, the anonymous reader's SQL
    condition and object test agree, and the ``public`` action shows Aarhus's participation
    and figures, never Odense's, and nothing else of anyone."""
    from tests.world import OTHER, OWN, build_world, make_user

    world = build_world()
    leader = make_user("publisher", Role.LEADERSHIP, OWN)
    own = db.session.get(Participation, world.values[OWN]["participation_id"])
    set_published(own, True, actor=leader)
    db.session.flush()
    seen = []
    for code in (OWN, OTHER):
        for obj in world.objects[code]:
            model = type(obj)
            for action in ["read", "change", *access.policy_of(model).other]:
                rows = db.session.scalars(
                    access.visible(select(model), access.PUBLIC, action, model)
                ).all()
                allowed = access.allows(access.PUBLIC, obj, action)
                assert (obj in rows) == allowed, (model.__name__, action, code)
                if allowed:
                    seen.append((code, model.__name__, action))
    assert seen and {code for code, _m, _a in seen} == {OWN}
    assert {action for _c, _m, action in seen} == {"public"}
    assert {m for _c, m, _a in seen} >= {"Participation", "Measurement", "Baseline", "Target"}


def test_every_policy_with_a_public_action_reads_as_the_public(published):
    """Every model the public may read by a policy (figures, costs, versions, rounds) answers
    a select as the anonymous reader, and every role but the anonymous reader is refused."""
    models = [m for m, p in access.POLICIES.items() if "public" in p.other]
    assert len(models) >= 8
    for model in models:
        db.session.scalars(access.visible(select(model), access.PUBLIC, "public", model)).all()
        assert set(access.roles_granted(model, "public")) == {access.ANONYMOUS}, model
