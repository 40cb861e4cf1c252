"""The figures journey in a real browser: a municipal user enters a baseline and a target,
imports a file of measurements, and sees progress and benefits on the dashboard."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from portal.benefits.calculation.periods import add_months
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

ROUND = "Datadrevet vagtplanlægning 2026–2027"


def months_so_far(today: date) -> list[date]:
    """The round's months that have ended, as the demo records them (from January 2026)."""
    months, day = [], date(2026, 1, 1)
    while add_months(day, 1) <= today and day <= date(2027, 6, 1):
        months.append(day)
        day = add_months(day, 1)
    return months


def test_baseline_target_import_and_dashboard(page: Page, live_server, tmp_path):
    log_in(page, live_server, "projektleder.vejle@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Gevinster").click()
    page.get_by_role("link", name=re.compile(ROUND)).first.click()
    page.get_by_role("link", name="Basislinje, målbillede og målinger").click()

    # the overview page leads to the indicator's own page with its forms
    section = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("^Planlægningstimer"))
    )
    section.get_by_role("link", name=re.compile("^Indtast tal")).click()
    baseline = page.locator("section", has=page.get_by_role("heading", name="Basislinje"))
    baseline.get_by_label("Værdi").fill("300")
    baseline.get_by_label("Målt den").fill("2025-12-01")
    baseline.get_by_role("button", name="Gem basislinje").click()
    expect(page.locator(".flash-success")).to_be_visible()

    target = page.locator("section", has=page.get_by_role("heading", name="Målbillede"))
    target.get_by_label("Forventet værdi").fill("200")
    # the demo's target has all three scenarios: the bounds move with the expected value
    target.get_by_label("Pessimistisk bud (valgfrit)").fill("230")
    target.get_by_label("Optimistisk bud (valgfrit)").fill("180")
    target.get_by_label("Nås senest").fill("2027-06-30")
    target.get_by_role("button", name="Gem målbillede").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("link", name=re.compile("Indtast tal · Vejle")).click()

    # a file of measurements: 250 planning hours in every month so far
    months = months_so_far(date.today())
    lines = ["municipality;indicator;kind;date;value;note"] + [
        f"0630;planning_hours;measurement;{m.isoformat()};250;fra vagtplansystemet" for m in months
    ]
    upload = tmp_path / "maalinger.csv"
    upload.write_text("\n".join(lines), encoding="utf-8-sig")
    page.locator("section", has=page.get_by_role("heading", name=ROUND)).get_by_role(
        "link", name="Indlæs fil"
    ).click()
    assert violations(page) == []
    page.get_by_label(re.compile("Fil med tal")).set_input_files(str(upload))
    page.get_by_role("button", name="Indlæs").click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(page.url)  # back on the figures page
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Gevinster").click()
    page.get_by_role("link", name=re.compile(ROUND)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gevinster og fremdrift · Vejle")
    # baseline 300 − 250 measured = 50 hours freed a month
    hours = page.locator(".card", has=page.get_by_role("heading", name="Frigjort tid"))
    expect(hours.locator(".figure")).to_have_text(f"{50 * len(months):,}".replace(",", "."))
    planning = page.locator(
        "section, .card", has=page.get_by_role("heading", name=re.compile("^Planlægningstimer"))
    )
    expect(planning.first).to_contain_text("50 %")  # halfway from 300 to 200
    assert violations(page) == []
