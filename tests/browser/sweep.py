"""The page sweep shared by the phone test and the accessibility test: every page of every
role's menu, and the pages those pages link to (a list leads to one of its objects), generated
from what the pages show rather than listed by hand, so a new page is swept without anyone
remembering it.

Bounded: the pages a menu page leads to are de-duplicated by their URL rule (one
``/deltagere/<id>`` per role, whichever is linked first), followed ``MAX_DEPTH`` links deep
from the menu, and each role follows at most ``MAX_REACHED`` of them. Downloads (PDF, XLSX, CSV, ZIP) are not pages and are passed by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from werkzeug.exceptions import HTTPException

from tests.browser.test_journeys import log_in

# One demo user per role (and a municipality's own leadership).
MENU_USERS = (
    "koordinator@demo.dk",
    "ledelse@demo.dk",
    "admin@demo.dk",
    "bedoemmer@demo.dk",
    "ekspert@demo.dk",
    "projektleder.aarhus@demo.dk",
    "direktion.aarhus@demo.dk",
)
MAX_DEPTH = 2  # a menu page, a list on it, one object of the list
MAX_REACHED = 60  # pages followed from one role's menu, each of another URL rule
DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".csv", ".zip", ".json", ".jsonld")  # .json: the API contract


@dataclass(frozen=True)
class Visit:
    email: str
    path: str
    rule: str  # the URL rule the path matched, e.g. /deltagere/<int:participation_id>
    from_menu: bool

    def __str__(self) -> str:
        return f"{self.email} {self.path}"


# In the header and footer: the main menu, the user's own page, the accessibility statement.
MENU_LINKS = "nav[aria-label='Hovedmenu'] a, .header-tools a, .site-footer a"


def _paths(page: Page, base: str, selector: str) -> list[str]:
    found: list[str] = []
    for href in page.locator(selector).evaluate_all("els => els.map(e => e.href)"):
        if not href.startswith(base + "/"):
            continue  # another site, mailto:
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in found:
            found.append(path)
    return found


def rule_of(app, path: str) -> str | None:
    """The URL rule a path is served by (None: no page of this portal)."""
    adapter = app.url_map.bind("localhost")
    try:
        rule, _ = adapter.match(urlsplit(path).path, method="GET", return_rule=True)
    except HTTPException:
        return None
    return rule.rule


def is_download(app, path: str) -> bool:
    bare = urlsplit(path).path
    if bare.endswith(DOWNLOAD_SUFFIXES):
        return True
    endpoint = app.url_map.bind("localhost").match(bare, method="GET")[0]
    return any(word in endpoint for word in ("download", "export", "pdf", "xlsx", "csv", "zip"))


def sweep(
    page: Page,
    base: str,
    app,
    check: Callable[[Page, Visit], list[str]],
    users: tuple[str, ...] = MENU_USERS,
) -> tuple[list[Visit], dict[str, list[str]]]:
    """Visit every page of each user's menu and the pages they link to; ``check`` answers what
    is wrong with the page shown (empty: nothing). Returns the visits and the problems."""
    visits: list[Visit] = []
    problems: dict[str, list[str]] = {}

    def visit(email: str, path: str, rule: str, from_menu: bool) -> list[str]:
        here = Visit(email, path, rule, from_menu)
        try:
            response = page.goto(f"{base}{path}")
        except PlaywrightError as error:  # a download started after all
            if "Download is starting" in str(error):
                return []
            raise
        if response is not None and "text/html" not in response.headers.get("content-type", ""):
            return []  # a data file shown in the browser (the open data's JSON-LD): no page
        visits.append(here)
        found = []
        if response is not None and response.status >= 400:
            found.append(f"HTTP {response.status}")
        found += check(page, here)
        if found:
            problems[str(here)] = found
        return _paths(page, base, "main a[href]")

    for email in users:
        log_in(page, base, email)
        menu = _paths(page, base, MENU_LINKS)
        assert len(menu) >= 4, (email, menu)  # the menu was found
        queue = [(path, rule_of(app, path), 0) for path in menu]
        seen = {rule for _, rule, _ in queue}  # one page per URL rule and role
        followed = 0
        while queue:
            path, rule, depth = queue.pop(0)
            links = visit(email, path, rule, depth == 0)
            if depth >= MAX_DEPTH:
                continue
            for link in links:
                rule = rule_of(app, link)
                if rule is None or rule in seen or followed >= MAX_REACHED:
                    continue
                if is_download(app, link) or rule.startswith("/login"):
                    continue
                seen.add(rule)
                followed += 1
                queue.append((link, rule, depth + 1))
        page.get_by_role("button", name="Log ud").first.click()
    return visits, problems


DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
}"""


def duplicate_ids(page: Page) -> list[str]:
    """Ids used more than once. axe-core no longer reports them (its duplicate-id rules were
    deprecated and disabled in 4.8 when WCAG 2.2 dropped 4.1.1 Parsing, and duplicate-id-aria
    only says "needs review"), yet a label's ``for`` then names the first field only."""
    return [f"duplicate id {d}" for d in page.evaluate(DUPLICATE_IDS)]
