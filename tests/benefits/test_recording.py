"""Recording figures by hand: the rules at their fields, periods, versions, the audit log."""

from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.benefits import recording
from portal.benefits.models import CostKind, Measurement
from portal.benefits.recording import costs, rules
from portal.benefits.recording.figures import figures_of, participation_figures
from portal.db import db
from portal.errors import Conflict, NotAllowed, RuleViolations
from portal.programmes.models import Frequency
from portal.tabular import parse_decimal, parse_decimals
from tests.benefits.helpers import END, START, figures_round, indicator, participation_of


@pytest.fixture
def round_():
    return figures_round()


@pytest.fixture
def p(round_):
    return participation_of(round_, 101)


def problems(call):
    with pytest.raises(RuleViolations) as info:
        call()
    return dict(info.value.problems)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.234,5", "1234.5"),
        ("1234.5", "1234.5"),
        ("1234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567", "1234567"),
        (" 1 234 ", "1234"),
        ("-3", "-3"),
        ("\u22122,5", "-2.5"),
        (",5", "0.5"),
        ("1.234", "1.234"),  # a single dot is a decimal point, as the import format says
        ("0,00004", "0"),  # rounded to four decimals
        ("123456789012,5", "123456789012.5"),
    ],
)
def test_numbers_danish_and_international(text, expected):
    assert parse_decimal(text) == D(expected)


