"""The load benchmark's visitors (run by ``bench.load`` with ``locust --headless``): each run
drives one scenario, named by ``BENCH_SCENARIO``.

- ``healthz`` and the warm scenarios (``dashboard``, ``round_view``, ``overview``): one
  logged-in user asking for the same page again and again without pause (``/healthz``
  without a login).
- ``dashboard_cold``: the project leads of ``BENCH_VISITS`` (a JSON list, each with the
  cookies of a session ``bench.load`` logged in and never used, and the addresses of its own
  dashboards), each opening each of its dashboards once, as a browser that never saw them
  (no ``If-None-Match``); the run ends when every lead has been.
- ``after_save``: one user saves a measurement through its edit form every second
  (``BENCH_SAVE``: the form's address), while the others read the leads' dashboards of the
  round it saves in, one lead after the other, so nearly every read is the first of that
  page since the last save."""

from __future__ import annotations

import json
import os
import re
from itertools import cycle

import gevent
from locust import HttpUser, constant, constant_pacing, task
from locust.exception import StopUser

SCENARIO = os.environ.get("BENCH_SCENARIO", "healthz")
PATH = os.environ.get("BENCH_PATH", "/healthz")
EMAIL = os.environ.get("BENCH_EMAIL", "")
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
SAVE = os.environ.get("BENCH_SAVE", "")
AGENT = {"User-Agent": "portal-bench"}  # the same as bench.load's logins (session protection)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


def _visits() -> list[dict]:
    path = os.environ.get("BENCH_VISITS")
    if not path:
        return []
    with open(path, encoding="utf-8") as f:
        return json.load(f)


VISITS = _visits()
_pending = iter(VISITS)  # the cold visitors take the next lead, each once
_readers = cycle(VISITS) if VISITS else None
_done = [0]  # cold visits made


def _checked(response, path: str) -> None:
    if response.status_code != 200:
        response.failure(f"{path} answered {response.status_code}")
    elif "/login" in response.url:
        response.failure("sent to the login page")


class _Visitor(HttpUser):
    abstract = True

    def _plain_cookies(self) -> None:
        """The production cookies are ``Secure``: behind the TLS proxy the browser sends them,
        here on plain 127.0.0.1 we hand them back as the proxy would pass them through
        (after the login and whenever a page changes the session, as a browser keeps it)."""
        jar = self.client.cookies
        cookies = [(c.name, c.value) for c in jar]
        jar.clear()
        for name, value in cookies:
            jar.set(name, value)

    def _login(self, email: str) -> None:
        page = self.client.get("/login", name="login form", headers=AGENT)
        self._plain_cookies()
        token = CSRF.search(page.text)
        with self.client.post(
            "/login",
            data={
                "email": email,
                "password": PASSWORD,
                "csrf_token": token.group(1) if token else "",
            },
            name="login",
            headers=AGENT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self._plain_cookies()

    def _as(self, visit: dict, path: str, name: str) -> None:
        """``path`` in ``visit``'s session, as a browser with that session's cookie asks."""
        self.client.cookies.clear()
        with self.client.get(
            path, name=name, headers=AGENT, cookies=visit["cookies"], catch_response=True
        ) as response:
            _checked(response, path)


class Visitor(_Visitor):
    """One page again and again in one session (``healthz`` and the warm scenarios)."""

    wait_time = constant(0)

    def on_start(self) -> None:
        if SCENARIO not in ("healthz", "dashboard_cold", "after_save") and EMAIL:
            self._login(EMAIL)

    @task
    def page(self) -> None:
        if SCENARIO == "dashboard_cold":
            return self._cold()
        if SCENARIO == "after_save":
            return self._read()
        with self.client.get(PATH, name=SCENARIO, headers=AGENT, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{PATH} answered {response.status_code}")
            elif SCENARIO != "healthz" and "/login" in response.url:
                response.failure("sent to the login page")
        if "Set-Cookie" in response.headers:  # the session changed (its form token, say)
            self._plain_cookies()

    def _cold(self) -> None:
        visit = next(_pending, None)
        if visit is None:  # every lead is taken: wait for the last visits to end
            gevent.sleep(0.2)
            return
        for path in visit["paths"]:
            self._as(visit, path, "dashboard_cold")
        _done[0] += 1
        if _done[0] == len(VISITS):  # the last visit: the run is over (quit from a greenlet
            gevent.spawn_later(0.05, self.environment.runner.quit)  # of its own)

    def _read(self) -> None:
        visit = next(_readers)
        self._as(visit, visit["saved_round"], "dashboard_after_save")


class Saver(_Visitor):
    """``after_save``'s one writer: a measurement's edit form, then its save, every second."""

    fixed_count = 1
    wait_time = constant_pacing(1)
    value = 100

    def on_start(self) -> None:
        if SCENARIO != "after_save":
            raise StopUser()
        self._login(EMAIL)

    @task
    def save(self) -> None:
        form = self.client.get(SAVE, name="save form", headers=AGENT)
        self._plain_cookies()
        token, version = CSRF.search(form.text), VERSION.search(form.text)
        self.value += 1
        with self.client.post(
            SAVE,
            data={
                "csrf_token": token.group(1) if token else "",
                "version": version.group(1) if version else "",
                "value": str(self.value),
                "note": "",
                "quality": "",
            },
            name="save",
            headers=AGENT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"save answered {response.status_code}")
        self._plain_cookies()
