"""A submitted application of Aarhus with its participation and a status report, a
coordinator and two of Aarhus's project staff; and a record of what reached the file store."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import files
from portal.applications.models import ApplicationStatus
from portal.auth.models import Role
from portal.db import db
from portal.reporting.models import ReportingRequirement, ReportKind
from tests.benefits.helpers import END, START
from tests.factories import create_programme, create_round
from tests.participations.helpers import approve

AARHUS, ODENSE = 751, 461


@pytest.fixture
def case(make_user):
    round_ = create_round(create_programme(), period_start=START, period_end=END)
    application = approve(round_, AARHUS)
    from tests.benefits.helpers import participation_of

    participation = participation_of(round_, AARHUS)
    report = db.session.scalars(
        select(ReportingRequirement).where(
            ReportingRequirement.participation_id == participation.id,
            ReportingRequirement.kind == ReportKind.STATUS,
        )
    ).first()
    application.status = ApplicationStatus.SUBMITTED
    db.session.commit()

    class Case:
        pass

    c = Case()
    c.round, c.application, c.participation, c.report = round_, application, participation, report
    c.coordinator = make_user(Role.COORDINATOR, name="Karen Koordinator")
    c.lead = make_user(Role.MUNICIPAL, code=AARHUS, name="Peter Projektleder")
    c.colleague = make_user(Role.MUNICIPAL, code=AARHUS, name="Kirsten Kollega")
    c.odense = make_user(Role.MUNICIPAL, code=ODENSE)
    return c


@pytest.fixture
def puts(app, monkeypatch):
    """Every key written to the file store during the test."""
    written: list[str] = []
    store = files.store()
    put = store.put

    def recording(key, data):
        written.append(key)
        return put(key, data)

    monkeypatch.setattr(store, "put", recording)
    return written
