"""Nothing from the future: a measurement for a period that has not begun (today in
Europe/Copenhagen), or a baseline dated after today, is refused in the service, the form, the
file import and the command line; a target date may lie ahead."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.files.importing import import_figures
from portal.benefits.models import Measurement, Target
from portal.benefits.recording import rules
from portal.db import db
from portal.errors import RowErrors, RuleViolations
from tests.benefits.helpers import figures_round, indicator, participation_of

TODAY = date(2026, 2, 10)  # inside the round (Sep 2025 – Mar 2027)
H = "municipality,indicator,kind,date,value,note\n"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "local_today", lambda: TODAY)


@pytest.fixture
def round_():
    return figures_round(codes=(101,))


@pytest.fixture
def p(round_):
    return participation_of(round_, 101)


def refused_at_date(call) -> str:
    with pytest.raises(RuleViolations) as info:
        call()
    return dict(info.value.problems)["date"]


def test_a_period_that_has_not_begun_is_refused_one_that_has_is_not(round_, p):
    visits = indicator(round_, "screen_visits")
    message = refused_at_date(
        lambda: recording.record_measurement(p, visits, date(2026, 3, 1), D(5), actor=None)
    )
    assert message == (
        "Målingen for marts 2026 kan ikke registreres endnu: perioden er ikke begyndt"
        " (i dag er det 10.02.2026)."
    )
    recording.record_measurement(p, visits, date(2026, 2, 28), D(5), actor=None)  # begun
    # a quarter or a year that has begun may have its value, whatever day names it
    recording.record_measurement(
        p, indicator(round_, "punctuality"), date(2026, 3, 31), D(90), actor=None
    )
    recording.record_measurement(
        p, indicator(round_, "satisfaction"), date(2026, 12, 1), D(4), actor=None
    )
    assert db.session.scalar(select(func.count(Measurement.id))) == 3
    message = refused_at_date(
        lambda: recording.record_measurement(
            p, indicator(round_, "punctuality"), date(2026, 4, 1), D(90), actor=None
        )
    )
    assert "2. kvartal 2026" in message


def test_a_target_may_lie_ahead_a_baseline_may_not(round_, p):
    visits = indicator(round_, "screen_visits")
    recording.set_target(p, visits, D(400), date(2027, 3, 31), actor=None)
    assert db.session.scalar(select(Target.target_date)) == date(2027, 3, 31)
    message = refused_at_date(
        lambda: recording.set_baseline(p, visits, D(100), date(2026, 2, 11), actor=None)
    )
    assert "11.02.2026 ligger efter i dag (10.02.2026)" in message


def test_the_form_says_why_and_keeps_what_was_typed(client, login, make_user, round_, p):
    login(make_user(Role.MUNICIPAL, code=101))
    visits = indicator(round_, "screen_visits")
    prefix = f"m{visits.id}-"
    response = client.post(
        f"/gevinster/deltagelse/{p.id}/indikator/{visits.id}/maaling",
        data={prefix + "on": "2026-05-01", prefix + "value": "1234", prefix + "note": "tidligt"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Målingen for maj 2026 kan ikke registreres endnu: perioden er ikke begyndt" in html
    assert 'value="2026-05-01"' in html and 'value="1234"' in html and 'value="tidligt"' in html
    assert db.session.scalar(select(func.count(Measurement.id))) == 0


FILE = (
    H
    + "101,screen_visits,measurement,2026-01-01,10,\n"  # 2 fine
    + "101,screen_visits,measurement,2026-03-01,10,\n"  # 3 next month
    + "101,punctuality,measurement,2026-04-15,90,\n"  # 4 next quarter
    + "101,screen_visits,target,2027-03-31,400,\n"  # 5 a target ahead is fine
)


def test_the_import_lists_each_future_row_and_stores_nothing(round_):
    db.session.commit()
    with pytest.raises(RowErrors) as info:
        import_figures(FILE, round_, actor=None)
    db.session.rollback()
    errors = dict(info.value.errors)
    assert sorted(errors) == [3, 4]
    assert "målingen for marts 2026 kan ikke registreres endnu" in errors[3]
    assert "målingen for 2. kvartal 2026 kan ikke registreres endnu" in errors[4]
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
    assert db.session.scalar(select(func.count(Target.id))) == 0


def test_the_command_line_refuses_it_too(app, round_, tmp_path):
    db.session.commit()
    path = tmp_path / "future.csv"
    path.write_text(FILE)
    result = app.test_cli_runner().invoke(
        args=["import-measurements", str(path), "--round", round_.slug]
    )
    assert result.exit_code == 1
    assert "linje 3: målingen for marts 2026 kan ikke registreres endnu" in result.output
    assert "Intet er gemt: 2 fejl." in result.output
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