@pytest.mark.parametrize("text", ["", "abc", "1e5", "12,3,4", "1.2.3", "1234567890123", "١٢"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_the_column_parser_is_the_same_parser():
    texts = pd.Series(["1.234,5", "x", "7"])
    parsed = parse_decimals(texts)
    assert parsed[0] == D("1234.5") and pd.isna(parsed[1]) and parsed[2] == D(7)


def test_periods():
    day = date(2025, 11, 17)
    assert rules.period_start(day, Frequency.MONTHLY) == date(2025, 11, 1)
    assert rules.period_start(day, Frequency.QUARTERLY) == date(2025, 10, 1)
    assert rules.period_start(day, Frequency.YEARLY) == date(2025, 1, 1)
    assert rules.period_end(date(2025, 10, 1), Frequency.QUARTERLY) == date(2025, 12, 31)
    assert rules.period_end(date(2024, 2, 1), Frequency.MONTHLY) == date(2024, 2, 29)
    days = pd.Series(pd.to_datetime(["2025-11-17", "2025-03-31", "2026-07-01", None]))
    freqs = pd.Series(["monthly", "quarterly", "yearly", "monthly"])
    starts = rules.period_starts(days, freqs)
    assert list(starts[:3].dt.date) == [date(2025, 11, 1), date(2025, 1, 1), date(2026, 1, 1)]
    assert pd.isna(starts[3])


def test_baseline_target_measurements_and_costs_are_recorded(round_, p):
    visits = indicator(round_, "screen_visits")
    recording.set_baseline(p, visits, D("120"), date(2025, 6, 1), "Omsorgssystemet", actor=None)
    recording.set_target(
        p,
        visits,
        D("400"),
        date(2027, 3, 1),
        pessimistic=D("300"),
        optimistic=D("450"),
        actor=None,
    )
    m = recording.record_measurement(p, visits, date(2025, 10, 17), D("152.5"), actor=None)
    assert m.period == date(2025, 10, 1) and m.municipality_id == p.municipality_id
    quarterly = recording.record_measurement(
        p, indicator(round_, "punctuality"), date(2025, 11, 5), D("87.5"), actor=None
    )
    assert quarterly.period == date(2025, 10, 1)
    cost = costs.add_cost(
        p, CostKind.ONE_OFF, " Licenser ", date(2025, 9, 15), D("45000.004"), actor=None
    )
    assert cost.category == "Licenser" and cost.amount == D("45000.00")
    figures = participation_figures(p)
    visits_figures = figures.for_indicator("screen_visits")
    assert visits_figures.baseline.value == D(120)
    assert visits_figures.target.optimistic == D(450)
    assert [x.value for x in visits_figures.measurements] == [D("152.5")]
    assert figures.costs == [cost]


def test_percent_above_100_is_refused_at_the_value(round_, p):
    pct = indicator(round_, "punctuality")
    found = problems(
        lambda: recording.record_measurement(p, pct, date(2025, 10, 1), D("101"), actor=None)
    )
    assert "mellem 0 og 100" in found["value"]
    found = problems(
        lambda: recording.set_target(
            p, pct, D("95"), date(2027, 1, 1), optimistic=D("100.5"), actor=None
        )
    )
    assert "mellem 0 og 100" in found["optimistic"]
    recording.record_measurement(p, pct, date(2025, 10, 1), D("100"), actor=None)  # the edge
    found = problems(
        lambda: recording.set_baseline(p, pct, D("-0.1"), date(2025, 8, 1), actor=None)
    )
    assert "mellem 0 og 100" in found["value"]


def test_dates_outside_the_period_are_refused(round_, p):
    visits = indicator(round_, "screen_visits")
    found = problems(
        lambda: recording.record_measurement(p, visits, date(2027, 4, 1), D(1), actor=None)
    )
    assert "uden for forløbets periode 01.09.2025–31.03.2027" in found["date"]
    assert "april 2027" in found["date"]
    found = problems(
        lambda: recording.record_measurement(p, visits, date(2025, 8, 31), D(1), actor=None)
    )
    assert "august 2025" in found["date"]
    found = problems(lambda: recording.set_target(p, visits, D(1), date(2027, 4, 1), actor=None))
    assert "uden for forløbets periode" in found["date"]
    found = problems(
        lambda: costs.add_cost(p, CostKind.YEARLY, "Drift", date(2025, 8, 31), D(1), actor=None)
    )
    assert "uden for forløbets periode" in found["date"]


def test_a_baseline_may_lie_up_to_a_year_before_the_start(round_, p, monkeypatch):
    monkeypatch.setattr(rules, "local_today", lambda: END)  # the round is over: END is past
    visits = indicator(round_, "screen_visits")
    year_before = START - rules.BASELINE_LEAD
    recording.set_baseline(p, visits, D(1), year_before, actor=None)
    found = problems(
        lambda: recording.set_baseline(
            p, visits, D(1), year_before - pd.Timedelta(days=1).to_pytimedelta(), actor=None
        )
    )
    assert "et år før forløbets start" in found["date"]
    recording.set_baseline(p, visits, D(1), END, actor=None)


def test_a_quarter_overlapping_the_start_is_inside(round_, p):
    # The round starts 1 September: the third quarter (from 1 July) overlaps it.
    m = recording.record_measurement(
        p, indicator(round_, "punctuality"), date(2025, 7, 1), D(50), actor=None
    )
    assert m.period == date(2025, 7, 1)


def test_no_measurement_before_the_baseline(round_, p):
    visits = indicator(round_, "screen_visits")
    recording.set_baseline(p, visits, D(100), date(2025, 10, 15), actor=None)
    found = problems(
        lambda: recording.record_measurement(p, visits, date(2025, 9, 30), D(1), actor=None)
    )
    assert found["date"] == "Målingen for september 2025 ligger før basislinjens dato 15.10.2025."
    # The baseline's own month counts: it ends after the baseline date.
    recording.record_measurement(p, visits, date(2025, 10, 1), D(1), actor=None)
    found = problems(
        lambda: recording.set_baseline(p, visits, D(100), date(2025, 11, 1), actor=None)
    )
    assert "allerede en måling for oktober 2025" in found["date"]


def test_one_measurement_per_period(round_, p):
    visits = indicator(round_, "screen_visits")
    recording.record_measurement(p, visits, date(2025, 10, 1), D(1), actor=None)
    found = problems(
        lambda: recording.record_measurement(p, visits, date(2025, 10, 31), D(2), actor=None)
    )
    assert "allerede en måling for oktober 2025" in found["date"]


def test_target_scenarios_follow_the_direction(round_, p):
    km = indicator(round_, "km_driven")  # lower is better
    found = problems(
        lambda: recording.set_target(
            p, km, D(100), date(2027, 1, 1), pessimistic=D(90), optimistic=D(110), actor=None
        )
    )
    assert set(found) == {"pessimistic", "optimistic"}
    recording.set_target(
        p, km, D(100), date(2027, 1, 1), pessimistic=D(110), optimistic=D(90), actor=None
    )


def test_an_indicator_of_another_programme_is_refused(round_, p):
    other = figures_round(codes=())
    with pytest.raises(NotAllowed):
        recording.set_baseline(
            p, indicator(other, "screen_visits"), D(1), date(2025, 9, 1), actor=None
        )


def test_texts_refuse_cpr_numbers(round_, p):
    found = problems(
        lambda: recording.record_measurement(
            p,
            indicator(round_, "screen_visits"),
            date(2025, 10, 1),
            D(1),
            "borger 010190-1234",
            actor=None,
        )
    )
    assert "CPR" in found["note"]
    found = problems(lambda: costs.set_benefit_owner(p, "0101901234", "", actor=None))
    assert "CPR" in found["name"]


def test_versions_guard_against_overwriting(round_, p):
    visits = indicator(round_, "screen_visits")
    baseline = recording.set_baseline(p, visits, D(1), date(2025, 9, 1), actor=None, version=0)
    with pytest.raises(Conflict):  # someone else created it since the form was opened
        recording.set_baseline(p, visits, D(2), date(2025, 9, 1), actor=None, version=0)
    recording.set_baseline(p, visits, D(2), date(2025, 9, 1), actor=None, version=1)
    assert baseline.version == 2
    m = recording.record_measurement(p, visits, date(2025, 10, 1), D(1), actor=None)
    with pytest.raises(Conflict):
        recording.update_measurement(m, D(3), actor=None, version=m.version + 1)
    with pytest.raises(Conflict):
        recording.delete_measurement(m, actor=None, version=m.version + 1)
    with pytest.raises(Conflict):
        costs.set_benefit_owner(p, "A", "B", actor=None, version=p.version + 1)


def test_every_change_is_audited_with_before_and_after(round_, p, make_user):
    user = make_user()
    visits = indicator(round_, "screen_visits")
    recording.set_baseline(p, visits, D(1), date(2025, 9, 1), actor=user)
    recording.set_baseline(p, visits, D("2.5"), date(2025, 9, 1), "kilde", actor=user)
    m = recording.record_measurement(p, visits, date(2025, 10, 1), D(7), actor=user)
    recording.update_measurement(m, D(8), "rettet", actor=user)
    recording.delete_measurement(m, actor=user)
    cost = costs.add_cost(p, CostKind.YEARLY, "Drift", date(2026, 1, 1), D(10), actor=user)
    costs.delete_cost(cost, actor=user)
    costs.set_benefit_owner(p, "Hanne Hansen", "Ældrechef", actor=user)
    costs.set_hourly_cost(p, D("412,5".replace(",", ".")), actor=user)
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.round_id == round_.id, AuditEvent.action != "grant_recomputed")
            .order_by(AuditEvent.id)
        )
    )
    assert [e.action for e in events] == [
        "baseline_set",
        "baseline_set",
        "measurement_recorded",
        "measurement_updated",
        "measurement_deleted",
        "cost_added",
        "cost_deleted",
        "benefit_owner_set",
        "hourly_cost_set",
    ]
    assert all(e.municipality_id == p.municipality_id and e.actor_id == user.id for e in events)
    assert events[1].details["before"]["value"] == "1"
    assert events[1].details["after"] == {
        "value": "2.5",
        "measured_on": "2025-09-01",
        "source_note": "kilde",
        "quality": None,
    }
    assert (
        events[3].details["before"]["value"] == "7" and events[3].details["after"]["value"] == "8"
    )
    assert events[4].details["after"] is None
    assert events[8].details["after"] == {"hourly_cost_override": "412.5"}
    assert p.hourly_cost_override == D("412.50")


