"""A round's progress workbook is made as a job (issue 19 item 8: every municipality's rows,
seconds of CPU at Nordic scale and beyond ten seconds on a busy machine): its link's page
starts it, its page follows it to the file, the download is audited as the workbook's; a
municipality's workbook is small and still written in the request."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.jobs.models import Job, JobKind
from tests.jobs.test_pages import start
from tests.reports.conftest import AAR


def test_the_rounds_workbook_arrives_through_a_job(client, make_user, login, progress_round):
    coordinator = make_user(Role.COORDINATOR)
    login(coordinator)
    slug = progress_round.round.slug
    page = client.get(f"/rapporter/fremdrift/{slug}?format=xlsx")
    assert page.status_code == 200 and page.mimetype == "text/html"  # no workbook written
    assert 'value="progress_xlsx"' in page.get_data(as_text=True)
    job_url = start(client, kind="progress_xlsx", slug=slug)
    job = db.session.scalar(select(Job))
    assert job.kind == JobKind.PROGRESS_XLSX and job.user_id == coordinator.id
    status = client.get(f"{job_url}/status.json").json
    assert status["status"] == "done" and status["done"] == status["total"] == 2
    assert "<h1>Fremdriftsrapport (XLSX)</h1>" in client.get(job_url).get_data(as_text=True)

    response = client.get(f"/filer/{job.id}/fil")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert "Alle tal" in book.sheetnames
    names = {row[0].value for row in book["Alle tal"].iter_rows(min_row=2)}
    assert {"Aarhus", "København", "Frederiksberg"} <= names
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    assert event.details["format"] == "xlsx" and event.details["job_id"] == job.id
    assert event.details["report"] == "progress"


def test_a_municipalitys_workbook_is_written_at_once(client, make_user, login, progress_round):
    login(make_user(Role.LEADERSHIP, code=AAR))
    slug = progress_round.round.slug
    response = client.get(f"/rapporter/fremdrift/{slug}?kommune={AAR}&format=xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    # and a job is only for the round-wide workbook
    refused = client.post("/filer/", data={"kind": "progress_xlsx", "slug": slug, "kommune": AAR})
    assert refused.status_code == 403
    assert db.session.scalar(select(Job)) is None


def test_the_rounds_csv_files_arrive_through_a_job(client, make_user, login, progress_round):
    """The CSV files in a ZIP carry every table whole: at Nordic scale about ten seconds on a
    busy machine, so they are a job too (the single CSV, the main table, stays at once)."""
    import zipfile

    login(make_user(Role.COORDINATOR))
    slug = progress_round.round.slug
    page = client.get(f"/rapporter/fremdrift/{slug}?format=zip")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert 'value="progress_csv_zip"' in page.get_data(as_text=True)
    assert "CSV-filerne laves i baggrunden" in page.get_data(as_text=True)
    job_url = start(client, kind="progress_csv_zip", slug=slug)
    job = db.session.scalar(select(Job))
    assert job.kind == JobKind.PROGRESS_CSV_ZIP
    assert "<h1>Fremdriftsrapport (CSV i ZIP)</h1>" in client.get(job_url).get_data(as_text=True)
    response = client.get(f"/filer/{job.id}/fil")
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() and all(n.endswith(".csv") for n in archive.namelist())
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    assert event.details["format"] == "zip"
    assert client.get(f"/rapporter/fremdrift/{slug}?format=csv").mimetype.startswith("text/csv")
