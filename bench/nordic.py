"""Nordic scale: the national data set (``bench.national``: the demo, every municipality in
the four programmes' rounds with 36 months of every indicator) built twice, with the 98
Danish municipalities and with ~750 (the Danish ones plus Norwegian and Swedish ones with
made-up codes, imported through ``portal municipalities import`` as an operator would), each
in a SQLite database of its own; then the round-wide paths measured in-process and
cache-cold (every cache the portal keeps cleared before each request), the two data sets in
turns so the machine's other load falls on both alike.

Printed: ``round_xlsx_seconds``, ``round_report_page_ms`` and ``round_csv_ms`` (98), the ratios 750 ÷ 98 of a
municipality's dashboard (its project lead's first view), the national round view, the
round progress XLSX and the round progress page, ``results_rebuild_750_seconds`` (``portal
results rebuild`` of the four rounds), and ``nordic_slowest_request_seconds`` (the slowest
of those requests at 750: none may come near the worker timeout). Run alone: ``python -m
bench.nordic``; ``make bench`` runs it, the 750 only when ``BENCH_SCALE=nordic``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select

from portal.db import db

NORWAY, SWEDEN = 356, 296  # with the 98 Danish: 750
REPEAT = 3
ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ("DK", "NO", "SE")


def register_csv(country: str, count: int) -> str:
    """A register of ``count`` made-up municipalities of ``country``: codes that look like
    theirs (Norway's four digits, Sweden's four), names that say they are made up."""
    first = {"NO": 3001, "SE": 1201}[country]
    regions = {"NO": ("Øst", "Vest", "Midt", "Nord"), "SE": ("Svealand", "Götaland", "Norrland")}
    rows = ["code,name,region,country"]
    for n in range(count):
        name = f"Bench {country} {n + 1:03d}"
        rows.append(f"{first + n},{name},{regions[country][n % len(regions[country])]},{country}")
    return "\n".join(rows) + "\n"


def import_register(app, folder: Path) -> None:
    """Norwegian and Swedish municipalities through the operator's command."""
    runner = app.test_cli_runner()
    for country, count in (("NO", NORWAY), ("SE", SWEDEN)):
        path = folder / f"{country.lower()}.csv"
        path.write_text(register_csv(country, count), encoding="utf-8")
        result = runner.invoke(args=["municipalities", "import", str(path)])
        if result.exit_code != 0:
            raise RuntimeError(f"portal municipalities import {path}: {result.output}")


@dataclass
class DataSet:
    name: str
    path: Path  # the SQLite database
    info: dict  # what ``bench.national.build`` made (``NationalData``'s fields)
    round_slug: str
    leads: list[tuple[str, str]]  # (e-mail, dashboard) of project leads, one a municipality


def _app(path: Path):
    from portal import create_app

    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            # a job (the round's workbook) runs in the request that starts it: its time is
            # the worker's
            "JOBS_IMMEDIATE": True,
            "JOBS_FOLDER": str(path.parent / "jobs"),
        }
    )


def build(folder: Path, nordic: bool) -> DataSet:
    """In a process of its own (``portal.db`` holds one engine per process)."""
    from bench.national import ROUNDS
    from bench.national import build as build_national
    from portal.migrate import upgrade

    name = "750" if nordic else "98"
    path = folder / f"nordic-{name}.sqlite3"
    app = _app(path)
    upgrade(db.engine)
    with app.app_context():
        if nordic:
            data = build_national(COUNTRIES, register=lambda: import_register(app, folder))
        else:
            data = build_national()
        leads = _project_leads(ROUNDS[0])
    db.session.remove()
    db.engine.dispose()
    return DataSet(name, path, asdict(data), ROUNDS[0], leads)


def _project_leads(round_slug: str, count: int = REPEAT + 1) -> list[str]:
    """Project leads of the first municipalities of the round (made for the bench): a cold
    dashboard is one user's first view of their own page."""
    from portal.auth.models import Role, User
    from portal.auth.services import hash_password
    from portal.demo import DEMO_PASSWORD
    from portal.participations.models import Participation
    from portal.programmes.models import Round

    round_id = db.session.scalar(select(Round.id).where(Round.slug == round_slug))
    participations = db.session.execute(
        select(Participation.id, Participation.municipality_id)
        .where(Participation.round_id == round_id)
        .order_by(Participation.id.desc())
        .limit(count)
    ).all()
    leads = []
    password = hash_password(DEMO_PASSWORD)
    for n, (participation_id, municipality_id) in enumerate(participations):
        email = f"bench.lead{n}@example.dk"
        db.session.add(
            User(
                email=email,
                name=f"Bench {n}",
                role=Role.MUNICIPAL,
                municipality_id=municipality_id,
                password_hash=password,
            )
        )
        leads.append((email, f"/oversigt/deltagelse/{participation_id}"))
    db.session.commit()
    return leads


