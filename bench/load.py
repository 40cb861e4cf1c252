"""The load benchmark: a throwaway PostgreSQL database with the national data set
(``bench.national``), the portal under gunicorn with the README's production settings (two
workers, on a free port of 127.0.0.1), and locust in a process of its own driving one
scenario at a time for a bounded time: ``/healthz`` (the baseline) and a municipality's
dashboard twice in turns, then the national round view and the coordinator's review
overview. Prints throughput,
95th percentiles and errors as ``BENCH`` lines; the database is dropped and every process it
started is stopped, whatever happens.

``BENCH_PG_URL`` (default: the tests' server) names the PostgreSQL server; ``BENCH_SECONDS``
the time per scenario (20) and ``BENCH_USERS`` the concurrent users (4)."""

from __future__ import annotations

import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
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
    db.session.remove()
    db.engine.dispose()
    return data


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
    port: int, scenario: str, path: str, email: str, folder: Path, seconds: int = SECONDS
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
    }
    subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
            "--run-time", f"{seconds}s", "--stop-timeout", "5",
            "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
            "--loglevel", "WARNING", "--exit-code-on-error", "0",
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    errors = sum(int(r["Failure Count"]) for name, r in rows.items() if name != "Aggregated")
    row = rows.get(scenario)
    if row is None:
        if seconds == WARM_SECONDS:  # a warm-up may end before its first page comes back
            return {"errors": errors}
        raise RuntimeError(f"{scenario}: no requests recorded ({', '.join(rows)})")
    return {
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "requests": int(row["Request Count"]),
        "errors": errors,
    }


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
            data = _build(url)
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
                coordinator = "koordinator@demo.dk"
                from bench.national import MUNICIPAL_USER

                # The baseline and the dashboard twice, in turns: the ratio of the two is what
                # counts, and a machine that slows down or speeds up for a minute (a shared
                # host) then weighs on both alike.
                pairs = [
                    (
                        _scenario(port, "healthz", "/healthz", "", Path(folder)),
                        _scenario(port, "dashboard", data.dashboard, MUNICIPAL_USER, Path(folder)),
                    )
                    for _ in range(PAIRS)
                ]  # fmt: skip
                runs = {
                    "healthz": _mean([h for h, _d in pairs]),
                    "dashboard": _mean([d for _h, d in pairs]),
                    "round_view": _scenario(port, "round_view", data.round_view, coordinator, Path(folder)),
                    "overview": _scenario(port, "overview", data.overview, coordinator, Path(folder)),
                }  # fmt: skip
                _stop(server)
            errors = sum(r["errors"] for r in runs.values())
            if errors:  # what the server said about them
                print(log_path.read_text()[-3000:], file=sys.stderr)
            baseline, dashboard = runs["healthz"], runs["dashboard"]
            bench("baseline_rps", baseline["rps"])
            bench("dashboard_rps", dashboard["rps"])
            bench("dashboard_rps_ratio", dashboard["rps"] / baseline["rps"])
            bench("dashboard_p50_ms", dashboard["p50"])
            bench("dashboard_p95_ms", dashboard["p95"])
            bench("round_view_rps", runs["round_view"]["rps"])
            bench("round_view_p95_ms", runs["round_view"]["p95"])
            bench("overview_rps", runs["overview"]["rps"])
            bench("overview_p95_ms", runs["overview"]["p95"])
            bench("load_errors", errors)
    finally:
        if server is not None:
            _stop(server)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
