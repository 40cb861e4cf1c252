"""National and round progress PDFs: rendered once per data version and served from the
stored file; a change of the figures gives a new version, rendered in the background."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.models import Cost, Measurement
from portal.db import db
from portal.jobs import tasks
from portal.jobs.queue import huey
from portal.reporting.models import ReportingRequirement
from portal.reports import stored
from portal.reports.scope import ReportScope
from tests.dashboards.helpers import measure


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Each PDF rendering, by the report's file name (WeasyPrint left out)."""
    made: list[str] = []

    def fake_pdf(report):
        made.append(report.filename)
        return b"%PDF-" + report.filename.encode()

    monkeypatch.setattr(stored, "report_pdf", fake_pdf)
    return made


@pytest.fixture
def no_schedule():
    yield
    huey.storage.flush_schedule()


def test_an_unchanged_round_pdf_is_rendered_once(
    client, make_user, login, progress_round, renders, no_schedule
):
    login(make_user(Role.COORDINATOR))
    url = f"/rapporter/fremdrift/{progress_round.round.slug}?format=pdf"
    first, second = client.get(url), client.get(url)
    assert first.data == second.data == f"%PDF-fremdrift-{progress_round.round.slug}".encode()
    assert renders == [f"fremdrift-{progress_round.round.slug}"]
    assert "attachment" in second.headers["Content-Disposition"]
    downloads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_downloaded")
    ).all()
    assert len(downloads) == 2  # every download is audited, stored or not
    # new figures: a new version, rendered once more
    measure(progress_round.aar, "citizens_screen", [7], first=date(2026, 9, 1))
    db.session.commit()
    client.get(url)
    assert len(renders) == 2


def test_a_municipalitys_own_pdf_is_never_stored(client, make_user, login, progress_round, renders):
    login(make_user(Role.MUNICIPAL, code=101))
    slug = progress_round.round.slug
    response = client.get(f"/rapporter/fremdrift/{slug}?kommune=101&format=pdf")
    assert response.status_code == 200 and renders == []  # rendered in the request


def test_the_data_version_moves_with_every_kind_of_change(progress_round, no_schedule):
    round_ = progress_round.round
    seen = {stored.round_data_version(round_)}

    def changed() -> bool:
        db.session.commit()
        version = stored.round_data_version(round_)
        new = version not in seen
        seen.add(version)
        return new

    m = db.session.scalars(select(Measurement).limit(1)).first()
    m.value += 1
    assert changed()  # an edit
    db.session.delete(db.session.scalars(select(Cost).limit(1)).first())
    assert changed()  # a delete
    measure(progress_round.aar, "citizens_screen", [9], first=date(2026, 9, 1))
    assert changed()  # an insert
    round_.parameters = {**round_.parameters, "km_rate": 4}
    assert changed()  # the round's parameters
    report = db.session.scalars(
        select(ReportingRequirement).where(ReportingRequirement.submitted_at.is_not(None))
    ).first()
    report.what_worked = "Skærmbesøg om aftenen virker."
    assert changed()  # a municipality's own words, shown in the report
    assert not changed()  # nothing


def test_a_change_of_figures_schedules_the_rendering(progress_round, renders, no_schedule):
    """Told by the one "figures changed" signal the recording services send."""
    huey.storage.flush_schedule()
    m = db.session.scalars(select(Measurement).limit(1)).first()
    recording.update_measurement(m, m.value + 1, actor=None)
    db.session.commit()
    assert [t.name for t in huey.scheduled()] == ["prerender_reports"]
    tasks.prerender_reports()  # what the worker runs a few seconds later
    slug = progress_round.round.slug
    assert sorted(renders) == ["fremdrift-alle-forloeb", f"fremdrift-{slug}"]
    assert stored.stored_path(ReportScope(round=progress_round.round), "da").exists()
    tasks.prerender_reports()  # unchanged: nothing to do
    assert len(renders) == 2
