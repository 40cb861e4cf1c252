"""The integration API's bulk write against the file import, in the same run: 1,000
measurements for one participation posted in one request (``POST
/api/v1/participations/{id}/figures`` with a token, through the WSGI app: JSON, the
contract's validation, the token, the import's rules, the write, the stored results'
refresh, the audit line) against the same 1,000 rows imported as a CSV file by
``import_figures`` (the import's rules, the write, the refresh). Each repetition writes a
fresh participation's figures, both ways; the medians are compared (aim: the API within
2× of the file)."""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from bench.imports import make_round
from portal import create_app
from portal.api import tokens
from portal.auth import services as auth_services
from portal.auth.models import Role
from portal.benefits.files.importing import COLUMNS, import_figures
from portal.db import db
from portal.migrate import upgrade
from portal.municipalities.services import load_shipped_register
from portal.programmes.loading import load_shipped_programmes
from portal.programmes.models import Frequency, Round

ITEMS = 1_000
REPEAT = 3


def bench(name: str, value) -> None:
    print(f"BENCH {name}={value:.3f}" if isinstance(value, float) else f"BENCH {name}={value}")


def _items(round_: Round) -> list[dict]:
    keys = [i.key for i in round_.programme.indicators if i.frequency == Frequency.MONTHLY]
    months = [date(2000 + m // 12, m % 12 + 1, 1) for m in range(ITEMS // len(keys) + 1)]
    items = [
        {"kind": "measurement", "indicator": key, "date": month.isoformat(), "value": n % 97 + 0.5}
        for n, (month, key) in enumerate((m, k) for m in months for k in keys)
    ]
    return items[:ITEMS]


def _csv(items: list[dict], code: str) -> bytes:
    rows = [(code, i["indicator"], i["kind"], i["date"], str(i["value"]), "", "") for i in items]
    return pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(index=False).encode()


def run(report=bench) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "API_RATE_LIMIT": "100000/minute",
            }
        )
        upgrade(db.engine)
        with app.app_context():
            load_shipped_register()
            load_shipped_programmes()
            db.session.commit()
            round_, participations = make_round(
                "bench-api", "Bench API", date(2000, 1, 1), REPEAT * 2
            )
            items = _items(round_)
            coordinator = auth_services.create_user(
                auth_services.UserData(
                    email="bench@example.dk", name="Bench", role=Role.COORDINATOR
                ),
                "bench-password-2026",
            )
            secret = tokens.issue(coordinator, "bench", [tokens.WRITE_FIGURES], None).secret
            db.session.commit()
            targets = [(p.id, p.municipality.code_display) for p in participations]
            round_id = round_.id
            db.session.remove()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {secret}"}
        api_times, file_times = [], []
        for n in range(REPEAT):
            participation_id, _code = targets[2 * n]
            start = time.perf_counter()
            response = client.post(
                f"/api/v1/participations/{participation_id}/figures",
                headers=headers,
                json={"items": items},
            )
            api_times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.get_data(as_text=True)[:500]
            assert response.json["created"] == ITEMS, response.json
            _pid, code = targets[2 * n + 1]
            data = _csv(items, code)
            with app.app_context():
                start = time.perf_counter()
                round_ = db.session.get(Round, round_id)
                result = import_figures(io.BytesIO(data).getvalue(), round_, actor=None)
                db.session.commit()
                file_times.append(time.perf_counter() - start)
                assert result.created == ITEMS, result.summary()
                db.session.remove()
        api = ITEMS / statistics.median(api_times)
        file = ITEMS / statistics.median(file_times)
        report("api_items", ITEMS)
        report("api_items_per_second", api)
        report("api_file_import_rows_per_second", file)
        report("api_vs_file_import_time_ratio", file / api)
        db.engine.dispose()


if __name__ == "__main__":
    run()