def clear_caches(app) -> None:
    """Every cache a request could be served from, in this process, and the pages kept in
    files for every process (``rendered.kept``: the municipalities' own sections, the
    rounds' national views): each request draws its page. What is stored in the database
    (the stored results, a round's summary) is not a cache: it is kept when the figures
    change."""
    from portal import rendered
    from portal.benefits import calculation
    from portal.benefits.calculation import scenarios
    from portal.dashboards import sections, services

    calculation._benefits.cache_clear()
    scenarios._computed.cache_clear()
    services._kept_medians.cache_clear()
    sections._median_rows.cache_clear()
    with app.app_context():
        rendered.clear()


def keep_summaries(app) -> None:
    """Each round's summary stored, as the worker stores it within a minute of a change
    (``dashboards.tasks.draw_dashboards``; a reader's request only reads it): a row of the
    database like the stored results, not a cache, so a cold request finds it. Once per
    results version and day: a later run reads it as kept."""
    from portal.dashboards import summary
    from portal.programmes.models import Round
    from portal.results.read import data_version

    with app.app_context():
        for round_ in db.session.scalars(select(Round).order_by(Round.id)):
            summary.summary(round_, data_version(round_.id), keep=True)
        db.session.remove()


def _client(app, email: str):
    from portal.demo import DEMO_PASSWORD

    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, (email, response.status_code)
    return client


def _cold(times: dict, key: str, client, path: str, job: dict | None = None) -> None:
    """The request's wall time under ``key`` and the CPU time this process spent on it
    under ``key_cpu`` (SQLite runs in the process: the CPU time is the request's work,
    whatever else the machine is doing). ``job``: the form that starts a job at ``path``,
    run at once (``JOBS_IMMEDIATE``): the time is the job's, as a worker spends it."""
    clear_caches(client.application)
    start, cpu = time.perf_counter(), time.process_time()
    response = client.post(path, data=job) if job else client.get(path)
    elapsed, spent = time.perf_counter() - start, time.process_time() - cpu
    if job:
        assert response.status_code == 303, (path, response.status_code)
        status = client.get(f"{response.headers['Location']}/status.json").json
        assert status["status"] == "done", (path, status)
    else:
        assert response.status_code == 200, (path, response.status_code)
    times.setdefault(key, []).append(elapsed)
    times.setdefault(f"{key}_cpu", []).append(spent)


PATHS = (
    "dashboard_cold",
    "round_view",
    "round_indicator",
    "round_xlsx",
    "round_report_page",
    "round_csv",
)
JOBS = {"round_xlsx"}  # made by the worker, not in a request


def paths() -> tuple[str, ...]:
    """The paths measured: every one, or those named in ``BENCH_NORDIC_PATHS`` (say
    ``round_view,dashboard_cold``: one piece at a time on a shared machine)."""
    named = [p.strip() for p in os.environ.get("BENCH_NORDIC_PATHS", "").split(",") if p.strip()]
    unknown = set(named) - set(PATHS)
    if unknown:
        raise SystemExit(f"BENCH_NORDIC_PATHS: unknown {sorted(unknown)}; known {PATHS}")
    return tuple(p for p in PATHS if p in named) if named else PATHS


def _first_indicator(app, slug: str) -> int:
    from portal.programmes.models import Indicator, Round

    with app.app_context():
        return db.session.scalar(
            select(Indicator.id)
            .join(Round, Round.programme_id == Indicator.programme_id)
            .where(Round.slug == slug)
            .order_by(Indicator.id)
            .limit(1)
        )


def measure(ds: DataSet, app) -> dict[str, list[float]]:
    """One round of every measurement on ``ds``: seconds per path (wall and CPU)."""
    coordinator = _client(app, "koordinator@demo.dk")
    slug = ds.round_slug
    times: dict[str, list[float]] = {}
    wanted = paths()
    if "round_view" in wanted:
        _cold(times, "round_view", coordinator, f"/oversigt/forloeb/{slug}")
    if "round_indicator" in wanted:  # the second page of an indicator's municipalities
        indicator = _first_indicator(app, slug)
        path = f"/oversigt/forloeb/{slug}/indikator/{indicator}?page=2"
        _cold(times, "round_indicator", coordinator, path)
    if "round_xlsx" in wanted:  # a job (``reports.jobs.progress_xlsx``): the worker's time
        _cold(times, "round_xlsx", coordinator, "/filer/", {"kind": "progress_xlsx", "slug": slug})
    if "round_report_page" in wanted:
        _cold(times, "round_report_page", coordinator, f"/rapporter/fremdrift/{slug}")
    if "round_csv" in wanted:  # written in the request: its main table alone
        _cold(times, "round_csv", coordinator, f"/rapporter/fremdrift/{slug}?format=csv")
    if "dashboard_cold" in wanted:
        for email, path in ds.leads:  # a fresh session: no page held for it, no If-None-Match
            _cold(times, "dashboard_cold", _client(app, email), path)
    return times


