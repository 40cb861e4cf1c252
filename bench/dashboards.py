"""The dashboards at national scale: one chart rendered (the cache cleared each time), then
every participation of the open demo round (every Danish municipality, after
``bench.collaboration``) given a baseline, a target, 18 months of every indicator and two
costs, and the national view and a municipality's dashboard timed with their query counts."""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.benefits import charts
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Frequency, Indicator, Round

ROUND = "skaermbesoeg-demo-aaben"
MONTHS = 18
REPEAT = 3


def chart_ms(repeat: int = 10) -> float:
    points = [
        (date(2025 + (8 + n) // 12, (8 + n) % 12 + 1, 1), Decimal(100 + 7 * n)) for n in range(36)
    ]
    times = []
    for _ in range(repeat):
        charts.cache_clear()
        start = time.perf_counter()
        charts.indicator_chart(
            "Skærmbesøg over tid",
            points,
            baseline=(date(2025, 8, 15), Decimal(90)),
            target=(date(2027, 3, 31), Decimal(400)),
            unit="besøg pr. måned",
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _month(n: int) -> date:
    index = 2025 * 12 + 8 + n  # from September 2025
    return date(index // 12, index % 12 + 1, 1)


def fill_figures(round_: Round) -> tuple[int, int]:
    """Figures for every participation of the round; returns (participations, measurements)."""
    indicators = list(
        db.session.scalars(select(Indicator).where(Indicator.programme_id == round_.programme_id))
    )
    participations = list(
        db.session.scalars(select(Participation).where(Participation.round_id == round_.id))
    )
    count = 0
    for k, p in enumerate(participations):
        for i in indicators:
            base = Decimal(20 + k % 17)
            common = dict(
                participation_id=p.id, municipality_id=p.municipality_id, indicator_id=i.id
            )
            db.session.add(Baseline(**common, value=base, measured_on=date(2025, 8, 15)))
            db.session.add(Target(**common, value=base * 2, target_date=round_.period_end))
            step = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}[i.frequency]
            for n in range(0, MONTHS, step):
                db.session.add(Measurement(**common, period=_month(n), value=base + n * (k % 5)))
                count += 1
        for kind, amount in ((CostKind.ONE_OFF, 40000), (CostKind.YEARLY, 24000)):
            db.session.add(
                Cost(
                    participation_id=p.id,
                    municipality_id=p.municipality_id,
                    kind=kind,
                    category="Licens",
                    incurred_on=date(2025, 9, 15),
                    amount=Decimal(amount),
                )
            )
    db.session.commit()
    return len(participations), count


def timed(client, path: str, counting) -> tuple[float, int]:
    client.get(path)  # warm: the charts are cached from here on
    with counting() as counter:
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, counter["n"]


def run(app, client, counting, bench) -> None:
    with app.app_context():
        bench("chart_svg_ms", chart_ms())
        round_ = db.session.scalar(select(Round).where(Round.slug == ROUND))
        participations, measurements = fill_figures(round_)
        first = db.session.scalar(
            select(Participation.id).where(Participation.round_id == round_.id).limit(1)
        )
    bench("dashboard_participations", participations)
    bench("dashboard_measurements", measurements)
    for name, path in (
        ("dashboard_round", f"/oversigt/forloeb/{ROUND}"),
        ("dashboard_participation", f"/oversigt/deltagelse/{first}"),
    ):
        ms, queries = timed(client, path, counting)
        bench(f"{name}_ms", ms)
        bench(f"{name}_queries", queries)
