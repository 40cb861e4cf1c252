"""Long work as jobs, on the national data set of ``bench.reports`` (98 municipalities, 36
months of every indicator), in a throwaway SQLite database with the default SQLite queue:

- ``zip_job_cold_seconds``: every municipality's own progress PDF in one ZIP, started as a
  job and run by a real ``portal worker`` process, from enqueuing to the job's file written,
  every PDF rendered (and stored); ``zip_job_seconds``: the same again, nothing changed —
  assembled from the stored PDFs (issue 19: under 30 s);
- ``municipality_pdf_p95_ms``: the 95th percentile of downloads of municipalities' own
  progress PDFs, unchanged, ``READERS`` readers at once (issue 19: under 1,000);
- ``report_download_p95_ms``: the 95th percentile of downloads of the unchanged national
  progress PDF (the stored file, rendered once beforehand as the worker does after a
  change), ``DOWNLOADS`` downloads one after the other through the app.

Run alone: ``python -m bench.jobs`` (``BENCH_ZIP_LIMIT=n`` makes the ZIP of the first n
municipalities only, for a quick look; ``make bench`` makes all of them).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import delete, select

from bench.reports import fill, make_round
from portal import create_app
from portal.auth import services as auth_services
from portal.auth.models import Role
from portal.db import db
from portal.jobs import services, tasks
from portal.jobs.models import Job, JobKind, JobStatus
from portal.jobs.queue import huey
from portal.migrate import upgrade
from portal.municipalities.models import Municipality
from portal.municipalities.services import load_shipped_register
from portal.participations.models import Participation
from portal.programmes.loading import load_shipped_programmes
from portal.programmes.models import Round
from portal.reports.scope import ReportScope
from portal.reports.stored import render_and_store

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-hest-batteri-korrekt"
DOWNLOADS = 40
READERS = 4  # municipality PDFs downloaded at once
WAIT_SECONDS = int(os.environ.get("BENCH_ZIP_WAIT", "5400"))  # bounded, even on a busy machine


def _limit(round_id: int) -> None:
    """Keep the first ``BENCH_ZIP_LIMIT`` municipalities (a quick run), if set."""
    limit = int(os.environ.get("BENCH_ZIP_LIMIT", "0") or 0)
    if limit:
        keep = select(Participation.id).where(Participation.round_id == round_id).limit(limit)
        db.session.execute(
            delete(Participation).where(
                Participation.round_id == round_id, Participation.id.not_in(keep)
            )
        )
        db.session.commit()


def _wait_for(job_id: int) -> JobStatus:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        status = db.session.scalar(select(Job.status).where(Job.id == job_id))
        db.session.rollback()  # a poll holds no lock while it sleeps (SQLite: BEGIN IMMEDIATE)
        if status in (JobStatus.DONE, JobStatus.FAILED):
            return status
        time.sleep(0.2)
    done, total = db.session.execute(select(Job.done, Job.total).where(Job.id == job_id)).one()
    raise TimeoutError(f"the job did not finish in {WAIT_SECONDS} s ({done} of {total} PDFs)")


def run(bench) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = {
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'jobs.sqlite3'}",
            "JOBS_FOLDER": str(Path(folder) / "jobs"),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
        app = create_app(config)
        upgrade(db.engine)
        with app.app_context():
            load_shipped_register()
            load_shipped_programmes()
            round_ = make_round()
            fill(round_)
            _limit(round_.id)
            user = auth_services.create_user(
                auth_services.UserData("koordinator@bench.dk", "Koordinator", Role.COORDINATOR),
                PASSWORD,
            )
            round_ = db.session.get(Round, round_.id)
            slug = round_.slug
            count = len(
                db.session.scalars(
                    select(Participation.id).where(Participation.round_id == round_.id)
                ).all()
            )
            jobs = [
                services.start_job(JobKind.PROGRESS_ZIP, ReportScope(round=round_), actor=user)
                for _ in range(2)
            ]
            db.session.commit()
            job_ids = [job.id for job in jobs]
            codes = db.session.scalars(
                select(Municipality.code)
                .join(Participation, Participation.municipality_id == Municipality.id)
                .where(Participation.round_id == round_.id)
            ).all()
        # the renderings the setup's commits scheduled would run first and render every
        # report of the round: the worker runs the ZIPs alone
        huey.storage.flush_queue()
        huey.storage.flush_schedule()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": config["DATABASE_URL"],
            "JOBS_FOLDER": config["JOBS_FOLDER"],
            "SECRET_KEY": "bench",
        }
        worker = subprocess.Popen(
            [sys.executable, "-c", "from portal.cli import main; main()", "worker"]
            + ["--workers", "1", "--no-periodic"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        seconds = []
        try:
            # the worker is up (its first line) before the clock starts
            while "Arbejderen" not in (line := worker.stdout.readline()):
                if not line:
                    raise RuntimeError("the worker stopped before it started")
            with app.app_context():
                # the first ZIP renders (and stores) every PDF; the second, nothing changed,
                # is assembled from the stored files
                for job_id in job_ids:
                    start = time.perf_counter()
                    tasks.enqueue(db.session.get(Job, job_id))
                    status = _wait_for(job_id)
                    seconds.append(time.perf_counter() - start)
                    assert status == JobStatus.DONE, status
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        bench("zip_job_municipalities", count)
        bench("zip_job_cold_seconds", seconds[0])
        bench("zip_job_seconds", seconds[1])
        bench("zip_job_seconds_per_municipality", seconds[0] / count)
        with app.app_context():
            # what the worker does after the figures change (the round's report here)
            round_ = db.session.scalar(select(Round).where(Round.slug == slug))
            render_and_store("progress", ReportScope(round=round_), "da")
        client = app.test_client()
        client.post("/login", data={"email": "koordinator@bench.dk", "password": PASSWORD})
        url = f"/rapporter/fremdrift/{slug}?format=pdf"
        times = []
        for _ in range(DOWNLOADS):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200 and response.data[:4] == b"%PDF", response.data[:300]
        bench("report_download_p95_ms", statistics.quantiles(times, n=20)[-1])
        bench("municipality_pdf_p95_ms", _municipality_pdfs_under_load(app, slug, codes))
        db.session.remove()
        db.engine.dispose()


def _municipality_pdfs_under_load(app, slug: str, codes: list[int]) -> float:
    """The 95th percentile of downloads of municipalities' own progress PDFs (stored by the
    ZIP jobs, unchanged since), ``READERS`` readers at once, each its own session."""
    times: list[float] = []

    def reader(n: int) -> None:
        client = app.test_client()
        client.post("/login", data={"email": "koordinator@bench.dk", "password": PASSWORD})
        for code in codes[n::READERS] * 2:
            began = time.perf_counter()
            response = client.get(f"/rapporter/fremdrift/{slug}?kommune={code}&format=pdf")
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200 and response.data[:4] == b"%PDF", code

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statistics.quantiles(times, n=20)[-1]


def _print(name: str, value) -> None:
    print(f"BENCH {name}={value:.3f}" if isinstance(value, float) else f"BENCH {name}={value}")


if __name__ == "__main__":
    run(_print)
