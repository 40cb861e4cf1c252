"""Formulas checked where programmes are defined: the file loader (and so ``portal seed``)
and the coordinator's benefit-line pages."""

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.errors import RowErrors
from portal.programmes.loading import load_programme_file, load_shipped_programmes
from portal.programmes.models import BenefitLine, Indicator, Programme

FILE = """\
slug = "sensor"
name = { da = "Sensorteknologi" }

[[indicators]]
key = "night_visits"
name = { da = "Natlige tilsyn" }
direction = "lower"
frequency = "monthly"
block = "time_economy"

[[benefits]]
key = "night_time"
name = { da = "Sparet tid om natten" }
kind = "hours"
formula = "(baseline.night_visits - night_visits) * minutes_per_visit / 60"

[[rounds]]
slug = "sensor-2027"
name = { da = "Sensorer 2027" }
opens = 2027-01-01
deadline = 2027-03-01T12:00:00
period_start = 2027-04-01
period_end = 2028-09-30
lead_grant = 900000
participant_pool = 2000000
community_size = [3, 5]
[rounds.parameters]
annual_cost = 450000
annual_hours = 1924
minutes_per_visit = 12
"""
FORMULA_LINE = 15


def stored():
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Programme, Indicator, BenefitLine)
    )


def refused(text):
    before = stored()
    with pytest.raises(RowErrors) as info:
        load_programme_file(text)
    db.session.rollback()
    assert stored() == before
    return info.value.errors


def test_a_file_with_good_formulas_loads():
    result = load_programme_file(FILE)
    assert [b.formula for b in result.programme.benefits] == [
        "(baseline.night_visits - night_visits) * minutes_per_visit / 60"
    ]


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("night_visits * minutes_per_vist", "ukendt navn 'minutes_per_vist'"),
        ("baseline.night - night_visits", "ukendt indikator 'night' i baseline.night"),
        ("(night_visits * 2", "syntaksfejl ved tegn 1: en '(' er ikke lukket"),
        (
            "night_visits.__class__",
            "'night_visits.__class__' er ikke tilladt; punktum bruges kun i baseline.NØGLE",
        ),
        ("pow(night_visits, 2)", "funktionen 'pow' er ikke tilladt"),
        ("night_visits ** 2", "potensopløftning (**) er ikke tilladt"),
    ],
)
def test_a_bad_formula_is_refused_with_key_line_and_reason(formula, reason):
    text = FILE.replace(
        '"(baseline.night_visits - night_visits) * minutes_per_visit / 60"', repr(formula)
    )
    errors = refused(text)
    assert errors == [(FORMULA_LINE, f"gevinstlinje 'night_time': formlen: {reason}")]


def test_a_parameter_of_any_round_and_hourly_cost_are_known():
    second_round = FILE.replace("minutes_per_visit = 12\n", "") + (
        FILE[FILE.index("[[rounds]]") :].replace("sensor-2027", "sensor-2028")
    )
    with_hourly = second_round.replace(
        "* minutes_per_visit / 60", "* minutes_per_visit / 60 * hourly_cost / hourly_cost"
    )
    assert load_programme_file(with_hourly).programme.benefits


def test_parameters_of_the_programmes_stored_rounds_are_known():
    load_programme_file(FILE)
    db.session.commit()
    without_rounds = FILE[: FILE.index("[[rounds]]")]
    assert load_programme_file(without_rounds).benefits == 1
    other = without_rounds.replace('slug = "sensor"', 'slug = "sensor-two"', 1)
    errors = refused(other)
    assert any("ukendt navn 'minutes_per_visit'" in reason for _, reason in errors)


def test_removing_an_indicator_a_formula_reads_is_refused():
    load_programme_file(FILE)
    db.session.commit()
    errors = refused(FILE.replace('key = "night_visits"', 'key = "night_checks"'))
    assert (
        FORMULA_LINE,
        "gevinstlinje 'night_time': formlen: ukendt navn 'night_visits'",
    ) in errors


