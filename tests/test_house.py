"""House rules a reader would otherwise have to check by hand."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_templates_ask_named_permissions_and_never_compare_roles():
    compare = re.compile(r"\bRole\.|\buser\.role\b|has_role\(")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        # an application's role (lead or participant) is data, not the user's role
        if "ApplicantRole." not in line and compare.search(line)
    ]
    assert not found, found


def test_services_build_links_from_the_url_map():
    """A path written by hand (``f"/ansoegninger/{id}"``) breaks silently when a route
    moves; ``portal.links.path_for`` or ``url_for`` does not."""
    by_hand = re.compile(r"""f["']/[a-zæøå]""")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "portal").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert not found, found


def test_the_domains_hold_no_role_lists_and_one_national():
    """Who may enter which page is the gate's policies (``@admits(Model, action)``), not a
    list of roles beside every route; "national" is one definition (``access.reach``)."""
    rules = re.compile(
        r"@role_required|\brole_required\(|\bREADERS\s*=|\bin \(Role\.|\b(current_)?user\.is_national\b"
        r"|def is_national"
    )
    allowed = {"portal/access/reach.py"}
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "portal").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if rules.search(line)
    ]
    assert not found, found
