"""A job through the pages, run at once (Huey's immediate mode under TESTING): started from
the report, followed on its page and status, downloaded (audited) and announced; only its
starter ever sees it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from sqlalchemy import select

from portal import files
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.jobs import services
from portal.jobs.models import Job, JobKind, JobStatus
from portal.notifications.models import Notification
from portal.reports.scope import resolve_scope
from tests.reports.conftest import AAR, FRB


def start(client, **form):
    response = client.post("/filer/", data=form)
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def test_the_zip_arrives_through_the_progress_page(
    client, make_user, login, progress_round, no_pdfs
):
    coordinator = make_user(Role.COORDINATOR)
    login(coordinator)
    slug = progress_round.round.slug
    page = client.get(f"/rapporter/fremdrift/{slug}/kommuner.zip").get_data(as_text=True)
    assert 'action="/filer/"' in page and 'value="progress_zip"' in page
    job_url = start(client, kind="progress_zip", slug=slug)
    job = db.session.scalar(select(Job))
    assert job_url == f"/filer/{job.id}" and job.user_id == coordinator.id
    assert client.get(f"{job_url}/status.json").json == {
        "status": "done",
        "done": 3,
        "total": 3,
        "finished": True,
        "download": f"/filer/{job.id}/fil",
    }
    page = client.get(job_url).get_data(as_text=True)
    assert "Filen er klar." in page and f'href="/filer/{job.id}/fil"' in page
    assert 'http-equiv="refresh"' not in page  # finished: nothing refreshes
    response = client.get(f"/filer/{job.id}/fil")
    assert response.mimetype == "application/zip"
    assert f"filename=fremdrift-{slug}-kommuner.zip" in response.headers["Content-Disposition"]
    assert sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist()) == [
        f"fremdrift-{slug}-101-koebenhavn.pdf",
        f"fremdrift-{slug}-147-frederiksberg.pdf",
        f"fremdrift-{slug}-751-aarhus.pdf",
    ]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    assert event.details["format"] == "pdf-zip" and event.details["job_id"] == job.id
    assert event.round_id == progress_round.round.id and event.actor_id == coordinator.id
    notices = client.get("/beskeder/").get_data(as_text=True)
    assert f'<a href="/filer/{job.id}">Din fil fremdrift-{slug}-kommuner.zip' in notices


def test_a_running_job_refreshes_without_javascript_and_polls_with_it(
    client, make_user, login, funding_round
):
    user = make_user(Role.MUNICIPAL, code=FRB)
    login(user)
    scope = resolve_scope(funding_round.round.slug, FRB)
    job = services.start_job(JobKind.FUNDING_PDF, scope, actor=user)  # queued, not run
    job.done, job.total = 2, 5
    db.session.commit()
    page = client.get(f"/filer/{job.id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert '<progress id="job-progress" value="2" max="5">' in page and "2 af 5" in page
    assert f'data-status-url="/filer/{job.id}/status.json"' in page
    # the CSP allows no inline script: every script is a file
    assert set(re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)) == {""}
    assert '<script src="/static/job_progress.js" defer></script>' in page
    assert client.get(f"/filer/{job.id}/status.json").json["status"] == "queued"
    assert client.get(f"/filer/{job.id}/fil").status_code == 404  # nothing to download yet
    assert Path(client.application.static_folder, "job_progress.js").exists()


def test_a_job_not_yet_counted_claims_no_count(client, make_user, login, funding_round):
    """Not "0 af 1" before the worker has counted the work: an indeterminate bar and words."""
    user = make_user(Role.MUNICIPAL, code=FRB)
    login(user)
    job = services.start_job(
        JobKind.FUNDING_PDF, resolve_scope(funding_round.round.slug, FRB), actor=user
    )
    db.session.commit()
    page = client.get(f"/filer/{job.id}").get_data(as_text=True)
    assert '<progress id="job-progress"></progress>' in page
    assert "Venter på at gå i gang" in page and "0 af 1" not in page
    assert 'data-of="{done} af {total}"' in page  # what job_progress.js writes once counted


def test_only_the_starter_sees_a_job(client, make_user, login, funding_round):
    """Another municipality's user, a colleague and a coordinator all get 404."""
    owner = make_user(Role.MUNICIPAL, code=FRB)
    login(owner)
    start(client, kind="funding_pdf", slug=funding_round.round.slug, kommune=str(FRB))
    job = db.session.scalar(select(Job))
    assert job.status == JobStatus.DONE and job.municipality_id == owner.municipality_id
    assert client.get(f"/filer/{job.id}/fil").mimetype == "application/pdf"
    for other in (
        make_user(Role.MUNICIPAL, code=AAR),
        make_user(Role.LEADERSHIP, code=AAR),
        make_user(Role.MUNICIPAL, code=FRB),
        make_user(Role.COORDINATOR),
    ):
        client.post("/logout")
        login(other)
        for url in (f"/filer/{job.id}", f"/filer/{job.id}/status.json", f"/filer/{job.id}/fil"):
            assert client.get(url).status_code == 404, (other.role, url)
    assert client.get("/filer/987654").status_code == 404


