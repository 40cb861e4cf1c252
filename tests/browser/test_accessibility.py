"""WCAG 2.1 A and AA, checked with axe-core in the browser on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.sweep import duplicate_ids, sweep
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page: Page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def test_login_page_is_accessible(page: Page, live_server):
    page.goto(f"{live_server}/login")
    assert violations(page) == []
    page.get_by_role("button", name="Log ind").click()  # empty form: errors at the fields
    assert violations(page) == []


@pytest.mark.parametrize(
    ("email", "paths"),
    [
        (
            "koordinator@demo.dk",
            [
                "/",
                "/indsatser/",
                "/indsatser/skaermbesoeg",
                "/indsatser/forloeb/skaermbesoeg-2025",
                "/indsatser/forloeb/skaermbesoeg-2025/rediger",
            ],
        ),
        (
            "koordinator@demo.dk",
            [
                "/ansoegninger/",
                "/vurdering/",
                "/vurdering/forloeb/vagtplanlaegning-2026",
                "/vurdering/forloeb/vagtplanlaegning-2026/rangering",
                "/vurdering/forloeb/vagtplanlaegning-2026/kriterier",
                "/deltagere/",
                "/deltagere/forloeb/vagtplanlaegning-2026/faellesskaber",
                "/deltagere/forloeb/vagtplanlaegning-2026/tilskud",
                "/ansoegninger/forloeb/skaermbesoeg-demo-aaben/frister",
                "/beskeder/udbakke",
                "/oversigt/",
                "/oversigt/forloeb/vagtplanlaegning-2026",
                "/rapportering/forloeb/skaermbesoeg-2025",
                "/rapporter/",
                "/rapporter/tilskud/vagtplanlaegning-2026",
            ],
        ),
        ("admin@demo.dk", ["/admin/brugere/", "/admin/brugere/ny", "/admin/kommuner/", "/logbog/"]),
        (
            "projektleder.aarhus@demo.dk",
            [
                "/",
                "/konto/adgangskode",
                "/ansoegninger/",
                "/deltagere/mine",
                "/beskeder/",
                "/oversigt/",
                "/rapportering/",
                "/rapporter/",
            ],
        ),
        ("projektleder.helsingoer@demo.dk", ["/ansoegninger/ny/skaermbesoeg-demo-aaben"]),
        ("bedoemmer@demo.dk", ["/vurdering/"]),
    ],
)
def test_pages_are_accessible(page: Page, live_server, email, paths):
    log_in(page, live_server, email)
    for path in paths:
        page.goto(f"{live_server}{path}")
        assert violations(page) == [], path


def test_the_checker_finds_a_real_violation(page: Page):
    page.set_content('<html lang="da"><body><main><img src="x.png"></main></body></html>')
    assert any(v.startswith("image-alt") for v in violations(page))


# Only the violations are wanted: axe-core then skips building the (long) list of passes.
SWEEP = {**WCAG, "resultTypes": ["violations"]}


def serious(page: Page) -> list[str]:
    results = Axe().run(page, options=SWEEP)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def accessible(page: Page, visit) -> list[str]:
    return serious(page) + duplicate_ids(page)


def test_every_page_of_every_role_and_the_pages_they_lead_to_are_accessible(
    page: Page, live_server, app, record_property
):
    """The same sweep as the phone test (tests/browser/sweep.py), through axe-core and our own
    duplicate-id check (axe-core 4.8+ no longer fails a page on a duplicate id)."""
    visits, problems = sweep(page, live_server, app, accessible)
    record_property("axe_pages", [str(v) for v in visits])
    print(f"\naxe-core checked {len(visits)} pages, {len({v.rule for v in visits})} URL rules")
    assert len(visits) >= 100
    assert problems == {}, "\n".join(f"{where}: {what}" for where, what in problems.items())


def test_the_sweep_finds_a_duplicate_id(page: Page):
    page.set_content(
        '<html lang="da"><head><title>To beløb</title></head><body><main>'
        '<label for="amount">Beløb</label><input id="amount">'
        '<label for="amount">Fastsat tilskud</label><input id="amount"></main></body></html>'
    )
    assert serious(page) == []  # what axe-core alone says
    assert duplicate_ids(page) == ["duplicate id amount ×2"]
