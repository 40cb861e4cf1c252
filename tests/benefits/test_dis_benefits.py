"""Dis-benefit lines: declared in the programme file, followed up like benefits, shown
apart and subtracted from the gross."""

from datetime import date
from decimal import Decimal as D

import pytest

from portal.benefits.calculation import evaluate_participation
from portal.benefits.models import Baseline, Measurement
from portal.db import db
from portal.errors import RowErrors
from portal.programmes.loading import load_programme_file
from portal.reports.model import RowKind
from portal.reports.progress_benefits import line_table
from tests.participations.helpers import participation

PROGRAMME = """\
slug = "sensor"
name = { da = "Sensorteknologi", en = "Sensor technology" }

[[indicators]]
key = "night_visits"
name = { da = "Natlige tilsyn", en = "Night checks" }
unit = "antal"
direction = "lower"
frequency = "monthly"
block = "time_economy"

[[indicators]]
key = "alarm_minutes"
name = { da = "Minutter med falske alarmer", en = "Minutes of false alarms" }
unit = "minutter"
direction = "lower"
frequency = "monthly"
block = "employee"

[[benefits]]
key = "fewer_visits"
name = { da = "Færre natlige tilsyn", en = "Fewer night checks" }
kind = "hours"
formula = "baseline.night_visits - night_visits"

[[benefits]]
key = "false_alarms"
name = { da = "Tid til falske alarmer", en = "Time on false alarms" }
kind = "hours"
formula = "alarm_minutes / 60"
dis_benefit = true

[[rounds]]
slug = "sensor-2026"
name = { da = "Sensorer 2026" }
opens = 2025-06-01
deadline = 2025-09-01T12:00:00
period_start = 2026-01-01
period_end = 2027-06-30
lead_grant = 900000
participant_pool = 2000000
community_size = [3, 5]
[rounds.parameters]
annual_cost = 192400
annual_hours = 1924
"""


def test_a_dis_benefit_is_declared_followed_up_and_subtracted(app):
    programme = load_programme_file(PROGRAMME).programme
    lines = {b.key: b.dis_benefit for b in programme.benefits}
    assert lines == {"fewer_visits": False, "false_alarms": True}
    round_ = programme.rounds[0]
    p = participation(round_, 101)
    visits, alarms = programme.indicators
    db.session.add(
        Baseline(
            participation=p,
            municipality_id=p.municipality_id,
            indicator=visits,
            value=D(100),
            measured_on=date(2025, 12, 1),
        )
    )
    for indicator, value in ((visits, 40), (alarms, 600)):
        db.session.add(
            Measurement(
                participation=p,
                municipality_id=p.municipality_id,
                indicator=indicator,
                period=date(2026, 1, 1),
                value=D(value),
            )
        )
    db.session.flush()
    evaluation = evaluate_participation(p)
    b = evaluation.benefits
    # 100 − 40 = 60 hours freed; 600 minutes of false alarms = 10 hours lost; at 100 kr.
    # an hour (192.400 ÷ 1.924): 6.000 − 1.000 = 5.000 kr.
    assert b.line_amounts == {"fewer_visits": D(60), "false_alarms": D(-10)}
    assert b.total_hours == D(50) and b.gross == D(5000)
    with app.test_request_context():
        table = line_table(evaluation)
    values = [(r.values[0], r.values[2], r.kind) for r in table.rows]
    assert values == [
        ("Færre natlige tilsyn", D(6000), RowKind.ROW),
        ("Gevinster før ulemper", D(6000), RowKind.SUBTOTAL),
        ("Tid til falske alarmer (ulempe)", D(-1000), RowKind.ROW),
        ("I alt", D(5000), RowKind.TOTAL),
    ]


def test_a_dis_benefit_flag_must_be_true_or_false():
    with pytest.raises(RowErrors) as info:
        load_programme_file(PROGRAMME.replace("dis_benefit = true", 'dis_benefit = "ja"'))
    db.session.rollback()
    assert any("dis_benefit" in reason for _line, reason in info.value.errors)
