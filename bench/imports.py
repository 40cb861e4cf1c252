"""The figures import on a generated file: 10,000 measurement rows for a round in which all
98 municipalities participate, validated and written (then rolled back), against pandas
merely reading the same file."""

from __future__ import annotations

import io
import random
import statistics
import time
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select

from portal.applications.models import ApplicantRole
from portal.benefits.files.importing import COLUMNS, import_figures
from portal.db import db, utcnow
from portal.municipalities.models import Municipality
from portal.participations.models import Participation, ParticipationSource
from portal.programmes.models import Frequency, Programme, Round, RoundStatus

ROWS = 10_000
REPEAT = 3


def make_round(
    slug: str = "bench-import",
    name: str = "Bench",
    start: date = date(2020, 1, 1),
    municipalities: int | None = None,
) -> tuple[Round, list[Participation]]:
    """A round of the screen-visit programme over past years (a measurement for a period
    that has not begun is refused) with every Danish municipality in it, or the first
    ``municipalities`` of them by code."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == "skaermbesoeg"))
    now = utcnow()
    round_ = Round(
        programme=programme,
        slug=slug,
        name_da=name,
        opens_at=now - timedelta(days=30),
        deadline_at=now - timedelta(days=1),
        period_start=start,
        period_end=date(2025, 12, 31),
        lead_grant=900_000,
        participant_grant=100_000,
        community_min=5,
        community_max=10,
        parameters={"annual_cost": "450000", "annual_hours": "1924"},
        status=RoundStatus.CLOSED,
    )
    db.session.add(round_)
    db.session.flush()
    chosen = db.session.scalars(
        select(Municipality).where(Municipality.country == "DK").order_by(Municipality.code)
    ).all()[:municipalities]
    participations = [
        Participation(
            round_id=round_.id,
            municipality_id=municipality.id,
            role=ApplicantRole.PARTICIPANT,
            source=ParticipationSource.IMPORT,
        )
        for municipality in chosen
    ]
    db.session.add_all(participations)
    db.session.commit()
    return round_, participations


def make_file(round_: Round) -> bytes:
    codes = sorted(
        m.code_display
        for m in db.session.scalars(
            select(Municipality)
            .join(Participation, Participation.municipality_id == Municipality.id)
            .where(Participation.round_id == round_.id)
        )
    )
    keys = [i.key for i in round_.programme.indicators if i.frequency == Frequency.MONTHLY]
    months = [date(2020 + m // 12, m % 12 + 1, 1) for m in range(72)]
    rng = random.Random(4)
    rows = []
    for month in months:
        for code in codes:
            for key in keys:
                value = f"{rng.uniform(0, 100):.1f}"
                rows.append((code, key, "measurement", month.isoformat(), value, "", ""))
                if len(rows) == ROWS:
                    frame = pd.DataFrame(rows, columns=list(COLUMNS))
                    return frame.to_csv(index=False).encode()
    raise RuntimeError("not enough combinations for the bench file")


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def run(app, report) -> None:
    with app.app_context():
        round_, _participations = make_round()
        data = make_file(round_)
        read_times = [timed(lambda: pd.read_csv(io.BytesIO(data))) for _ in range(REPEAT * 3)]
        import_times = []
        for _ in range(REPEAT):

            def once():
                result = import_figures(data, round_, actor=None)
                assert result.created == ROWS, result.summary()

            import_times.append(timed(once))
            db.session.rollback()
        seconds = statistics.median(import_times)
        report("import_rows", ROWS)
        report("import_seconds", seconds)
        report("import_rows_per_second", ROWS / seconds)
        report("import_read_csv_ratio", seconds / statistics.median(read_times))
        db.session.remove()
