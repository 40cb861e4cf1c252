"""Decompression bombs (issue 20, item 1): every shape is refused within 2 s of CPU and
300 MB above the reader's resting memory, with a Danish reason, and through the upload page
(Indlæs tal) nothing is stored. Each bomb is read in a process of its own, so its peak
memory (``ru_maxrss``) is its own."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.benefits.models import Measurement
from portal.db import db
from tests.benefits.helpers import figures_round
from tests.faults import bombs
from tests.faults.conftest import survived
from tests.faults.processes import ROOT

CPU_SECONDS = 2.0
MEMORY_MB = 300

MEASURE = """
import json, resource, sys, time
from portal import tabular
from portal.errors import RowErrors

data = open(sys.argv[1], "rb").read()
resting = resource.getrusage(resource.RUSAGE_SELF)
wall = time.perf_counter()
try:
    outcome = "read %d rows" % len(tabular.read_table(data, ["a", "b"]))
except RowErrors as error:
    outcome = error.errors[0][1]
wall = time.perf_counter() - wall
used = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "outcome": outcome,
    "wall": wall,
    "cpu": used.ru_utime + used.ru_stime - resting.ru_utime - resting.ru_stime,
    "resting_mb": resting.ru_maxrss / 1024,
    "peak_mb": used.ru_maxrss / 1024,
}))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    shapes = {**bombs.BOMBS, "lying_dimension": bombs.lying_dimension}
    return {name: build(folder / f"{name}.xlsx") for name, build in shapes.items()}


def measure(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


@pytest.mark.parametrize("shape", sorted(bombs.BOMBS))
def test_a_bomb_is_refused_in_time_and_memory_with_a_danish_reason(built, shape):
    path = built[shape]
    assert path.stat().st_size < 16 * 2**20  # an upload the portal accepts
    found = measure(path)
    survived(
        f"xlsx bomb {shape} ({path.stat().st_size // 1024} kB)",
        1,
        1,
        f"refused in {found['wall']:.2f} s wall, {found['cpu']:.2f} s CPU, "
        f"{found['peak_mb'] - found['resting_mb']:.0f} MB above {found['resting_mb']:.0f} MB"
        f": {found['outcome']}",
    )
    assert found["outcome"].startswith(("Excel-filen fylder for meget", "Filen har mere end"))
    assert found["cpu"] < CPU_SECONDS
    assert found["peak_mb"] - found["resting_mb"] < MEMORY_MB


def test_a_lying_dimension_is_read_at_the_cost_of_what_it_holds(built):
    found = measure(built["lying_dimension"])
    assert found["outcome"] == "read 1 rows"
    assert found["cpu"] < CPU_SECONDS and found["peak_mb"] - found["resting_mb"] < 50


def test_the_limits_come_from_the_configuration(app, built):
    """A smaller limit in the configuration refuses what the default lets through."""
    from portal import tabular

    data = built["lying_dimension"].read_bytes()
    assert len(tabular.read_table(data, ["a", "b"])) == 1
    app.config["XLSX_MAX_MEMBERS"] = 3
    try:
        with pytest.raises(tabular.RowErrors) as refused:
            tabular.read_table(data, ["a", "b"])
        assert "mere end 3 dele" in refused.value.errors[0][1]
    finally:
        app.config["XLSX_MAX_MEMBERS"] = 1000


def test_every_bomb_through_the_upload_page_is_refused_and_stores_nothing(
    client, login, make_user, built
):
    round_ = figures_round(codes=(101, 147))
    db.session.commit()
    login(make_user(Role.COORDINATOR))
    before = db.session.scalar(select(func.count(Measurement.id)))
    refused = 0
    for shape in sorted(bombs.BOMBS):
        response = client.post(
            f"/gevinster/forloeb/{round_.slug}/indlaes",
            data={"file": (io.BytesIO(built[shape].read_bytes()), f"{shape}.xlsx")},
            content_type="multipart/form-data",
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (shape, response.status_code)
        assert "fylder for meget" in page or "mere end 100.000 rækker" in page, shape
        refused += 1
    assert db.session.scalar(select(func.count(Measurement.id))) == before
    survived("xlsx bombs on Indlæs tal", refused, len(bombs.BOMBS), "answered 400, nothing stored")


def test_a_row_wider_than_the_column_limit_stops_the_parse_there(tmp_path):
    """Small enough to pass the archive's checks, so the parse itself must stop it."""
    from portal import tabular

    data = bombs.wide_row(tmp_path / "wide.xlsx", cells=20_000).read_bytes()
    with pytest.raises(tabular.RowErrors) as refused:
        tabular.read_table(data, ["a", "b"])
    assert refused.value.errors == [(1, "Række 2 har mere end 100 kolonner.")]
