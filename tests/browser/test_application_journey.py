"""The application journey in a real browser: a municipality applies and submits; the
coordinator scores, approves and places it in a community; the municipality sees the
decision, its community and its grant."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

ROUND = "Skærmbesøg – ny ansøgningsrunde"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def apply_and_submit(page: Page, base: str) -> str:
    log_in(page, base, "projektleder.helsingoer@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Ansøgninger").click()
    page.get_by_role("link", name=f"Ansøg – {ROUND}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ROUND)
    page.get_by_label("Deltagerkommune").check()
    page.get_by_label(re.compile("^Nogen erfaring med at bruge teknologien")).check()
    page.get_by_label("At komme i gang med at bruge skærmbesøg", exact=False).first.check()
    page.get_by_label("Motivation").fill("Vi vil frigøre tid i sygeplejen med skærmbesøg.")
    page.get_by_label("Projektleder: navn").fill("Hanne Hansen")
    page.get_by_label("Projektleder: e-mail").fill("hanne@helsingor.dk")
    page.get_by_label("Projektejer (chef): navn").fill("Ole Olsen")
    page.get_by_label("Projektejer: titel").fill("Sundhedschef")
    # first an incomplete submit: told what is missing, nothing typed is lost
    page.get_by_role("button", name="Gem og indsend").click()
    expect(page.get_by_role("alert")).to_contain_text("Der skal være opbakning i direktionen")
    expect(page.locator(".error-summary")).to_be_focused()  # at the top, in view
    assert violations(page) == []  # the form with its errors
    expect(page.get_by_label("Motivation")).to_have_value(
        "Vi vil frigøre tid i sygeplejen med skærmbesøg."
    )
    page.get_by_label("Initiativet har opbakning i direktionen").check()
    page.get_by_label("Initiativet har opbakning på chefniveau").check()
    page.get_by_role("button", name="Gem og indsend").click()
    expect(page.get_by_text("Ansøgningen er indsendt.")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("Indsendt")
    url = page.url
    log_out(page)
    return url


def score(page: Page, criterion: str, value: str, comment: str) -> None:
    group = page.get_by_role("group", name=re.compile(criterion))
    group.get_by_label(value, exact=True).check()
    group.get_by_role("textbox").fill(comment)


def coordinator_scores_approves_and_places(
    page: Page, base: str, application_url: str, municipality: str = "Helsingør"
) -> None:
    log_in(page, base, "koordinator@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Vurdering").click()
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("link", name=municipality).first.click()
    # the coordinator takes the review on and scores; the weighted total shows as they go
    page.get_by_role("listbox", name=re.compile("^Bedømmere")).select_option(
        label="Karen Koordinator"
    )
    page.get_by_role("button", name="Tildel").click()
    expect(page.get_by_text("1 bedømmer tildelt.")).to_be_visible()
    assert violations(page) == []  # the review page with the score form
    score(page, "Kommunens erfaring", "4", "Har prøvet skærmbesøg i lille skala.")
    score(page, "Ledelsesmæssig forankring", "5", "Direktion og chefniveau bakker op.")
    score(page, "Parathed", "3", "Planen for driften mangler detaljer.")
    expect(page.locator("#live-total")).to_have_text("4,00")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Indsend bedømmelsen").click()
    expect(page.get_by_text("Bedømmelsen er indsendt.")).to_be_visible()
    # the decision, separate from the score, with a reason the municipality reads
    page.get_by_role("combobox", name=re.compile("^Afgørelse")).select_option(label="Godkend")
    page.get_by_label("Begrundelse (kommunen kan læse den)").fill(
        "Godkendt: god forankring og klar plan."
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gem afgørelse").click()
    expect(page.locator(".flash-success")).to_be_visible()
    # place it in the community of the round's lead
    page.goto(f"{base}/deltagere/forloeb/skaermbesoeg-demo-aaben/faellesskaber")
    page.get_by_label(f"Fællesskab for {municipality}").select_option(label="Fællesskab Aarhus")
    page.locator("form", has=page.get_by_label(f"Fællesskab for {municipality}")).get_by_role(
        "button", name="Flyt"
    ).click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)


def municipality_sees_decision_community_and_grant(page: Page, base: str, url: str) -> None:
    log_in(page, base, "projektleder.helsingoer@demo.dk")
    page.goto(url)
    expect(page.locator("h1 .badge")).to_have_text("Godkendt")
    assert violations(page) == []  # the application page with its decision
    expect(page.get_by_text("Godkendt: god forankring og klar plan.")).to_be_visible()
    expect(page.get_by_text("Vægtet score")).to_have_count(0)  # never the scores
    page.get_by_role("link", name="Se jeres deltagelse, fællesskab og tilskud").click()
    expect(page.get_by_text("Fællesskab Aarhus").first).to_be_visible()
    expect(page.get_by_text("Aarhus").first).to_be_visible()
    # the pool of 2.000.000 kr. shared by the one approved participant
    expect(page.get_by_text("2.000.000 kr.").first).to_be_visible()
    # and the news arrived as notices in the portal
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name=re.compile("Beskeder")
    ).click()
    notices = page.get_by_role("main")
    expect(
        notices.get_by_role("link", name=f"Ansøgningen til {ROUND} er godkendt.")
    ).to_be_visible()
    expect(
        notices.get_by_role("link", name=f"I er placeret i fællesskabet Aarhus i {ROUND}.")
    ).to_be_visible()


def test_apply_review_decide_place_and_see_the_result(page: Page, live_server):
    url = apply_and_submit(page, live_server)
    coordinator_scores_approves_and_places(page, live_server, url)
    municipality_sees_decision_community_and_grant(page, live_server, url)