def _measure_in_process(ds: DataSet) -> dict[str, list[float]]:
    """``measure`` in this process on ``ds``'s database, after a first request of each kind
    (imports, templates, WeasyPrint's and Babel's first use) that is not counted."""
    from portal.migrate import upgrade

    app = _app(ds.path)
    upgrade(db.engine)  # a data set kept by an earlier run (``BENCH_NORDIC_DIR``)
    keep_summaries(app)
    measure(ds, app)
    times = measure(ds, app)
    db.session.remove()
    db.engine.dispose()
    return times


def _child(task: str, *args) -> object:
    """``task`` in a process of its own; its result comes back as JSON on the last line."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.nordic", task, json.dumps(args)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _task(task: str, args: list) -> object:
    if task == "build":
        folder, nordic = args
        ds = build(Path(folder), nordic)
        return {**asdict(ds), "path": str(ds.path)}
    ds = DataSet(**{**args[0], "path": Path(args[0]["path"])})
    return _measure_in_process(ds)


def _data_set(folder: Path, nordic: bool) -> DataSet:
    """Built, or with ``BENCH_NORDIC_DIR`` the one kept there by an earlier run."""
    kept = folder / f"nordic-{'750' if nordic else '98'}.json"
    if kept.exists():
        found = json.loads(kept.read_text())
    else:
        found = _child("build", str(folder), nordic)
        kept.write_text(json.dumps(found))
    return DataSet(**{**found, "path": Path(found["path"])})


def run(bench, *, nordic: bool | None = None) -> None:
    """The national figures always; the Nordic data set and the ratios with
    ``BENCH_SCALE=nordic`` (building it takes minutes). ``BENCH_NORDIC_DIR``: keep the
    databases there and use them again on the next run."""
    if nordic is None:
        nordic = os.environ.get("BENCH_SCALE") == "nordic"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(os.environ.get("BENCH_NORDIC_DIR") or name)
        folder.mkdir(parents=True, exist_ok=True)
        sets = [_data_set(folder, nordic=False)]
        if nordic:
            sets.append(_data_set(folder, nordic=True))
        small, big = sets[0], sets[-1]
        bench("results_rebuild_98_seconds", small.info["rebuild_seconds"])
        if nordic:
            bench("nordic_municipalities", big.info["municipalities"])
            bench("nordic_participations", big.info["participations"])
            bench("nordic_measurements", big.info["measurements"])
            bench("results_rebuild_750_seconds", big.info["rebuild_seconds"])
        runs: dict[str, list] = {ds.name: [] for ds in sets}
        for _ in range(REPEAT):
            for ds in sets:  # in turns: the machine's other load falls on both alike
                runs[ds.name].append(_child("measure", asdict(ds) | {"path": str(ds.path)}))

        def median(ds: DataSet, key: str) -> float:
            return statistics.median(t for r in runs[ds.name] for t in r[key])

        load = os.getloadavg()[0]
        bench("nordic_load_average", load)  # the machine's, as the measurements ended
        wanted = paths()
        for name, key, scale in (
            ("round_xlsx_seconds", "round_xlsx", 1),
            ("round_xlsx_cpu_seconds", "round_xlsx_cpu", 1),
            ("round_report_page_ms", "round_report_page", 1000),
            ("round_report_page_cpu_ms", "round_report_page_cpu", 1000),
            ("round_csv_ms", "round_csv", 1000),
            ("round_csv_cpu_ms", "round_csv_cpu", 1000),
            ("round_view_cold_ms", "round_view", 1000),
            ("round_indicator_page_ms", "round_indicator", 1000),
            ("dashboard_cold_inprocess_ms", "dashboard_cold", 1000),
        ):
            if key.removesuffix("_cpu") in wanted:
                bench(name, median(small, key) * scale)
        if nordic:
            for key in wanted:
                bench(f"{key}_750_ms", median(big, key) * 1000)
                bench(f"{key}_750_cpu_ms", median(big, f"{key}_cpu") * 1000)
                bench(f"{key}_750_vs_98_ratio", median(big, key) / median(small, key))
                cpu = median(big, f"{key}_cpu") / median(small, f"{key}_cpu")
                bench(f"{key}_750_vs_98_cpu_ratio", cpu)
            # requests only: the workbook is a job (the worker's time, beside them)
            requests = [
                (k, ts)
                for r in runs[big.name]
                for k, ts in r.items()
                if k.split("_cpu")[0] not in JOBS
            ]
            if requests:
                walls = [t for k, ts in requests if "_cpu" not in k for t in ts]
                cpus = [t for k, ts in requests if "_cpu" in k for t in ts]
                bench("nordic_slowest_request_seconds", max(walls))
                bench("nordic_slowest_request_cpu_seconds", max(cpus))


def _print(name: str, value) -> None:
    print(f"BENCH {name}={value:.3f}" if isinstance(value, float) else f"BENCH {name}={value}")
    sys.stdout.flush()


if __name__ == "__main__":
    if len(sys.argv) > 2:  # a child: ``build`` or ``measure``
        print(json.dumps(_task(sys.argv[1], json.loads(sys.argv[2]))))
    else:
        run(_print)
