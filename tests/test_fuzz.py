"""A fuzz over every form and query parameter of the URL map: no input answers 500.

For the roles with forms of their own (a municipality's project lead, the coordinator, the
admin), every page of the URL map is fetched once to learn its forms (``<form action>`` and
the names of its fields) and the query parameters its links use; then each route gets a fixed
number of requests with those names (and the words ``url_for`` reads, such as ``endpoint``
and ``_method``) set to hostile values: extreme dates and numbers, formula and mathtext
shapes, control characters, markup, very long text. A fixed seed makes a failure repeatable;
the bound keeps the whole run well under a minute.
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.test_url_map_sweep import _methods, _Typesetless, fill
from tests.world import OWN, build_world

SEED = 13
REQUESTS_PER_RULE = 3  # per role and method
ROLES = ("municipal", "coordinator", "admin")
SKIP = {"static", "auth.logout"}  # logging out would end the run's session
CONTROL_WORDS = ["endpoint", "_method", "_external", "_scheme", "_anchor", "slug", "format"]
VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999",
    "2147483648",
    "1.234.567,89",
    "²",
    "٣",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "$\\frac{1}{0}$",
    '=HYPERLINK("http://x")',
    "\x00",
    "a\r\nb\fc",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n",
    "../../etc/passwd",
    "javascript:alert(1)",
    "æøå" * 3,
    "x" * 5000,
    "[[[[[[[[",
]
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
_ACTION = re.compile(r'\baction="([^"]*)"')
_NAME = re.compile(r'\bname="([^"]+)"')
_HREF = re.compile(r'\bhref="([^"#]*\?[^"#]*)"')


@pytest.fixture
def world(app, monkeypatch):
    monkeypatch.setattr("portal.pdf.HTML", _Typesetless)
    return build_world()


def _harvest(html: str, forms: dict, queries: dict) -> None:
    for form in _FORM.findall(html):
        action = _ACTION.search(form)
        path = urlsplit(action.group(1).replace("&amp;", "&")).path if action else None
        if path:
            forms[path].update(n for n in _NAME.findall(form) if n != "csrf_token")
    for href in _HREF.findall(html):
        parts = urlsplit(href.replace("&amp;", "&"))
        queries[parts.path].update(name for name, _ in parse_qsl(parts.query))


def _fuzzed(rng: random.Random, names: set[str]) -> dict[str, str]:
    chosen = sorted(names) + rng.sample(CONTROL_WORDS, 2)
    return {name: rng.choice(VALUES) for name in chosen if rng.random() < 0.8}


@pytest.mark.parametrize("key", ROLES)
def test_no_input_answers_500(app, client, login, world, key):
    rng = random.Random(f"{SEED}-{key}")
    login(world.users[key])
    rules = [
        r
        for r in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
        if r.endpoint not in SKIP
    ]
    paths = [fill(r, world.values[OWN]) for r in rules]
    started = time.perf_counter()
    forms: dict[str, set[str]] = defaultdict(set)
    queries: dict[str, set[str]] = defaultdict(set)
    for rule, path in zip(rules, paths, strict=True):
        if "GET" in rule.methods:
            response = client.get(path)
            if response.mimetype == "text/html":
                _harvest(response.get_data(as_text=True), forms, queries)
    all_fields = set().union(*forms.values()) if forms else set()
    harvested = time.perf_counter()
    problems, sent = [], 0
    for rule, path in zip(rules, paths, strict=True):
        for method in _methods(rule):
            for n in range(REQUESTS_PER_RULE):
                if method == "GET" and n == 0:  # every word url_for reads, at once
                    words = [w for w in CONTROL_WORDS if w != "format"]
                    response_args = {"query_string": dict.fromkeys(words, "x")}
                elif method == "GET":
                    names = queries.get(path, set()) | {"page", "sort", "q"}
                    response_args = {"query_string": _fuzzed(rng, names)}
                else:
                    names = forms.get(path) or set(
                        rng.sample(sorted(all_fields), min(8, len(all_fields)))
                    )
                    response_args = {"data": _fuzzed(rng, names)}
                try:
                    status = client.open(path, method=method, **response_args).status_code
                except Exception as error:  # noqa: BLE001 (every failure listed at once)
                    status = f"{type(error).__name__}: {error}"
                sent += 1
                if not isinstance(status, int) or status >= 500:
                    problems.append((method, path, response_args, status))
    elapsed = time.perf_counter() - started
    print(
        f"\nfuzz as {key}: {len(rules)} rules, {len(forms)} forms with {len(all_fields)} field"
        f" names (learnt in {harvested - started:.1f} s), {sent} requests in {elapsed:.1f} s"
    )
    assert not problems, problems[:10]
    assert sent >= len(rules) * REQUESTS_PER_RULE


def test_no_api_input_answers_500(app, client, world):
    """The API with a token of a municipality's project lead: every route, hostile values in
    its query and in every field of the figures it is sent (problem JSON, never a 500)."""
    from portal.api import tokens
    from portal.db import db

    rng = random.Random(f"{SEED}-api")
    issued = tokens.issue(world.users["municipal"], "fuzz", list(tokens.SCOPES), None)
    db.session.commit()
    app.config["API_RATE_LIMIT"] = "100000/minute"
    from portal.api import limits

    limits.init_app(app)
    headers = {"Authorization": f"Bearer {issued.secret}"}
    fields = ("kind", "indicator", "date", "value", "note", "quality", "reason")
    problems = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        path = fill(rule, world.values[OWN])
        for method in _methods(rule):
            for _n in range(REQUESTS_PER_RULE):
                query = _fuzzed(rng, {"cursor", "limit", "round", "municipality", "kind", "since"})
                items = [_fuzzed(rng, set(fields)) for _ in range(3)]
                response = client.open(
                    path,
                    method=method,
                    headers=headers,
                    query_string=query if method == "GET" else None,
                    json={"items": items} if method == "POST" else None,
                )
                if response.status_code >= 500:
                    problems.append((method, path, query, response.status_code))
    assert not problems, problems[:10]