def test_no_one_starts_a_report_they_may_not_read(client, make_user, login, funding_round):
    slug = funding_round.round.slug
    login(make_user(Role.MUNICIPAL, code=FRB))
    assert (
        client.post(
            "/filer/", data={"kind": "funding_pdf", "slug": slug, "kommune": str(AAR)}
        ).status_code
        == 404
    )
    assert client.post("/filer/", data={"kind": "funding_pdf", "slug": slug}).status_code == 403
    assert client.post("/filer/", data={"kind": "progress_zip", "slug": slug}).status_code == 403
    assert client.post("/filer/", data={"kind": "sql", "slug": slug}).status_code == 404
    assert db.session.scalar(select(Job)) is None


def test_a_pending_pdf_is_offered_as_a_job_and_then_served_stored(
    client, make_user, login, funding_round
):
    """No request typesets a PDF: one not yet rendered for the latest figures is a job (a
    progress bar), which stores it; from then on the download is the stored file."""
    login(make_user(Role.MUNICIPAL, code=FRB))
    slug = funding_round.round.slug
    pdf_url = f"/rapporter/tilskud/{slug}?kommune={FRB}&format=pdf"
    page = client.get(pdf_url).get_data(as_text=True)
    assert "PDF'en er ved at blive lavet" in page
    assert 'value="funding_pdf"' in page and f'name="kommune" value="{FRB}"' in page
    job_url = start(client, kind="funding_pdf", slug=slug, kommune=str(FRB))
    job = db.session.scalar(select(Job))
    assert job.status == JobStatus.DONE, job.error
    made = client.get(f"{job_url}/fil").data
    assert made.startswith(b"%PDF")
    notice = db.session.scalar(select(Notification).where(Notification.user_id.is_not(None)))
    assert notice.municipality_id is None and notice.link == job_url
    served = client.get(pdf_url)
    assert served.mimetype == "application/pdf" and served.data == made


def test_a_failed_job_says_so(client, make_user, login, funding_round, monkeypatch):
    def broken(job, scope, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(services.BUILDERS, JobKind.FUNDING_PDF, broken)
    login(make_user(Role.COORDINATOR))
    job_url = start(client, kind="funding_pdf", slug=funding_round.round.slug)
    job = db.session.scalar(select(Job))
    assert job.status == JobStatus.FAILED and job.error == "disk full"
    assert "Filen kunne ikke laves" in client.get(job_url).get_data(as_text=True)
    assert client.get(f"{job_url}/fil").status_code == 404


def test_a_large_round_file_is_imported_by_a_job(client, make_user, login, app, monkeypatch):
    """Over ``JOBS_IMPORT_ROWS`` rows: the upload page hands the file to a job, whose page
    says what was stored; a refused file's every bad line is listed there, nothing stored."""
    from sqlalchemy import func

    from portal.benefits.models import Measurement
    from tests.benefits.helpers import figures_round

    monkeypatch.setitem(app.config, "JOBS_IMPORT_ROWS", 1)
    round_ = figures_round(codes=(101, 147))
    db.session.commit()
    login(make_user(Role.COORDINATOR))
    header = "municipality,indicator,kind,date,value,note\n"
    good = (
        "101,screen_visits,measurement,2025-11-01,1,\n147,screen_visits,measurement,2025-11-01,2,\n"
    )
    response = client.post(
        f"/gevinster/forloeb/{round_.slug}/indlaes",
        data={"file": (io.BytesIO((header + good).encode()), "tal.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    job = db.session.scalar(select(Job))
    assert response.headers["Location"] == f"/filer/{job.id}"
    assert job.kind == JobKind.FIGURES_IMPORT and job.status == JobStatus.DONE, job.error
    assert db.session.scalar(select(func.count(Measurement.id))) == 2
    page = client.get(f"/filer/{job.id}").get_data(as_text=True)
    assert "Tallene er indlæst." in page and "2 rækker læst: 2 oprettet" in page
    assert not files.store().exists(job.params["upload"])  # the upload is not kept
    bad = good + "999,screen_visits,measurement,2025-12-01,3,\n"
    client.post(
        f"/gevinster/forloeb/{round_.slug}/indlaes",
        data={"file": (io.BytesIO((header + bad).encode()), "tal.csv")},
        content_type="multipart/form-data",
    )
    failed = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    assert failed.status == JobStatus.FAILED and failed.params["errors"][0][0] == 4
    assert "Intet er gemt" in client.get(f"/filer/{failed.id}").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Measurement.id))) == 2
