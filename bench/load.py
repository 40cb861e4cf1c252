"""The load benchmark: a throwaway PostgreSQL database with the national data set
(``bench.national``) and a project lead for every municipality, the portal under gunicorn
with the README's production settings (two workers, on a free port of 127.0.0.1), and locust
in a process of its own driving one scenario at a time (``bench/locustfile.py``):

- ``/healthz`` (the baseline) and one municipality's dashboard re-read in one session (warm),
  twice in turns; the national round view and the coordinator's review overview (warm);
- cache-cold: every municipality's project lead, in a session of its own never used
  before, opening each of its four dashboards once, first with nothing drawn
  (``dashboard_cold_undrawn_*``: each page's sections drawn for its reader), then, after
  ``portal dashboards draw``, with each municipality's own sections drawn before its
  reader comes, as they are after a change (``dashboard_cold_*``);
- after a save: one user saving a measurement through its form every second while the others
  read the round's dashboards (``dashboard_after_save_p95_ms``, ``save_p95_ms``).

Prints throughput (and its ratio to ``/healthz`` in the same run), percentiles, errors and
the machine's load average as ``BENCH`` lines; the database is dropped and every process it
started is stopped, whatever happens. ``python -m bench.load`` runs this part alone.

``BENCH_PG_URL`` (default: the tests' server) names the PostgreSQL server; ``BENCH_SECONDS``
the time per scenario (20), ``BENCH_USERS`` the concurrent users (4) and ``BENCH_SCENARIOS``
which to run besides the baseline (default ``warm,cold,after_save``)."""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARM_SECONDS = 5  # a warm-up run per scenario, not counted
# ``BENCH_LOG``: keep gunicorn's log at this path (default: in the run's temporary folder).
USERS = int(os.environ.get("BENCH_USERS", "4"))
PAIRS = 2  # baseline and dashboard runs, in turns
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own for the login throttle
SCENARIOS = set(os.environ.get("BENCH_SCENARIOS", "warm,cold,after_save").split(","))
AGENT = {"User-Agent": "portal-bench"}  # as the locustfile's visitors (session protection)


def bench(name: str, value) -> None:
    print(f"BENCH {name}={value:.3f}" if isinstance(value, float) else f"BENCH {name}={value}")
    sys.stdout.flush()


