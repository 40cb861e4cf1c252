"""The whole story in a real browser: Aalborg completes its joint application with Vejle,
Vejle confirms and Aalborg submits; the coordinator assigns, scores, approves and places it in
a community; Aalborg enters a baseline and a target picture under "Indtast tal", fills in the
import template and imports it; Aalborg's leadership downloads the progress PDF and reads the
figures from it. The steps the coordinator takes are those of the application journey."""

import csv
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from portal.db import db
from portal.programmes.models import Round
from tests.browser.test_accessibility import violations
from tests.browser.test_application_journey import (
    ROUND,
    coordinator_scores_approves_and_places,
    log_out,
)
from tests.browser.test_journeys import download_report_pdf, log_in

pytestmark = pytest.mark.browser

MENU = "Hovedmenu"


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name=MENU).get_by_role("link", name=name, exact=True).click()


def aalborg_completes_and_vejle_confirms(page: Page, base: str) -> str:
    log_in(page, base, "projektleder.aalborg@demo.dk")
    menu(page, "Ansøgninger")
    page.get_by_role("link", name=ROUND).click()
    expect(page.get_by_text("Vejle", exact=False).first).to_be_visible()
    url = page.url
    page.get_by_role("link", name="Redigér ansøgningen").click()
    page.get_by_label("Motivation").fill(
        "Sammen med Vejle vil vi skalere skærmbesøg i hele sygeplejen."
    )
    # the limit of the free text, counted as one types
    motivation = "Sammen med Vejle vil vi skalere skærmbesøg i hele sygeplejen."
    expect(page.locator("#motivation-count")).to_have_text(
        f"{5000 - len(motivation):,} af 5.000 tegn tilbage".replace(",", ".")
    )
    page.get_by_role("button", name="Gem kladde").click()
    expect(page.locator(".flash-success")).to_be_visible()
    # not yet: Vejle has to confirm the joint application first
    expect(page.get_by_role("button", name="Indsend ansøgningen")).to_have_count(0)
    log_out(page)

    log_in(page, base, "projektleder.vejle@demo.dk")
    page.goto(url)
    page.get_by_role("button", name="Bekræft den fælles ansøgning").click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    log_in(page, base, "projektleder.aalborg@demo.dk")
    page.goto(url)
    page.get_by_role("button", name="Indsend ansøgningen").click()
    expect(page.locator("h1 .badge")).to_have_text("Indsendt")
    log_out(page)
    return url


def enter_baseline_and_target(page: Page, round_: Round, today: date) -> None:
    menu(page, "Indtast tal")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indtast tal")
    assert violations(page) == []
    section = page.locator("section", has=page.get_by_role("heading", name=ROUND))
    section.get_by_role("link", name="Gennemførte skærmbesøg").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gennemførte skærmbesøg")
    assert violations(page) == []
    baseline = page.locator("section", has=page.get_by_role("heading", name="Basislinje"))
    baseline.get_by_label("Værdi").fill("433,3")
    baseline.get_by_label("Målt den").fill(today.isoformat())
    baseline.get_by_role("button", name="Gem basislinje").click()
    expect(page.locator(".flash-success")).to_have_text("Basislinjen er gemt.")
    # the stored value comes back in Danish, without trailing zeros
    baseline = page.locator("section", has=page.get_by_role("heading", name="Basislinje"))
    expect(baseline.get_by_label("Værdi")).to_have_value("433,3")
    target = page.locator("section", has=page.get_by_role("heading", name="Målbillede"))
    target.get_by_label("Forventet værdi").fill("650")
    target.get_by_label("Nås senest").fill((round_.period_end - timedelta(days=30)).isoformat())
    target.get_by_role("button", name="Gem målbillede").click()
    expect(page.locator(".flash-success")).to_have_text("Målbilledet er gemt.")


def fill_in_and_import_the_template(page: Page, tmp_path, today: date) -> None:
    menu(page, "Indtast tal")
    section = page.locator("section", has=page.get_by_role("heading", name=ROUND))
    with page.expect_download() as info:
        section.get_by_role("link", name="Hent skabelon (CSV)").click()
    with open(info.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    # the template in Danish: kommunekode, indikator, navn, enhed, hyppighed, art, dato, værdi …
    citizens = [r for r in rows if r["indikator"] == "citizens_screen"]
    assert citizens[0]["navn"] == "Borgere med skærmbesøg"
    assert citizens[0]["enhed"] == "borgere" and citizens[0]["hyppighed"] == "Månedlig"
    assert not [r for r in rows if r["indikator"] == "screen_visits" and r["art"] == "basislinje"]
    # the project lead fills in one baseline and leaves every other row blank
    baseline = next(r for r in citizens if r["art"] == "basislinje")
    baseline.update(dato=today.isoformat(), værdi="1234", note="Omsorgssystemet")
    filled = tmp_path / "skabelon-udfyldt.csv"
    with open(filled, "w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    section.get_by_role("link", name="Indlæs fil").click()
    page.get_by_label(re.compile("Fil med tal")).set_input_files(str(filled))
    page.get_by_role("button", name="Indlæs").click()
    expect(page.locator(".flash-success")).to_contain_text("1 række læst: 1 oprettet")
    expect(page.locator(".flash-success")).to_contain_text("uden værdi blev sprunget over")


def leadership_reads_the_progress_pdf(page: Page, base: str) -> str:
    log_in(page, base, "direktion.aalborg@demo.dk")
    menu(page, "Rapporter")
    section = page.locator("section", has=page.get_by_role("heading", name=ROUND))
    row = section.locator("tr", has=page.get_by_role("link", name="Fremdrift: Aalborg"))
    download = download_report_pdf(page, row.get_by_role("link", name=re.compile("^PDF")))
    return "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)


def test_the_whole_story_from_joint_application_to_the_board_pdf(
    page: Page, live_server, app, tmp_path
):
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.slug == "skaermbesoeg-demo-aaben"))
        db.session.expunge(round_)
    today = date.today()  # the demo round's period starts within a year: a baseline may be today

    url = aalborg_completes_and_vejle_confirms(page, live_server)
    coordinator_scores_approves_and_places(page, live_server, url, municipality="Aalborg")

    log_in(page, live_server, "projektleder.aalborg@demo.dk")
    enter_baseline_and_target(page, round_, today)
    fill_in_and_import_the_template(page, tmp_path, today)
    log_out(page)

    text = leadership_reads_the_progress_pdf(page, live_server)
    assert "Aalborg" in text and "Side 1 af" in text
    assert "433,3" in text and "650" in text  # the baseline and target typed in the form
    assert "1.234" in text  # the baseline imported from the template
