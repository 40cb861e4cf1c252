"""Deadline day on PostgreSQL, against a live server: 100 municipalities submit at once in
the last minute before the deadline (each double-clicks), then ten more after the deadline
minute, and two coordinators decide the same application at the same moment.

Each application is stored exactly once, every late one is refused, nothing answers 500, and
of the two coordinators one succeeds and the other reads the conflict message.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
import requests
from sqlalchemy import delete, func, select, update

from portal.applications import services
from portal.applications.data import ApplicationData
from portal.applications.models import Application, ApplicationStatus
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.municipalities.models import Municipality
from portal.programmes.models import ProgrammeGoal, Round
from tests.conftest import PASSWORD
from tests.factories import create_programme, create_round
from tests.hardening.conftest import in_parallel

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="deadline day is about PostgreSQL under concurrent writers (make test runs it there)",
)

ON_TIME, LATE = 100, 10
SUBMITTED = "Ansøgningen er indsendt."
CONFLICT = ("ændret af en anden", "lige før dig")


def _municipalities(count: int) -> list[Municipality]:
    """``count`` municipalities: the Danish register, then Norwegian ones made for the test."""
    found = list(db.session.scalars(select(Municipality).order_by(Municipality.id)))
    for n in range(count - len(found)):
        extra = Municipality(
            country="NO",
            code=9000 + n,
            name=f"Testkommune {n}",
            full_name=f"Testkommune {n}",
            region="Testfylke",
        )
        db.session.add(extra)
        found.append(extra)
    db.session.flush()
    return found[:count]


def _complete(round_) -> ApplicationData:
    return ApplicationData(
        role="participant",
        experience="none",
        goal_ids=[round_.programme.goals[0].id],
        motivation="Vi vil frigøre tid.",
        project_lead_name="Pia",
        project_lead_email="pia@example.dk",
        project_owner_name="Carsten",
        project_owner_title="Ældrechef",
        backing_board=True,
        backing_management=True,
    )


def _session(base: str, email: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/login", data={"email": email, "password": PASSWORD}, allow_redirects=False
    )
    assert response.status_code == 302, response.status_code
    return session


def _statuses(response: requests.Response) -> list[int]:
    return [r.status_code for r in response.history] + [response.status_code]


def _set_deadline(round_id: int, deadline) -> None:
    """The clock moving on, as far as the round is concerned (no version bump: not an edit)."""
    with db.engine.begin() as conn:
        conn.execute(update(Round).where(Round.id == round_id).values(deadline_at=deadline))


@pytest.fixture
def deadline_round(bare_live_server, make_user):
    programme = create_programme()
    programme.goals = [ProgrammeGoal(position=0, text_da="At komme i gang")]
    db.session.flush()
    now = utcnow()
    round_ = create_round(
        programme, opens_at=now - timedelta(days=30), deadline_at=now + timedelta(hours=1)
    )
    places = _municipalities(ON_TIME + LATE)
    drafts = []
    for place in places:
        application = services.start_application(round_, place, _complete(round_), actor=None)
        user = make_user(Role.MUNICIPAL, email=f"m{place.id}@example.dk")
        user.municipality_id = place.id  # make_user knows the Danish register only
        drafts.append((application, user.email))
    coordinators = [make_user(Role.COORDINATOR) for _ in range(2)]
    db.session.commit()
    extra_ids[:] = [m.id for m in places if m.country == "NO"]
    yield round_, drafts, coordinators


extra_ids: list[int] = []  # the test's own municipalities, deleted after everything else


@pytest.fixture(autouse=True)
def _drop_test_municipalities():
    yield
    if extra_ids:
        with db.engine.begin() as conn:
            conn.execute(delete(Municipality).where(Municipality.id.in_(extra_ids)))
        extra_ids.clear()


def test_deadline_day(bare_live_server, deadline_round):
    base = bare_live_server
    round_, drafts, coordinators = deadline_round
    started = time.perf_counter()
    sessions = in_parallel(lambda i: _session(base, drafts[i][1]), len(drafts))
    assert all(isinstance(s, requests.Session) for s in sessions), sessions

    # The last minute before the deadline: every on-time municipality submits, twice at once.
    _set_deadline(round_.id, utcnow() + timedelta(seconds=45))

    def submit(i: int):
        application, _email = drafts[i // 2]
        response = sessions[i // 2].post(
            f"{base}/ansoegninger/{application.id}/indsend",
            data={"version": str(application.version)},
            allow_redirects=False,  # one session's two clicks share a cookie: read the db
            timeout=60,
        )
        return response.status_code

    results = in_parallel(submit, 2 * ON_TIME, timeout=120)
    assert results == [302] * (2 * ON_TIME), [r for r in results if r != 302]

    # The deadline minute is over: the late ones are refused.
    _set_deadline(round_.id, utcnow() - timedelta(seconds=61))

    def late(i: int):
        application, _email = drafts[ON_TIME + i]
        response = sessions[ON_TIME + i].post(
            f"{base}/ansoegninger/{application.id}/indsend",
            data={"version": str(application.version)},
            timeout=60,
        )
        return _statuses(response), response.text

    refused = in_parallel(late, LATE, timeout=60)
    assert all(500 not in statuses and SUBMITTED not in text for statuses, text in refused)
    assert all("fristen var" in text for _statuses_, text in refused)

    ids = [a.id for a, _email in drafts]
    statuses = dict(
        db.session.execute(
            select(Application.id, Application.status).where(Application.id.in_(ids))
        ).all()
    )
    assert sum(s == ApplicationStatus.SUBMITTED for s in statuses.values()) == ON_TIME
    assert all(statuses[a.id] == ApplicationStatus.DRAFT for a, _e in drafts[ON_TIME:])
    per_application = dict(
        db.session.execute(
            select(AuditEvent.application_id, func.count())
            .where(AuditEvent.action == "application_submitted")
            .group_by(AuditEvent.application_id)
        ).all()
    )
    assert per_application == {a.id: 1 for a, _e in drafts[:ON_TIME]}  # each exactly once

    # Two coordinators decide the same application at the same moment.
    first = drafts[0][0]
    version = db.session.scalar(select(Application.version).where(Application.id == first.id))
    desks = [_session(base, c.email) for c in coordinators]

    def decide(i: int):
        response = desks[i].post(
            f"{base}/vurdering/ansoegning/{first.id}/afgoerelse",
            data={
                "decision": ("waitlisted", "rejected")[i],
                "reason": "Prioriteret efter kriterierne.",
                "version": str(version),
            },
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code, response.text

    decided = in_parallel(decide, 2)
    assert sorted(status for status, _ in decided) == [302, 400], decided
    loser = next(text for status, text in decided if status == 400)
    assert any(message in loser for message in CONFLICT)
    assert time.perf_counter() - started < 120