def test_hourly_cost_must_be_positive(p):
    found = problems(lambda: costs.set_hourly_cost(p, D(0), actor=None))
    assert "over 0" in found["amount"]
    costs.set_hourly_cost(p, None, actor=None)
    assert p.hourly_cost_override is None


def test_figures_of_many_participations_in_a_fixed_number_of_queries(round_, count_queries):
    first, second = participation_of(round_, 101), participation_of(round_, 147)
    visits = indicator(round_, "screen_visits")
    for n, month in enumerate(range(9, 13)):
        recording.record_measurement(first, visits, date(2025, month, 1), D(n), actor=None)
        recording.record_measurement(second, visits, date(2025, month, 1), D(n), actor=None)
    db.session.expire_all()
    participations = [participation_of(round_, 101), participation_of(round_, 147)]
    for participation in participations:
        participation.round  # noqa: B018 (loaded, as a caller's scoped query would)
    with count_queries() as counter:
        figures = figures_of(participations)
    assert counter.count <= 5
    assert len(figures[first.id].for_indicator("screen_visits").measurements) == 4
    assert isinstance(figures[first.id].for_indicator("screen_visits").latest, Measurement)


def test_an_indicator_with_figures_is_not_deleted_but_refused():
    from portal.benefits.models import Baseline
    from portal.participations.models import Participation
    from portal.programmes import services as programme_services
    from portal.programmes.models import Direction, Frequency, Indicator
    from tests.conftest import municipality
    from tests.factories import create_programme, create_round

    programme = create_programme()
    indicator = Indicator(
        programme=programme,
        key="visits",
        name_da="Besøg",
        direction=Direction.HIGHER,
        frequency=Frequency.MONTHLY,
        block="time_economy",
    )
    db.session.add(indicator)
    round_ = create_round(programme)
    aarhus = municipality(751).id
    participation = Participation(round=round_, municipality_id=aarhus, role="participant")
    db.session.add_all([indicator, participation])
    db.session.flush()
    db.session.add(
        Baseline(
            participation=participation,
            municipality_id=aarhus,
            indicator=indicator,
            value=D("10"),
            measured_on=date(2025, 1, 1),
        )
    )
    db.session.flush()
    with pytest.raises(NotAllowed) as refused:
        programme_services.delete_indicator(indicator, actor=None)
    assert "registreret tal" in str(refused.value.message)


