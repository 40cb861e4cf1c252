"""The dashboards at national scale: every participation of the open demo round (every
Danish municipality, after ``bench.collaboration``) given a baseline, a target, 18 months of
every indicator and two costs, and the national view and a municipality's dashboard timed with their query counts;
and the same municipality's dashboard in a copy of the round with five municipalities, so
``dashboard_98_vs_5_ratio`` shows whether a page's time grows with the nation."""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal import rendered
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Frequency, Indicator, Round
from portal.results.refresh import rebuild

ROUND = "skaermbesoeg-demo-aaben"
MONTHS = 18
REPEAT = 3
RATIO_REPEAT = 5


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
    db.session.flush()
    rebuild(round_)  # written past the services: the stored results as a rebuild makes them
    db.session.commit()
    return len(participations), count


def small_copy(round_: Round, count: int = 5) -> Round:
    """A copy of the round whose participations are the first ``count`` of the original."""
    copy = Round(
        programme_id=round_.programme_id,
        slug=f"{round_.slug}-bench-{count}",
        name_da=f"{round_.name_da} ({count})",
        opens_at=round_.opens_at,
        deadline_at=round_.deadline_at,
        period_start=round_.period_start,
        period_end=round_.period_end,
        lead_grant=round_.lead_grant,
        participant_grant=round_.participant_grant,
        participant_pool=round_.participant_pool,
        community_min=round_.community_min,
        community_max=round_.community_max,
        parameters=dict(round_.parameters),
        status=round_.status,
    )
    db.session.add(copy)
    originals = db.session.scalars(
        select(Participation)
        .where(Participation.round_id == round_.id)
        .order_by(Participation.id)
        .limit(count)
    )
    for p in originals:
        db.session.add(Participation(round=copy, municipality_id=p.municipality_id, role=p.role))
    db.session.flush()
    return copy


def timed(client, path: str, counting, *, repeat: int = REPEAT) -> tuple[float, int]:
    """The page built each time, its sections drawn for the reader (``rendered`` and the
    kept sections cleared before each): what a reader meets when nothing was drawn ahead."""
    client.get(path)  # warm: the process's first-use costs are not the page's
    with client.application.app_context():
        rendered.clear()
    with counting() as counter:
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(repeat):
        with client.application.app_context():
            rendered.clear()  # and the kept sections: drawn for the reader each time
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, counter["n"]


def run(app, client, counting, bench) -> None:
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.slug == ROUND))
        participations, measurements = fill_figures(round_)
        first = db.session.scalar(
            select(Participation.id)
            .where(Participation.round_id == round_.id)
            .order_by(Participation.id)
            .limit(1)
        )
        small = small_copy(round_)
        fill_figures(small)
        first_small = db.session.scalar(
            select(Participation.id)
            .where(Participation.round_id == small.id)
            .order_by(Participation.id)
            .limit(1)
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
    # The same municipality's dashboard among 98 and among 5, alternated so the machine's
    # other load falls on both alike.
    big, few = [], []
    for _ in range(RATIO_REPEAT):
        big.append(timed(client, f"/oversigt/deltagelse/{first}", counting)[0])
        few.append(timed(client, f"/oversigt/deltagelse/{first_small}", counting)[0])
    bench("dashboard_5_ms", statistics.median(few))
    bench("dashboard_98_ms", statistics.median(big))
    bench("dashboard_98_vs_5_ratio", statistics.median(big) / statistics.median(few))
