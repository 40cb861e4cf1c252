"""A national data set for the load benchmark: the demo (its users, programmes and rounds),
every active Danish municipality applying to the open round (the coordinator's review
overview), and every one of them taking part in each of the four programmes' rounds with a
baseline, a target, 36 months of every indicator (quarterly and yearly ones at their own
pace) and two costs. Figures are written in bulk, past the services, and the stored results
rebuilt once at the end, as ``portal results rebuild`` would."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from bench.collaboration import everyone_applies
from portal.applications.models import ApplicantRole
from portal.auth.models import User
from portal.benefits.calculation.periods import add_months, month_start, period_start
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.db import db
from portal.demo import load_demo
from portal.municipalities.models import Municipality
from portal.participations.models import Community, Participation, ParticipationSource
from portal.programmes.models import Indicator, Round
from portal.reporting.services import local_today
from portal.results.refresh import rebuild

OPEN_ROUND = "skaermbesoeg-demo-aaben"
ROUNDS = (
    "skaermbesoeg-2025",
    "digital-traening-2025",
    "ruteplanlaegning-2025",
    "vagtplanlaegning-2026",
)
MONTHS = 36
COMMUNITY = 10  # municipalities per community
MUNICIPAL_USER = "projektleder.aarhus@demo.dk"
COORDINATOR = "koordinator@demo.dk"


@dataclass(frozen=True)
class NationalData:
    municipalities: int
    participations: int
    measurements: int
    rebuild_seconds: float
    dashboard: str  # the municipal user's dashboard in the first round
    round_view: str
    overview: str


def _everyone_in(round_: Round, municipalities: list[Municipality]) -> list[Participation]:
    """Every municipality in the round, in communities of ten (the demo's own kept)."""
    existing = {
        p.municipality_id: p
        for p in db.session.scalars(
            select(Participation).where(Participation.round_id == round_.id)
        )
    }
    for n, m in enumerate(x for x in municipalities if x.id not in existing):
        existing[m.id] = Participation(
            round=round_,
            municipality_id=m.id,
            role=ApplicantRole.LEAD if n % COMMUNITY == 0 else ApplicantRole.PARTICIPANT,
            source=ParticipationSource.IMPORT,
        )
        db.session.add(existing[m.id])
    db.session.flush()
    unplaced = [p for p in existing.values() if p.community_id is None]
    for start in range(0, len(unplaced), COMMUNITY):
        community = Community(round=round_, name=f"Bench {round_.slug} {start // COMMUNITY + 1}")
        db.session.add(community)
        for p in unplaced[start : start + COMMUNITY]:
            p.community = community
    db.session.flush()
    return list(existing.values())


def _figures(round_: Round, participations: list[Participation], first: date) -> int:
    """Bulk rows for every participation without figures of its own (the demo's keep theirs)."""
    indicators = list(
        db.session.scalars(select(Indicator).where(Indicator.programme_id == round_.programme_id))
    )
    recorded = set(
        db.session.scalars(
            select(Baseline.participation_id).where(
                Baseline.participation_id.in_([p.id for p in participations])
            )
        )
    )
    rows: dict[type, list[dict]] = {Baseline: [], Target: [], Measurement: [], Cost: []}
    months = [add_months(first, n) for n in range(MONTHS)]
    for k, p in enumerate(x for x in participations if x.id not in recorded):
        own = dict(participation_id=p.id, municipality_id=p.municipality_id)
        for i in indicators:
            base = Decimal(20 + k % 17)
            mine = dict(own, indicator_id=i.id)
            rows[Baseline].append(dict(mine, value=base, measured_on=first - timedelta(days=15)))
            rows[Target].append(dict(mine, value=base * 2, target_date=add_months(first, MONTHS)))
            periods = sorted({period_start(m, i.frequency.value) for m in months})
            for n, day in enumerate(d for d in periods if d >= first):
                rows[Measurement].append(dict(mine, period=day, value=base + n * (k % 5)))
        for kind, amount in ((CostKind.ONE_OFF, 40000), (CostKind.YEARLY, 24000)):
            rows[Cost].append(
                dict(own, kind=kind, category="Licens", incurred_on=first, amount=Decimal(amount))
            )
    for model, values in rows.items():
        for start in range(0, len(values), 5000):
            db.session.execute(insert(model), values[start : start + 5000])
    return len(rows[Measurement])


def build(countries: tuple[str, ...] = ("DK",), register=None) -> NationalData:
    """Inside an app context on an empty, migrated database; commits. ``countries``: whose
    municipalities take part; ``register``: called after the demo is loaded, to import more
    of them (``bench.nordic``)."""
    load_demo()
    db.session.commit()
    if register is not None:
        register()
    open_round = db.session.scalar(select(Round).where(Round.slug == OPEN_ROUND))
    everyone_applies(open_round)
    db.session.commit()
    municipalities = list(
        db.session.scalars(
            select(Municipality)
            .where(Municipality.active, Municipality.country.in_(countries))
            .order_by(Municipality.country, Municipality.code)
        )
    )
    first = add_months(month_start(local_today()), 1 - MONTHS)  # 36 months up to this one
    rounds = [db.session.scalar(select(Round).where(Round.slug == slug)) for slug in ROUNDS]
    participations = measurements = 0
    for round_ in rounds:
        joined = _everyone_in(round_, municipalities)
        measurements += _figures(round_, joined, first)
        participations += len(joined)
    db.session.commit()
    start = time.perf_counter()
    for round_ in rounds:
        rebuild(round_)
    db.session.commit()
    rebuild_seconds = time.perf_counter() - start
    user = db.session.scalar(select(User).where(User.email == MUNICIPAL_USER))
    dashboard = db.session.scalar(
        select(Participation.id).where(
            Participation.round_id == rounds[0].id,
            Participation.municipality_id == user.municipality_id,
        )
    )
    return NationalData(
        len(municipalities),
        participations,
        measurements,
        rebuild_seconds,
        f"/oversigt/deltagelse/{dashboard}",
        f"/oversigt/forloeb/{rounds[0].slug}",
        f"/vurdering/forloeb/{OPEN_ROUND}",
    )
