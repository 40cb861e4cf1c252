"""The load benchmark's visitors (run by ``bench.load`` with ``locust --headless``): each run
drives one scenario, named by ``BENCH_SCENARIO``, as a logged-in user asking for the same
page again and again without pause (``/healthz`` without a login)."""

from __future__ import annotations

import os
import re

from locust import HttpUser, constant, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "healthz")
PATH = os.environ.get("BENCH_PATH", "/healthz")
EMAIL = os.environ.get("BENCH_EMAIL", "")
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        if not EMAIL:
            return
        page = self.client.get("/login", name="login form")
        self._plain_cookies()
        token = CSRF.search(page.text)
        with self.client.post(
            "/login",
            data={
                "email": EMAIL,
                "password": PASSWORD,
                "csrf_token": token.group(1) if token else "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self._plain_cookies()

    def _plain_cookies(self) -> None:
        """The production cookies are ``Secure``: behind the TLS proxy the browser sends them,
        here on plain 127.0.0.1 we hand them back as the proxy would pass them through
        (after the login and whenever a page changes the session, as a browser keeps it)."""
        jar = self.client.cookies
        cookies = [(c.name, c.value) for c in jar]
        jar.clear()
        for name, value in cookies:
            jar.set(name, value)

    @task
    def page(self) -> None:
        with self.client.get(PATH, name=SCENARIO, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{PATH} answered {response.status_code}")
            elif SCENARIO != "healthz" and "/login" in response.url:
                response.failure("sent to the login page")
        if "Set-Cookie" in response.headers:  # the session changed (its form token, say)
            self._plain_cookies()
