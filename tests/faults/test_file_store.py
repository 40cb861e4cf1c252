"""Files every host can read (``portal.files``): the same contract from each store — the
database (the production default), an S3-compatible bucket (moto's in-process S3) and a
folder — and, with real processes, two app servers and a worker that share nothing but the
database and Redis: a ZIP started through one is downloaded through the other, and a stored
report rendered by the worker is served by both."""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests

from portal.auth.models import Role
from portal.db import db, utcnow
from portal.files.database import DatabaseStore
from portal.files.folder import FolderStore
from portal.files.models import CHUNK_SIZE
from portal.jobs import tasks
from portal.jobs.models import Job, JobStatus
from portal.reports import stored
from portal.reports.scope import ReportScope
from tests.conftest import PASSWORD
from tests.faults.processes import server_log, wait_until


@pytest.fixture(params=["database", "s3", "folder"])
def store(request, tmp_path, monkeypatch):
    if request.param != "s3":
        yield DatabaseStore() if request.param == "database" else FolderStore(tmp_path)
        return
    import boto3
    from moto import mock_aws

    from portal.files.s3 import S3Store

    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    with mock_aws():
        boto3.client("s3").create_bucket(
            Bucket="portal", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        yield S3Store("portal", prefix="skalering")


def test_every_store_keeps_a_file_whole_and_lets_it_go(store):
    big = bytes(range(256)) * (CHUNK_SIZE // 256 * 2 + 3)  # three chunks
    store.put("files/1-ab-rapport.zip", big)
    store.put("reports/empty.name", b"")
    assert store.exists("files/1-ab-rapport.zip") and not store.exists("files/2.zip")
    pieces = list(store.chunks("files/1-ab-rapport.zip"))
    assert b"".join(pieces) == big and len(pieces) >= 2  # streamed, not whole
    assert b"".join(store.chunks("reports/empty.name")) == b""
    store.put("files/1-ab-rapport.zip", b"other")  # a key names one content: kept
    assert store.exists("files/1-ab-rapport.zip")
    with pytest.raises(FileNotFoundError):
        list(store.chunks("files/missing.pdf"))
    assert store.delete_older("files/", utcnow() - timedelta(hours=1)) == 0
    assert store.delete_older("files/", utcnow() + timedelta(hours=1)) == 1
    assert not store.exists("files/1-ab-rapport.zip") and store.exists("reports/empty.name")
    store.delete("reports/empty.name")
    store.delete("reports/empty.name")  # gone already: nothing
    assert not store.exists("reports/empty.name")


def test_the_store_is_chosen_by_the_configuration():
    from portal.files import make_store

    postgres = {"DATABASE_URL": "postgresql+psycopg://db/portal", "JOBS_FOLDER": "/tmp/j"}
    assert isinstance(make_store(postgres), DatabaseStore)
    laptop = {"DATABASE_URL": "sqlite:////tmp/p.sqlite3", "JOBS_FOLDER": "/tmp/j"}
    assert make_store(laptop).folder.as_posix() == "/tmp/j/store"
    assert isinstance(make_store({**laptop, "FILE_STORE": "database"}), DatabaseStore)


def _session(base: str, email: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/login", data={"email": email, "password": PASSWORD}, allow_redirects=False
    )
    assert response.status_code == 302, response.text[:500]
    return session


def test_two_app_servers_and_a_worker_share_their_files(
    app, committed_database, processes, make_user
):
    from tests.dashboards.helpers import two_municipalities

    round_, _community, _kbh, _frb = two_municipalities()
    db.session.commit()
    slug = round_.slug
    user = make_user(Role.COORDINATOR)
    email = user.email
    db.session.commit()
    with ThreadPoolExecutor() as starting:  # their start-ups overlap
        hosts = [starting.submit(processes.app_server, name) for name in ("host-a", "host-b")]
        worker = starting.submit(processes.worker, "host-c", "--no-periodic")
        first, second = (host.result() for host in hosts)
        worker.result()
    on_a, on_b = _session(first, email), _session(second, email)

    started = on_a.post(
        f"{first}/filer/", data={"kind": "progress_zip", "slug": slug}, allow_redirects=False
    )
    assert started.status_code == 303, started.text[:500]
    job_path = started.headers["Location"]
    job_id = int(job_path.rstrip("/").rsplit("/", 1)[1])
    wait_until(
        lambda: db.session.get(Job, job_id).status in (JobStatus.DONE, JobStatus.FAILED),
        "the ZIP made by the worker",
    )
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.DONE, job.error
    db.session.rollback()  # this process holds no lock while the servers answer (SQLite)
    download = on_b.get(f"{second}{job_path}/fil")
    assert download.status_code == 200, server_log(processes, "host-b")
    assert download.headers["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(download.content)).namelist()) == 2

    # the stored reports: rendered by the worker (host C), served by A and B alike
    tasks.prerender_reports()
    scope = ReportScope(round=db.session.merge(round_))
    wait_until(lambda: stored.find("progress", scope, "da"), "the stored round report")
    url = f"/rapporter/fremdrift/{slug}?format=pdf"
    from_a, from_b = on_a.get(f"{first}{url}"), on_b.get(f"{second}{url}")
    assert from_a.status_code == from_b.status_code == 200, server_log(processes, "host-a")
    assert from_a.headers["Content-Type"] == "application/pdf"
    assert from_a.content == from_b.content and from_a.content.startswith(b"%PDF")
