"""Page speed and query counts on generated data, as ratios against a baseline measured in
the same run: the home and programme pages with the shipped data (baseline) and with ten
times as many programmes and rounds."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, select

from bench import charts, collaboration, dashboards, imports
from portal import create_app
from portal.db import db, utcnow
from portal.demo import DEMO_PASSWORD, load_demo
from portal.migrate import upgrade
from portal.programmes.models import Programme, Round, RoundStatus

PAGES = ("/", "/indsatser/")
REPEAT = 15


def bench(name: str, value: float) -> None:
    print(f"BENCH {name}={value:.3f}" if isinstance(value, float) else f"BENCH {name}={value}")


@contextmanager
def counting():
    counter = {"n": 0}

    def before(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN is no query
            counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def measure(client, path: str) -> tuple[float, int]:
    client.get(path)  # warm
    with counting() as counter:
        client.get(path)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times) * 1000, counter["n"]


def multiply_programmes(factor: int) -> None:
    """Copies of every programme with its rounds, some of them open now."""
    now = utcnow()
    originals = list(db.session.scalars(select(Programme)))
    for copy in range(1, factor):
        for programme in originals:
            clone = Programme(
                slug=f"{programme.slug}-{copy}",
                name_da=f"{programme.name_da} {copy}",
                name_en=programme.name_en,
                description_da=programme.description_da,
            )
            db.session.add(clone)
            for r in programme.rounds:
                db.session.add(
                    Round(
                        programme=clone,
                        slug=f"{r.slug}-{copy}",
                        name_da=f"{r.name_da} {copy}",
                        opens_at=now - timedelta(days=copy),
                        deadline_at=now + timedelta(days=copy),
                        period_start=r.period_start,
                        period_end=r.period_end,
                        lead_grant=r.lead_grant,
                        participant_grant=r.participant_grant,
                        participant_pool=r.participant_pool,
                        community_min=r.community_min,
                        community_max=r.community_max,
                        parameters=dict(r.parameters),
                        status=RoundStatus.OPEN,
                    )
                )
    db.session.commit()


def main() -> None:
    """Every part; ``BENCH_ONLY=load`` (or ``charts``, or both: ``charts,load``) runs only those
    parts, say to measure the portal under load without the in-process benches first."""
    only = [part for part in os.environ.get("BENCH_ONLY", "").split(",") if part]
    if only:
        for part in only:
            if part == "charts":
                charts.run(bench)
            else:
                sys.stdout.flush()
                subprocess.run([sys.executable, "-m", f"bench.{part}"], check=True)
        return
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
            }
        )
        upgrade(db.engine)
        with app.app_context():
            load_demo()
            db.session.commit()
        # Requests run outside any held app context, each with its own session and g.
        client = app.test_client()
        start = time.perf_counter()
        response = client.post(
            "/login", data={"email": "koordinator@demo.dk", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        bench("login_ms", (time.perf_counter() - start) * 1000)
        baseline = {path: measure(client, path) for path in PAGES}
        with app.app_context():
            multiply_programmes(10)
        grown = {path: measure(client, path) for path in PAGES}
        for path in PAGES:
            name = "home" if path == "/" else "programmes"
            (base_ms, base_q), (big_ms, big_q) = baseline[path], grown[path]
            bench(f"{name}_queries", base_q)
            bench(f"{name}_queries_10x_ratio", big_q / base_q)
            bench(f"{name}_ms", base_ms)
            bench(f"{name}_10x_time_ratio", big_ms / base_ms)
        collaboration.run(app, client, measure, bench)
        imports.run(app, bench)
        charts.run(bench)
        dashboards.run(app, client, counting, bench)
        db.session.remove()
        db.engine.dispose()
    # The national progress PDF in a process of its own, as a report runs in an app worker:
    # not in one that holds every earlier measurement's objects.
    sys.stdout.flush()
    subprocess.run([sys.executable, "-m", "bench.reports"], check=True)
    # The API's bulk post of 1,000 measurements against the file import of the same rows,
    # in a process and a database of its own (bench/api.py).
    subprocess.run([sys.executable, "-m", "bench.api"], check=True)
    # The round-wide pages and the round's XLSX, cache-cold, at 98 municipalities, and with
    # BENCH_SCALE=nordic at 750 against 98 (bench/nordic.py).
    subprocess.run([sys.executable, "-m", "bench.nordic"], check=True)
    # The portal under load: gunicorn on PostgreSQL, driven by locust (bench/load.py).
    subprocess.run([sys.executable, "-m", "bench.load"], check=True)
    # Every municipality's PDF as a job through a real worker, and the stored national PDF.
    subprocess.run([sys.executable, "-m", "bench.jobs"], check=True)


if __name__ == "__main__":
    main()