def _admin_dsn() -> str:
    return make_url(SERVER).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin_dsn_for(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _build(url: str):
    from bench.national import build
    from portal import create_app
    from portal.db import db
    from portal.migrate import upgrade

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    upgrade(db.engine)
    with app.app_context():
        data = build()
        leads = _leads()
        save = _save_form()
    db.session.remove()
    db.engine.dispose()
    return data, leads, save


def _leads() -> list[dict]:
    """A project lead for every municipality (the demo's kept, the others made with the
    demo's password) and the addresses of its own dashboards, the first round's first."""
    from sqlalchemy import select

    from bench.national import ROUNDS
    from portal.auth.models import Role, User
    from portal.auth.services import hash_password
    from portal.db import db
    from portal.demo import DEMO_PASSWORD
    from portal.municipalities.models import Municipality
    from portal.participations.models import Participation
    from portal.programmes.models import Round

    password = hash_password(DEMO_PASSWORD)
    leads = {}
    for user in db.session.scalars(
        select(User).where(User.role == Role.MUNICIPAL).order_by(User.email)
    ):
        leads.setdefault(user.municipality_id, user.email)
    for m in db.session.scalars(select(Municipality).where(Municipality.active)):
        if m.id not in leads:
            email = f"bench.projektleder.{m.code}@demo.dk"
            db.session.add(User(email=email, name=f"Projektleder {m.name}", role=Role.MUNICIPAL,
                                municipality_id=m.id, password_hash=password))  # fmt: skip
            leads[m.id] = email
    db.session.commit()
    rounds = {
        r.id: n
        for n, r in enumerate(db.session.scalars(select(Round).where(Round.slug.in_(ROUNDS))))
    }
    paths: dict[int, list] = {}
    for p in db.session.scalars(select(Participation).where(Participation.round_id.in_(rounds))):
        paths.setdefault(p.municipality_id, []).append((rounds[p.round_id], p.id))
    return [
        {"email": leads[m], "paths": [f"/oversigt/deltagelse/{pid}" for _n, pid in sorted(found)]}
        for m, found in sorted(paths.items())
        if m in leads
    ]


def _save_form() -> str:
    """The edit form of the municipal user's latest measurement in the first round."""
    from sqlalchemy import select

    from bench.national import MUNICIPAL_USER, ROUNDS
    from portal.auth.models import User
    from portal.benefits.models import Measurement
    from portal.db import db
    from portal.participations.models import Participation
    from portal.programmes.models import Round

    user = db.session.scalar(select(User).where(User.email == MUNICIPAL_USER))
    measurement = db.session.scalar(
        select(Measurement)
        .join(Participation, Participation.id == Measurement.participation_id)
        .join(Round, Round.id == Participation.round_id)
        .where(Round.slug == ROUNDS[0], Participation.municipality_id == user.municipality_id)
        .order_by(Measurement.period.desc())
        .limit(1)
    )
    return f"/gevinster/deltagelse/{measurement.participation_id}/maalinger/{measurement.id}"


def _sessions(port: int, leads: list[dict]) -> list[dict]:
    """Each lead logged in once, in a session of its own that no page has used yet: its
    cookies, to be handed to a visitor (the login costs are no dashboard's)."""
    import requests

    from portal.demo import DEMO_PASSWORD

    base = f"http://127.0.0.1:{port}"

    def login(lead: dict) -> dict:
        with requests.Session() as s:
            page = s.get(f"{base}/login", headers=AGENT, timeout=60)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
            answer = s.post(
                f"{base}/login",
                data={"email": lead["email"], "password": DEMO_PASSWORD,
                      "csrf_token": token.group(1) if token else ""},
                cookies={c.name: c.value for c in s.cookies},
                headers=AGENT, allow_redirects=False, timeout=60,
            )  # fmt: skip
            if answer.status_code != 302:
                raise RuntimeError(f"{lead['email']}: login answered {answer.status_code}")
            cookies = {c.name: c.value for c in s.cookies}
            cookies.update({c.name: c.value for c in answer.cookies})
        return {**lead, "cookies": cookies, "saved_round": lead["paths"][0]}

    with ThreadPoolExecutor(USERS) as pool:  # as many at once as the scenarios' users
        return list(pool.map(login, leads))


def _wait_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _scenario(port: int, scenario: str, path: str, email: str, folder: Path) -> dict:
    """A short run first (each worker renders its charts and sections once, as a process
    that has served for a while has), then the measured one; errors of both count."""
    warm = _locust(port, scenario, path, email, folder / "warm", seconds=WARM_SECONDS)
    result = _locust(port, scenario, path, email, folder)
    return {**result, "errors": result["errors"] + warm["errors"]}


def _locust(
    port: int,
    scenario: str,
    path: str,
    email: str,
    folder: Path,
    seconds: int = SECONDS,
    extra: dict | None = None,
    classes: tuple[str, ...] = ("Visitor",),
    rows: tuple[str, ...] = (),
) -> dict:
    from portal.demo import DEMO_PASSWORD

    folder.mkdir(exist_ok=True)
    prefix = folder / scenario
    env = {
        **os.environ,
        "BENCH_SCENARIO": scenario,
        "BENCH_PATH": path,
        "BENCH_EMAIL": email,
        "BENCH_PASSWORD": DEMO_PASSWORD,
        "BENCH_USERS": str(USERS),
        **(extra or {}),
    }
    subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
            "--run-time", f"{seconds}s", "--stop-timeout", "5",
            "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
            "--loglevel", "WARNING", "--exit-code-on-error", "0", *classes,
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        table = {row["Name"]: row for row in csv.DictReader(f)}
    errors = sum(int(r["Failure Count"]) for name, r in table.items() if name != "Aggregated")
    found = {"errors": errors}
    for name in rows or (scenario,):
        row = table.get(name)
        if row is None:
            if seconds == WARM_SECONDS:  # a warm-up may end before its first page comes back
                return found
            raise RuntimeError(f"{name}: no requests recorded ({', '.join(table)})")
        figures = {
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
            "requests": int(row["Request Count"]),
            "errors": errors,
        }
        if not rows:
            return figures
        found[name] = figures
    return found


def _mean(runs: list[dict]) -> dict:
    """Several runs of one scenario as one: mean throughput and percentiles, every error."""
    return {
        "rps": sum(r["rps"] for r in runs) / len(runs),
        "p50": sum(r["p50"] for r in runs) / len(runs),
        "p95": sum(r["p95"] for r in runs) / len(runs),
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
    }


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's arbiter stops its workers
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _runs(port: int, data, leads: list[dict], save: str, env: dict, folder: Path) -> dict:
    from bench.national import COORDINATOR, MUNICIPAL_USER

    warm = "warm" in SCENARIOS
    # The baseline and the dashboard twice, in turns: the ratio of the two is what counts, and
    # a machine that slows down or speeds up for a minute (a shared host) then weighs on both
    # alike.
    pairs = [
        (
            _scenario(port, "healthz", "/healthz", "", folder),
            _scenario(port, "dashboard", data.dashboard, MUNICIPAL_USER, folder) if warm else None,
        )
        for _ in range(PAIRS)
    ]
    runs = {"healthz": _mean([h for h, _d in pairs])}
    if warm:
        runs["dashboard"] = _mean([d for _h, d in pairs])
        runs["round_view"] = _scenario(port, "round_view", data.round_view, COORDINATOR, folder)
        runs["overview"] = _scenario(port, "overview", data.overview, COORDINATOR, folder)
    if "cold" in SCENARIOS:
        # Nothing drawn yet: each reader's page draws its sections. Each cold run is compared
        # with a baseline run just before it (the machine's other load changes by the minute).
        runs["healthz_cold_undrawn"] = _scenario(port, "healthz", "/healthz", "", folder)
        runs["cold_undrawn"] = _cold(port, leads, folder / "undrawn")
        # Drawn before the readers come, as after a change; new sessions again.
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from portal.cli import main; main()", "dashboards", "draw"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        bench("dashboards_draw_s", time.perf_counter() - start)
        runs["healthz_cold"] = _scenario(port, "healthz", "/healthz", "", folder)
        runs["cold"] = _cold(port, leads, folder / "drawn")
    if "after_save" in SCENARIOS:
        visits = folder / "readers.json"
        visits.write_text(json.dumps(_sessions(port, leads[: max(USERS * 8, 32)])))
        found = _locust(
            port, "after_save", "", MUNICIPAL_USER, folder,
            extra={"BENCH_VISITS": str(visits), "BENCH_SAVE": save},
            classes=("Visitor", "Saver"), rows=("dashboard_after_save", "save"),
        )  # fmt: skip
        runs["after_save"] = found["dashboard_after_save"]
        runs["save"] = {**found["save"], "errors": 0}  # counted once, above
    return runs


def _cold(port: int, leads: list[dict], folder: Path) -> dict:
    """Every lead's dashboards once each, in sessions never used before; the run ends when
    every lead has been."""
    folder.mkdir()
    visits = folder / "visits.json"
    visits.write_text(json.dumps(_sessions(port, leads)))
    return _locust(
        port, "dashboard_cold", "", "", folder, seconds=300,
        extra={"BENCH_VISITS": str(visits)},
    )  # fmt: skip


def _report(runs: dict) -> None:
    baseline = runs["healthz"]
    bench("baseline_rps", baseline["rps"])
    if "dashboard" in runs:
        dashboard = runs["dashboard"]
        bench("dashboard_rps", dashboard["rps"])
        bench("dashboard_rps_ratio", dashboard["rps"] / baseline["rps"])
        bench("dashboard_p50_ms", dashboard["p50"])
        bench("dashboard_p95_ms", dashboard["p95"])
        bench("round_view_rps", runs["round_view"]["rps"])
        bench("round_view_p95_ms", runs["round_view"]["p95"])
        bench("overview_rps", runs["overview"]["rps"])
        bench("overview_p95_ms", runs["overview"]["p95"])
    for key, name in (("cold_undrawn", "dashboard_cold_undrawn"), ("cold", "dashboard_cold")):
        if key in runs:
            bench(f"{name}_requests", runs[key]["requests"])
            bench(f"{name}_rps", runs[key]["rps"])
            bench(f"{name}_healthz_rps", runs[f"healthz_{key}"]["rps"])
            bench(f"{name}_rps_ratio", runs[key]["rps"] / runs[f"healthz_{key}"]["rps"])
            bench(f"{name}_p50_ms", runs[key]["p50"])
            bench(f"{name}_p95_ms", runs[key]["p95"])
    if "after_save" in runs:
        bench("dashboard_after_save_rps", runs["after_save"]["rps"])
        bench("dashboard_after_save_p50_ms", runs["after_save"]["p50"])
        bench("dashboard_after_save_p95_ms", runs["after_save"]["p95"])
        bench("save_requests", runs["save"]["requests"])
        bench("save_p50_ms", runs["save"]["p50"])
        bench("save_p95_ms", runs["save"]["p95"])


def main() -> None:
    try:
        admin = psycopg.connect(_admin_dsn(), autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        print(f"BENCH load skipped: PostgreSQL does not answer at {SERVER} ({exc})")
        return
    name = f"portal_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            data, leads, save = _build(url)
            # As a database in service is: its statistics gathered, nothing left for autovacuum
            # to do in the middle of a measurement (it took a core during the first one).
            with psycopg.connect(_admin_dsn_for(url), autocommit=True) as fresh:
                fresh.execute("VACUUM ANALYZE")
            bench("load_municipalities", data.municipalities)
            bench("load_participations", data.participations)
            bench("load_measurements", data.measurements)
            bench("load_build_s", time.perf_counter() - start)
            bench("load_rebuild_s", data.rebuild_seconds)
            port = _free_port()
            env = {
                **os.environ,
                "PORTAL_ENV": "production",
                "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": url,
                "SECTIONS_FOLDER": str(Path(folder) / "sections"),
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
                ),
            }
            if _redis_answers():
                env["REDIS_URL"] = REDIS_URL
            log_path = Path(os.environ.get("BENCH_LOG") or Path(folder) / "gunicorn.log")
            with open(log_path, "w") as log:
                server = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                     "portal:create_app()"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                )  # fmt: skip
                _wait_ready(port, server)
                bench("load_average_before", os.getloadavg()[0])
                runs = _runs(port, data, leads, save, env, Path(folder))
                bench("load_average_after", os.getloadavg()[0])
                _stop(server)
            errors = sum(r["errors"] for r in runs.values())
            if errors:  # what the server said about them
                print(log_path.read_text()[-3000:], file=sys.stderr)
            _report(runs)
            bench("load_errors", errors)
    finally:
        if server is not None:
            _stop(server)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
