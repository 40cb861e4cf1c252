"""A submitted application of Aarhus with its participation and a status report, a
coordinator and two of Aarhus's project staff; and a record of what reached the file store."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal import files
from portal.applications.models import ApplicationStatus
from portal.auth.models import Role
from portal.db import db
from portal.reporting.models import ReportingRequirement, ReportKind
from tests.benefits.helpers import END, START, participation_of
from tests.factories import create_programme, create_round
from tests.participations.helpers import approve

AARHUS, ODENSE = 751, 461


@pytest.fixture
def case(make_user):
    round_ = create_round(create_programme(), period_start=START, period_end=END)
    application = approve(round_, AARHUS)
    participation = participation_of(round_, AARHUS)
    report = db.session.scalars(
        select(ReportingRequirement).where(
            ReportingRequirement.participation_id == participation.id,
            ReportingRequirement.kind == ReportKind.STATUS,
        )
    ).first()
    application.status = ApplicationStatus.SUBMITTED
    db.session.commit()

    return SimpleNamespace(
        round=round_,
        application=application,
        participation=participation,
        report=report,
        coordinator=make_user(Role.COORDINATOR, name="Karen Koordinator"),
        lead=make_user(Role.MUNICIPAL, code=AARHUS, name="Peter Projektleder"),
        colleague=make_user(Role.MUNICIPAL, code=AARHUS, name="Kirsten Kollega"),
        odense=make_user(Role.MUNICIPAL, code=ODENSE),
    )


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