def test_a_programme_file_that_drops_an_indicator_with_figures_is_refused():
    import re

    from portal.benefits.models import Baseline
    from portal.errors import RowErrors
    from portal.participations.models import Participation
    from portal.programmes.loading import SHIPPED_PROGRAMMES, load_programme_file
    from portal.programmes.models import Indicator
    from tests.conftest import municipality

    text = (SHIPPED_PROGRAMMES / "skaermbesoeg.toml").read_text()
    load_programme_file(text)
    visits = db.session.scalar(select(Indicator).where(Indicator.key == "km_avoided"))
    round_ = visits.programme.rounds[0]
    aarhus = municipality(751).id
    participation = Participation(round=round_, municipality_id=aarhus, role="participant")
    db.session.add(participation)
    db.session.flush()
    db.session.add(
        Baseline(
            participation=participation,
            municipality_id=aarhus,
            indicator=visits,
            value=D("500"),
            measured_on=date(2025, 8, 1),
        )
    )
    db.session.flush()
    without = re.sub(
        r'\[\[indicators\]\]\nkey = "km_avoided".*?(?=\n\[\[)', "", text, count=1, flags=re.S
    )
    without = re.sub(r'\[\[benefits\]\]\nkey = "km_savings".*?(?=\n\[\[)', "", without, flags=re.S)
    assert "km_avoided" not in without.split("[[rounds]]")[0]
    with pytest.raises(RowErrors) as refused:
        load_programme_file(without)
    assert refused.value.errors == [
        (
            1,
            "filen udelader indikator 'km_avoided', men der er registreret tal for den; behold den i filen",
        )
    ]