def test_cli_refuses_a_bad_formula_with_its_line(app, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(FILE.replace("minutes_per_visit / 60", "minutes / 60"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["programme", "load", str(bad)])
    assert result.exit_code == 1
    assert (
        f"linje {FORMULA_LINE}: gevinstlinje 'night_time': formlen: ukendt navn 'minutes'"
        in result.output
    )
    assert "Intet er gemt" in result.output


def test_seed_checks_the_shipped_formulas(app):
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(BenefitLine)) >= 9


# --- the benefit-line pages -------------------------------------------------------------

BASE = "/indsatser/ruteplanlaegning/gevinster"


@pytest.fixture
def route():
    load_shipped_programmes()
    db.session.commit()
    return db.session.scalar(select(Programme).where(Programme.slug == "ruteplanlaegning"))


@pytest.fixture
def coordinator(make_user, login):
    user = make_user(Role.COORDINATOR)
    login(user)
    return user


def form(programme, **overrides):
    data = {
        "key": "temp_time",
        "name_da": "Sparede vikartimer",
        "name_en": "Temp hours saved",
        "kind": "hours",
        "formula": "baseline.temp_hours - temp_hours",
        "version": str(programme.version),
    }
    return {**data, **overrides}


def test_coordinator_adds_edits_and_deletes_a_benefit_line(client, coordinator, route):
    page = client.get(f"{BASE}/ny").get_data(as_text=True)
    assert "<code>planning_hours</code>" in page and "<code>km_rate</code>" in page
    assert "<code>hourly_cost</code>" in page
    assert client.post(f"{BASE}/ny", data=form(route)).status_code == 302
    line = db.session.scalar(select(BenefitLine).where(BenefitLine.key == "temp_time"))
    assert line.programme_id == route.id and line.position == 3
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "benefit_line_saved"))
    assert created.details["changes"]["formula"] == [None, "baseline.temp_hours - temp_hours"]
    detail = client.get("/indsatser/ruteplanlaegning").get_data(as_text=True)
    assert f"/indsatser/ruteplanlaegning/gevinster/{line.id}" in detail

    db.session.refresh(route)
    edited = form(
        route,
        key="sneaky",
        kind="kroner",
        formula="(baseline.temp_hours - temp_hours) * hourly_cost",
    )
    assert client.post(f"{BASE}/{line.id}", data=edited).status_code == 302
    db.session.refresh(line)
    assert (line.key, line.kind.value) == ("temp_time", "kroner")
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "benefit_line_saved")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.details["changes"]["formula"] == [
        "baseline.temp_hours - temp_hours",
        "(baseline.temp_hours - temp_hours) * hourly_cost",
    ]
    assert event.details["changes"]["kind"] == ["hours", "kroner"]

    db.session.refresh(route)
    deleted = client.post(f"{BASE}/{line.id}/slet", data={"version": str(route.version)})
    assert deleted.status_code == 302
    assert db.session.get(BenefitLine, line.id) is None
    gone = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "benefit_line_deleted"))
    assert gone.details["before"]["formula"] == "(baseline.temp_hours - temp_hours) * hourly_cost"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"formula": "temp_hours * foo"}, "formula", "ukendt navn &#39;foo&#39;"),
        ({"formula": "temp_hours ** 2"}, "formula", "potensopløftning (**) er ikke tilladt"),
        ({"formula": "(temp_hours"}, "formula", "syntaksfejl ved tegn 1"),
        ({"formula": ""}, "formula", "Angiv en formel."),
        ({"formula": "temp_hours + " * 60 + "1"}, "formula", "Formlen må højst være 500 tegn."),
        ({"key": "planning_time"}, "key", "Der findes allerede en gevinstlinje med denne nøgle."),
        ({"key": "Tid"}, "key", "Nøglen skal starte med et bogstav"),
        ({"name_da": ""}, "name_da", "Angiv et dansk navn."),
    ],
)
def test_refusals_at_the_field_keep_what_was_typed(
    client, coordinator, route, overrides, field, message
):
    data = form(route, **overrides)
    response = client.post(f"{BASE}/ny", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page.split(f'id="{field}-error"')[1].split("</p>")[0]
    if data["formula"]:
        assert data["formula"].replace("'", "&#39;") in page  # what was typed is kept
    assert db.session.scalar(select(BenefitLine).where(BenefitLine.key == "temp_time")) is None


def test_a_stale_form_is_a_conflict(client, coordinator, route):
    line = route.benefits[0]
    stale = str(route.version)
    assert client.post(f"{BASE}/{line.id}", data=form(route, name_da="Første")).status_code == 302
    response = client.post(f"{BASE}/{line.id}", data=form(route, name_da="Anden", version=stale))
    assert response.status_code == 200
    assert "ændret af en anden" in response.get_data(as_text=True)
    db.session.refresh(line)
    assert line.name_da == "Første"


def test_an_indicator_a_formula_uses_cannot_be_deleted(client, coordinator, route):
    indicator = next(i for i in route.indicators if i.key == "km_driven")
    response = client.post(
        f"/indsatser/ruteplanlaegning/indikatorer/{indicator.id}/slet",
        data={"version": str(route.version)},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert (
        "Indikatoren km_driven kan ikke slettes: formlen for gevinstlinjen km_savings bruger den."
        in page
    )
    assert db.session.get(Indicator, indicator.id) is not None
    unused = next(i for i in route.indicators if i.key == "continuity")
    db.session.refresh(route)
    client.post(
        f"/indsatser/ruteplanlaegning/indikatorer/{unused.id}/slet",
        data={"version": str(route.version)},
    )
    assert db.session.get(Indicator, unused.id) is None


def test_a_line_of_another_programme_is_404(client, coordinator, route):
    other = db.session.scalar(select(Programme).where(Programme.slug == "skaermbesoeg")).benefits[0]
    assert client.get(f"{BASE}/{other.id}").status_code == 404
    assert client.post(f"{BASE}/{other.id}/slet", data={}).status_code == 404
    assert db.session.get(BenefitLine, other.id) is not None


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.MUNICIPAL, 751), (Role.REVIEWER, None), (Role.LEADERSHIP, 461), (Role.ADMIN, None)],
)
def test_only_coordinators_edit_benefit_lines(client, make_user, login, route, role, code):
    login(make_user(role, code=code))
    line = route.benefits[0]
    for url in (f"{BASE}/ny", f"{BASE}/{line.id}"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=form(route)).status_code == 403, url
    assert (
        client.post(f"{BASE}/{line.id}/slet", data={"version": str(route.version)}).status_code
        == 403
    )
    assert db.session.get(BenefitLine, line.id) is not None
    detail = client.get("/indsatser/ruteplanlaegning").get_data(as_text=True)
    assert "gevinster/ny" not in detail and "/slet" not in detail
    assert "(baseline.km_driven - km_driven) * km_rate" in detail


def test_anonymous_is_sent_to_login(client, route):
    response = client.get(f"{BASE}/ny")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
