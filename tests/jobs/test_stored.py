"""Every report PDF (national, round, municipality, community; progress and funding):
rendered once per data version in the background and served from the stored file; a change
of the figures gives a new version, pending (a job) until it is rendered."""

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
    pending = client.get(url)
    assert "PDF'en er ved at blive lavet" in pending.get_data(as_text=True)
    assert renders == []  # no request typesets a PDF
    tasks.prerender_reports()  # what the worker runs after the change
    count = len(renders)
    first, second = client.get(url), client.get(url)
    assert first.data == second.data == f"%PDF-fremdrift-{progress_round.round.slug}".encode()
    assert len(renders) == count
    assert "attachment" in second.headers["Content-Disposition"]
    downloads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_downloaded")
    ).all()
    assert len(downloads) == 2  # every download is audited
    # new figures: a new version, pending until the worker renders it again
    measure(progress_round.aar, "citizens_screen", [7], first=date(2026, 9, 1))
    db.session.commit()
    assert client.get(url).mimetype == "text/html"
    tasks.prerender_reports()
    assert client.get(url).mimetype == "application/pdf" and len(renders) == 2 * count


@pytest.mark.parametrize("report", ["fremdrift", "tilskud"])
def test_a_municipalitys_own_pdfs_are_stored_too(
    client, make_user, login, progress_round, renders, no_schedule, report
):
    login(make_user(Role.MUNICIPAL, code=101))
    slug = progress_round.round.slug
    tasks.prerender_reports()
    count = len(renders)
    response = client.get(f"/rapporter/{report}/{slug}?kommune=101&format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and b"101" in response.data
    assert len(renders) == count  # served from the stored file


def test_a_community_members_stored_pdf_shows_its_own_counts(
    client, make_user, login, progress_round, no_schedule, monkeypatch
):
    """A community's progress report is stored once per member (its own small counts
    exact) and once for everyone else (every small count suppressed)."""
    shown: list[int | None] = []
    real = stored.build

    def build(kind, scope, viewer=None):
        shown.append(viewer)
        return real(kind, scope, viewer)

    monkeypatch.setattr(stored, "report_pdf", lambda report: b"%PDF-" + report.filename.encode())
    monkeypatch.setattr(stored, "build", build)
    tasks.prerender_reports()
    community = progress_round.community
    kbh = progress_round.kbh.municipality_id
    scope = ReportScope(round=progress_round.round, community=community)
    assert stored.viewer_for(scope, kbh) == kbh
    assert stored.viewer_for(scope, progress_round.aar.municipality_id) is None
    assert kbh in shown and None in shown
    assert stored.find("progress", scope, "da", kbh) != stored.find("progress", scope, "da")


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
    from portal.participations.grants import record_disbursement

    record_disbursement(progress_round.kbh, date(2026, 2, 1), 1000, "Rate", actor=None)
    assert changed()  # a disbursement, shown in the funding reports
    progress_round.community.name = "Hovedstaden Nord"
    progress_round.community.version += 1
    assert changed()  # a community's name, on its reports
    assert not changed()  # nothing


def test_a_change_of_figures_schedules_the_rendering(progress_round, renders, no_schedule):
    """Told by the one "figures changed" signal the recording services send."""
    huey.storage.flush_schedule()
    m = db.session.scalars(select(Measurement).limit(1)).first()
    recording.update_measurement(m, m.value + 1, actor=None)
    db.session.commit()
    # the stored reports, and (``dashboards.tasks``) the round summaries they read
    assert {t.name for t in huey.scheduled()} == {"prerender_reports", "keep_round_summaries"}
    tasks.prerender_reports()  # what the worker runs a few seconds later
    slug = progress_round.round.slug
    assert {"fremdrift-alle-forloeb", f"fremdrift-{slug}", f"tilskud-{slug}"} <= set(renders)
    assert any(name.startswith(f"fremdrift-{slug}-101-") for name in renders)  # København's
    assert any(name.startswith(f"tilskud-{slug}-") for name in renders if name != f"tilskud-{slug}")
    assert stored.find("progress", ReportScope(round=progress_round.round), "da") is not None
    count = len(renders)
    tasks.prerender_reports()  # unchanged: nothing to do
    assert len(renders) == count
