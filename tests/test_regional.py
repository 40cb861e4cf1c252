"""The regional consultant: a role that is a policy and a reach. In the demo, Region
Midtjylland's consultant reads Aarhus's figures, dashboards and reports, never Odense's (Region
Syddanmark), writes nothing, and gets a round's report of the region as a page, XLSX and PDF."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal import access
from portal.auth.models import Role, User
from portal.db import db
from portal.demo import DEMO_PASSWORD, load_demo
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.services import get_round_by_slug

AARHUS, ODENSE = 751, 461


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()
    return get_round_by_slug("skaermbesoeg-2025")


def participation(round_, code: int) -> Participation:
    return db.session.scalar(
        select(Participation)
        .join(Municipality, Municipality.id == Participation.municipality_id)
        .where(Participation.round_id == round_.id, Municipality.code == code)
    )


def test_the_demos_regional_consultant_sees_aarhus_figures_not_odenses(client, login, demo):
    consultant = db.session.scalar(select(User).where(User.email == "kkr.midtjylland@demo.dk"))
    assert consultant.role == Role.REGIONAL and consultant.region == "Region Midtjylland"
    assert access.reach_of(consultant).extent == access.Extent.REGION
    assert not access.is_national(consultant)
    login(consultant, DEMO_PASSWORD)
    aarhus, odense = participation(demo, AARHUS), participation(demo, ODENSE)
    assert aarhus is not None and odense is not None
    for path in ("/gevinster/deltagelse/{}", "/oversigt/deltagelse/{}"):
        assert client.get(path.format(aarhus.id)).status_code == 200, path
        assert client.get(path.format(odense.id)).status_code == 404, path
    page = client.get(f"/gevinster/deltagelse/{aarhus.id}").get_data(as_text=True)
    assert "Aarhus" in page
    # writes nothing: not even their own region's figures
    assert client.post(f"/gevinster/deltagelse/{aarhus.id}/gevinstejer", data={}).status_code == 403
    # the round's national view is for national users
    assert client.get(f"/oversigt/forloeb/{demo.slug}").status_code == 403


def test_a_rounds_report_of_the_region_as_page_xlsx_and_pdf(client, login, demo):
    consultant = db.session.scalar(select(User).where(User.email == "kkr.midtjylland@demo.dk"))
    login(consultant, DEMO_PASSWORD)
    region = {"region": "Region Midtjylland"}
    for report in ("tilskud", "fremdrift"):
        url = f"/rapporter/{report}/{demo.slug}"
        page = client.get(url, query_string=region)
        assert page.status_code == 200, report
        text = page.get_data(as_text=True)
        assert "Aarhus" in text and "Odense" not in text, report
        xlsx = client.get(url, query_string={**region, "format": "xlsx"})
        assert xlsx.status_code == 200, report
        cells = {
            str(c.value)
            for ws in load_workbook(io.BytesIO(xlsx.data)).worksheets
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
        assert any("Aarhus" in c for c in cells) and not any("Odense" in c for c in cells)
        pdf = client.get(url, query_string={**region, "format": "pdf"})
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF"), report
        # another region's report, the whole round's and Odense's own: refused
        other = {"region": "Region Syddanmark"}
        assert client.get(url, query_string=other).status_code == 404, report
        assert client.get(url).status_code == 403, report
        assert client.get(url, query_string={"kommune": str(ODENSE)}).status_code == 404
    listed = client.get("/rapporter/").get_data(as_text=True)
    assert "Region Midtjylland" in listed
