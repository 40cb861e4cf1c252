"""The access export (GDPR articles 15 and 20) hands over what a scan of the database finds
about the person, and no secret."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import db
from portal.privacy.export import person_data
from tests.privacy.conftest import EMAIL, NAME, naive_scan


def test_the_export_holds_every_row_a_scan_finds(spread):
    data = person_data(spread.person)
    assert data["person"]["email"] == EMAIL and "password_hash" not in data["person"]
    found_tables = {table for table, _column in naive_scan((NAME, EMAIL))} - {"users"}
    assert found_tables == set(data["mentions"])
    assert data["mentions"]["applications"][0]["project_lead_name"] == NAME
    # what points at the person: their notice
    assert [n["params"] for n in data["linked"]["notifications"]] == [{"name": NAME}]


def test_an_admin_downloads_the_zip_and_the_download_is_logged(spread, client, login):
    login(spread.admin)
    started = client.post(f"/admin/persondata/{spread.person.id}/eksport")
    assert started.status_code == 303  # a job: the worker makes the ZIP (here at once)
    job_id = int(started.location.rstrip("/").split("/")[-1])
    response = client.get(f"/filer/{job_id}/fil")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert {"persondata.json", "LÆS MIG.txt"} <= set(archive.namelist())
        content = json.loads(archive.read("persondata.json"))
    assert content["person"]["name"] == NAME
    assert "password_hash" not in json.dumps(content)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_exported"))
