"""What a community member sees of another member is a line of the gate's policy table
(``access.policies``: ``AMOUNTS``, ``SIDE_BY_SIDE`` and a payment's ``note``), and the report
builders select through it: changing the line changes the page, the PDF, the XLSX and the CSV
alike."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from portal.access import policies
from portal.access.rules import OWN
from portal.auth.models import Role
from tests.reports.conftest import FRB
from tests.reports.helpers import get_pdf, pdf_pages

FORMATS = ("html", "pdf", "xlsx", "csv")


def text_of(data: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return "\n".join(pdf_pages(data))
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        return "\n".join(
            str(c.value)
            for ws in book.worksheets
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        )
    return data.decode("utf-8-sig")


def every_format(client, url: str, query: dict) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        if fmt == "pdf":  # the stored PDF, or made by the job its pending page offers
            response = get_pdf(client, f"{url}?{urlencode({**query, 'format': fmt})}")
        else:
            response = client.get(url, query_string={**query, "format": fmt})
        assert response.status_code == 200, fmt
        out[fmt] = text_of(response.data, fmt)
    return out


@pytest.fixture
def frederiksberg(client, login, make_user):
    user = make_user(Role.MUNICIPAL, code=FRB)
    login(user)
    return user


def test_a_member_sees_the_other_members_grants_and_payments_never_their_notes(
    client, funding_round, frederiksberg, monkeypatch
):
    url = f"/rapporter/tilskud/{funding_round.round.slug}"
    query = {"faellesskab": funding_round.north.id}
    before = every_format(client, url, query)
    for fmt, text in before.items():
        assert "København" in text, fmt  # the lead's grant and its payment of 300.000 kr.
        assert "Første rate" not in text, fmt  # the coordinator's note on it
    # One line of the policy table: members see only their own amounts.
    monkeypatch.setitem(policies.AMOUNTS, Role.MUNICIPAL, OWN)
    after = every_format(client, url, query)
    for fmt, text in after.items():
        assert "København" not in text, fmt
        assert "Frederiksberg" in text, fmt


def test_the_figures_side_by_side_follow_the_policy_line(
    client, progress_round, frederiksberg, monkeypatch
):
    url = f"/rapporter/fremdrift/{progress_round.round.slug}"
    query = {"faellesskab": progress_round.community.id}
    pages = {"html": client.get(url, query_string=query).get_data(as_text=True)}
    assert "København" in pages["html"]
    monkeypatch.setitem(policies.SIDE_BY_SIDE, Role.MUNICIPAL, OWN)
    after = every_format(client, url, query)
    for fmt, text in after.items():
        assert "København" not in text, fmt
        assert "Frederiksberg" in text, fmt
