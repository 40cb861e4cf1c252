"""WCAG 2.1 A and AA, checked with axe-core in the browser on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

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


# One demo user per role (and a municipality's own leadership): every page its menu leads to.
MENU_USERS = (
    "koordinator@demo.dk",
    "ledelse@demo.dk",
    "admin@demo.dk",
    "bedoemmer@demo.dk",
    "ekspert@demo.dk",
    "projektleder.aarhus@demo.dk",
    "direktion.aarhus@demo.dk",
)


def serious(page: Page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def menu_paths(page: Page, base: str) -> list[str]:
    """The pages the header and footer link to: the main menu, the user's own page, the
    accessibility statement. Read from the page, so a new menu entry is checked too."""
    links = page.locator("nav[aria-label='Hovedmenu'] a, .header-tools a, .site-footer a")
    paths = []
    for href in links.evaluate_all("els => els.map(e => e.href)"):
        path = href.removeprefix(base)
        if path.startswith("/") and path not in paths:
            paths.append(path)
    return paths


def test_every_page_of_every_roles_menu_is_accessible(page: Page, live_server, record_property):
    visited: list[str] = []
    problems: dict[str, list[str]] = {}
    for email in MENU_USERS:
        log_in(page, live_server, email)
        paths = menu_paths(page, live_server)
        assert len(paths) >= 4, (email, paths)  # the menu was found
        for path in paths:
            page.goto(f"{live_server}{path}")
            visited.append(f"{email} {path}")
            found = serious(page)
            if found:
                problems[f"{email} {path}"] = found
        page.get_by_role("button", name="Log ud").click()
    record_property("axe_pages", visited)
    print(f"\naxe-core checked {len(visited)} pages:\n" + "\n".join(visited))
    assert problems == {}
