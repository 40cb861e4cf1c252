"""The coordinator makes every municipality's progress PDF of a round as a job: started from
the reports page, followed on a progress bar that the static script moves, downloaded."""

import zipfile

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.db import db
from portal.jobs import services
from portal.jobs.models import Job, JobKind, JobStatus
from portal.programmes.models import Round
from portal.reports.scope import ReportScope
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

ROUND = "skaermbesoeg-demo-aaben"  # one municipality: a short job


def test_the_zip_arrives_through_the_progress_page(page: Page, live_server):
    log_in(page, live_server, "koordinator@demo.dk")
    page.goto(f"{live_server}/rapporter/fremdrift/{ROUND}/kommuner.zip")
    page.get_by_role("button", name="Lav ZIP-filen").click()  # run at once under test
    expect(page.get_by_text("Filen er klar.")).to_be_visible()
    assert violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent fremdrift-").click()
    names = zipfile.ZipFile(info.value.path()).namelist()
    assert names == [f"fremdrift-{ROUND}-751-aarhus.pdf"]
    page.goto(f"{live_server}/beskeder/")
    page.get_by_role("link", name=f"Din fil fremdrift-{ROUND}-kommuner.zip").click()
    expect(page.get_by_text("Filen er klar.")).to_be_visible()


def test_the_bar_moves_as_the_worker_reports(page: Page, live_server, app):
    """A job the test moves itself, as a worker would: the script polls and the bar
    follows; when it is done the page shows the download."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "koordinator@demo.dk"))
        round_ = db.session.scalar(select(Round).where(Round.slug == ROUND))
        job = services.start_job(JobKind.FUNDING_PDF, ReportScope(round=round_), actor=user)
        job.total = 4
        db.session.commit()
        job_id = job.id
    log_in(page, live_server, "koordinator@demo.dk")
    page.goto(f"{live_server}/filer/{job_id}")
    bar = page.locator("#job-progress")
    expect(bar).to_have_attribute("value", "0")
    assert violations(page) == []

    def move(**fields):
        with app.app_context():
            db.session.execute(Job.__table__.update().where(Job.id == job_id).values(**fields))
            db.session.commit()

    move(done=3)
    expect(bar).to_have_js_property("value", 3, timeout=10_000)
    expect(page.get_by_text("3 af 4")).to_be_visible()
    move(done=4, status=JobStatus.DONE.value, filename="tilskud.pdf", file_path="/nowhere")
    expect(page.get_by_text("Filen er klar.")).to_be_visible(timeout=10_000)
