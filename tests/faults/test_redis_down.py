"""Redis is a helper, not a single point of failure (issue 20, item 3): an app server
(gunicorn) whose private ``redis-server`` is stopped still logs people in (the throttle
counts in memory and says so once in the log), serves every page, and answers a started
job with a Danish message that background work is paused, leaving no job "queued" for
ever; when Redis is back, logins count there again and jobs queue again."""

from __future__ import annotations

import time

import requests
from sqlalchemy import select

from portal.auth.models import Role
from portal.auth.throttle import RETRY_SECONDS
from portal.db import db
from portal.jobs.models import Job, JobStatus
from tests.conftest import PASSWORD
from tests.faults.conftest import form_token, survived

LOGINS = 8


def log_in(base: str, email: str) -> tuple[requests.Session, int]:
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=30).text
    answer = browser.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": form_token(page)},
        allow_redirects=False,
        timeout=30,
    )
    return browser, answer.status_code


def start_job(browser: requests.Session, base: str, slug: str) -> requests.Response:
    page = browser.get(f"{base}/rapporter/", timeout=30).text
    return browser.post(
        f"{base}/filer/",
        data={"kind": "funding_pdf", "slug": slug, "csrf_token": form_token(page)},
        timeout=60,
    )


def test_with_redis_down_login_pages_and_jobs_answer_and_resume(
    app, committed_database, make_user, redis_server, app_server, tmp_path, database_url
):
    from tests.reports.conftest import funding_round

    round_ = funding_round.__wrapped__().round
    users = [make_user(Role.COORDINATOR) for _ in range(LOGINS // 2)]
    users += [make_user(Role.MUNICIPAL, code=101) for _ in range(LOGINS // 2)]
    slug, emails = round_.slug, [user.email for user in users]
    db.session.remove()  # no transaction of ours holds SQLite's write lock from here
    server = app_server(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_server.url,
            "SECRET_KEY": "test-secret",
            "JOBS_FOLDER": str(tmp_path / "jobs"),
        }
    )
    base = server.url
    redis_server.stop()

    answered = 0
    for email in emails:
        _browser, status = log_in(base, email)
        answered += status == 302
    survived("login with Redis down", answered, LOGINS, "answered 302 to the portal")
    assert answered == LOGINS, server.output()[-3000:]
    assert server.output().count("Redis does not answer") == 1  # said once

    browser, _ = log_in(base, emails[0])
    pages = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    ]
    statuses = {path: browser.get(base + path, timeout=60).status_code for path in pages}
    served = sum(status < 500 for status in statuses.values())
    survived("pages with Redis down", served, len(pages), "no server error")
    assert served == len(pages), {p: s for p, s in statuses.items() if s >= 500}

    answer = start_job(browser, base, slug)
    assert answer.status_code == 200 and "Baggrundsarbejdet er sat på pause" in answer.text
    db.session.remove()
    stuck = db.session.scalars(select(Job).where(Job.status == JobStatus.QUEUED)).all()
    failed = db.session.scalars(select(Job).where(Job.status == JobStatus.FAILED)).all()
    db.session.remove()
    assert not stuck and len(failed) == 1
    survived("job started with Redis down", 1, 1, "Danish notice, no job left queued")

    redis_server.start()  # the same port: back
    # the throttle asks Redis again RETRY_SECONDS after its last try: logins go on answering
    # meanwhile, and one after that counts in Redis again (polled, no fixed sleep)
    deadline = time.monotonic() + RETRY_SECONDS + 30
    while "Redis answers again" not in server.output():
        assert time.monotonic() < deadline, server.output()[-3000:]
        _browser, status = log_in(base, emails[1])
        assert status == 302
        time.sleep(0.5)
    answer = start_job(browser, base, slug)
    assert answer.status_code == 200 and "sat på pause" not in answer.text
    db.session.remove()
    queued = db.session.scalars(select(Job).where(Job.status == JobStatus.QUEUED)).all()
    db.session.remove()
    assert len(queued) == 1  # in Redis, waiting for a worker
    assert "Redis answers again" in server.output()
    survived("Redis back", 2, 2, "login counted in Redis again, job queued")
