"""The national progress PDF at full scale, in its own throwaway SQLite database: one round
of the screen-visit programme (its shipped indicators and benefit lines) with all 98 Danish
municipalities in 12 communities, a baseline, a target and 36 monthly measurements of every
indicator, two costs and a submitted status report each — inserted in bulk, not through the
import.

Printed: ``pdf_national_seconds`` (the whole report from cold caches: gathering the data,
the charts, the HTML and WeasyPrint), ``pdf_weasyprint_seconds`` (WeasyPrint alone on the
same final HTML, measured in the same run, after a warm-up render), their ratio, and
``report_queries`` (the report's SQL statements). Run alone: ``python -m bench.reports``.
"""

from __future__ import annotations

import io
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import event, insert, select

from portal import create_app
from portal.benefits import calculation
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.db import db, utcnow
from portal.migrate import upgrade
from portal.municipalities.models import Municipality
from portal.municipalities.services import load_shipped_register
from portal.participations.models import Community, Participation, ParticipationSource
from portal.pdf import render_pdf
from portal.programmes.loading import load_shipped_programmes
from portal.programmes.models import Direction, Indicator, Programme, Round, RoundStatus
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.reports.pdf import report_html
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope

PROGRAMME = "skaermbesoeg"
SLUG = "bench-fremdrift"
MONTHS = 36
COMMUNITIES = 12
START = date(2023, 12, 1)  # the round's period; the measurements run Dec 2023 – Nov 2026
END = date(2026, 12, 31)
D = Decimal


def _month(n: int) -> date:
    index = START.year * 12 + START.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def make_round() -> Round:
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME))
    shipped = next(r for r in programme.rounds)
    now = utcnow()
    round_ = Round(
        programme=programme,
        slug=SLUG,
        name_da="Skærmbesøg, hele landet",
        name_en="Screen visits, nationwide",
        opens_at=now - timedelta(days=1200),
        deadline_at=now - timedelta(days=1100),
        period_start=START,
        period_end=END,
        lead_grant=900_000,
        participant_grant=100_000,
        community_min=5,
        community_max=10,
        parameters=dict(shipped.parameters),
        status=RoundStatus.CLOSED,
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def fill(round_: Round) -> dict[str, int]:
    """Every Danish municipality in the round, with figures: bulk inserts."""
    municipalities = list(
        db.session.scalars(
            select(Municipality)
            .where(Municipality.country == "DK", Municipality.active)
            .order_by(Municipality.code)
        )
    )
    communities = [Community(round=round_, name=f"Fællesskab {n + 1}") for n in range(COMMUNITIES)]
    db.session.add_all(communities)
    db.session.flush()
    db.session.execute(
        insert(Participation),
        [
            dict(
                round_id=round_.id,
                municipality_id=m.id,
                role="lead" if k < COMMUNITIES else "participant",
                source=ParticipationSource.IMPORT,
                community_id=communities[k % COMMUNITIES].id,
            )
            for k, m in enumerate(municipalities)
        ],
    )
    participations = db.session.execute(
        select(Participation.id, Participation.municipality_id)
        .where(Participation.round_id == round_.id)
        .order_by(Participation.id)
    ).all()
    indicators = list(
        db.session.scalars(select(Indicator).where(Indicator.programme_id == round_.programme_id))
    )
    baselines, targets, measurements, costs, reports = [], [], [], [], []
    for k, (pid, mid) in enumerate(participations):
        pace = D(k % 5 + 1) / D(4)  # 0,25 … 1,25 of the way by the end
        small = k % 23 == 0  # a few with counts of 1–4: "< 5" to others
        for i in indicators:
            base = D(2) if small else D(20 + k % 17) * (D(10) if i.unit.startswith("b") else 1)
            goal = base / 2 if i.direction == Direction.LOWER else base * 2
            common = dict(participation_id=pid, municipality_id=mid, indicator_id=i.id)
            baselines.append(dict(common, value=base, measured_on=START - timedelta(days=16)))
            targets.append(dict(common, value=goal, target_date=END))
            for n in range(MONTHS):
                wobble = D((k * 7 + n * 13) % 11 - 5) / D(100)
                value = base + (goal - base) * (pace * D(n + 1) / D(MONTHS) + wobble)
                measurements.append(dict(common, period=_month(n), value=value.quantize(D("0.1"))))
        for kind, amount, day in (
            (CostKind.ONE_OFF, 150_000, START),
            (CostKind.YEARLY, 60_000, _month(1)),
        ):
            costs.append(
                dict(
                    participation_id=pid,
                    municipality_id=mid,
                    kind=kind,
                    category="Licens og drift",
                    incurred_on=day,
                    amount=D(amount),
                )
            )
        reports.append(
            dict(
                participation_id=pid,
                municipality_id=mid,
                kind=ReportKind.STATUS,
                period_start=date(2026, 7, 1),
                period_end=date(2026, 9, 30),
                due_on=date(2026, 10, 31),
                submitted_at=datetime(2026, 10, 20, 10, tzinfo=UTC),
                what_worked="Medarbejderne bruger løsningen dagligt, og flere borgere er visiteret.",
                obstacles="Data fra omsorgssystemet kommer sent, så opfølgningen halter.",
                next_steps="Månedlig gevinstopfølgning med gevinstejeren og lederne.",
            )
        )
    for model, rows in (
        (Baseline, baselines),
        (Target, targets),
        (Measurement, measurements),
        (Cost, costs),
        (ReportingRequirement, reports),
    ):
        db.session.execute(insert(model), rows)
    db.session.commit()
    return {
        "participations": len(participations),
        "indicators": len(indicators),
        "measurements": len(measurements),
    }


@contextmanager
def counting():
    counter = {"n": 0}

    def before(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):
            counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def run(bench) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'reports.sqlite3'}",
                "SECRET_KEY": "bench",
            }
        )
        upgrade(db.engine)
        with app.app_context():
            load_shipped_register()
            load_shipped_programmes()
            round_ = make_round()
            sizes = fill(round_)
            round_id = round_.id
        for name, value in sizes.items():
            bench(f"report_{name}", value)
        with app.test_request_context():
            # Warm WeasyPrint up as a running portal is: one small report of the same kind
            # (its fonts, sizes and styles), so neither measurement pays the first use.
            round_ = db.session.get(Round, round_id)
            community = db.session.scalar(select(Community).where(Community.round_id == round_id))
            render_pdf(report_html(progress_report(ReportScope(round=round_, community=community))))
            calculation._benefits.cache_clear()
            db.session.expunge_all()
            start = time.perf_counter()
            with counting() as counter:
                scope = ReportScope(round=db.session.get(Round, round_id))
                report = progress_report(scope)  # the data and the charts
            built = time.perf_counter()
            html = report_html(report)
            written = time.perf_counter()
            pdf = render_pdf(html)
            total = time.perf_counter() - start
            again = time.perf_counter()
            render_pdf(html)
            weasyprint = time.perf_counter() - again
        assert pdf[:4] == b"%PDF"
        bench("report_build_seconds", built - start)
        bench("report_html_seconds", written - built)
        bench("pdf_national_seconds", total)
        bench("pdf_weasyprint_seconds", weasyprint)
        bench("pdf_weasyprint_ratio", total / weasyprint)
        bench("report_queries", counter["n"])
        bench("pdf_pages", len(PdfReader(io.BytesIO(pdf)).pages))
        db.session.remove()
        db.engine.dispose()


def _print(name: str, value) -> None:
    print(f"BENCH {name}={value:.3f}" if isinstance(value, float) else f"BENCH {name}={value}")


if __name__ == "__main__":
    run(_print)
