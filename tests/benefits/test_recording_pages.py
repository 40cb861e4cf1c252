"""The figures pages: who reads and who records, ids of other municipalities, rejected forms
keeping what was typed, and the number of queries."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.models import Baseline, Cost, CostKind, Measurement
from portal.benefits.recording import costs
from portal.db import db
from tests.benefits.helpers import figures_round, indicator, participation_of


@pytest.fixture
def round_():
    return figures_round(codes=(101, 147))


@pytest.fixture
def own(round_):
    return participation_of(round_, 101)


@pytest.fixture
def other(round_):
    return participation_of(round_, 147)


def url(p, rest=""):
    return f"/gevinster/deltagelse/{p.id}{rest}"


def baseline_form(indicator_id, value="120", day="2025-06-01", version="0"):
    prefix = f"b{indicator_id}-"
    return {
        prefix + "value": value,
        prefix + "measured_on": day,
        prefix + "source_note": "Omsorgssystemet",
        prefix + "version": version,
    }


@pytest.mark.parametrize(
    "role, code, reads, writes",
    [
        (Role.MUNICIPAL, 101, 200, 302),
        (Role.MUNICIPAL, 147, 404, 404),  # another municipality's user
        (Role.LEADERSHIP, 101, 200, 403),
        (Role.LEADERSHIP, 147, 404, 403),  # a role that may never record
        (Role.LEADERSHIP, None, 200, 403),  # national leadership
        (Role.COORDINATOR, None, 200, 302),
        # admins run users and the register, not figures (DESIGN's roles)
        (Role.ADMIN, None, 403, 403),
        (Role.REVIEWER, 101, 403, 403),
        (Role.REGIONAL, 101, 200, 403),  # København's region reads, writes nothing
        (Role.REGIONAL, 461, 404, 403),  # another region's consultant (Odense's)
    ],
)
def test_who_reads_and_who_records(
    client, login, make_user, round_, own, role, code, reads, writes
):
    login(make_user(role, code=code))
    assert client.get(url(own)).status_code == reads
    visits = indicator(round_, "screen_visits")
    response = client.post(
        url(own, f"/indikator/{visits.id}/basislinje"), data=baseline_form(visits.id)
    )
    assert response.status_code == writes
    stored = db.session.scalar(select(func.count(Baseline.id)))
    assert stored == (1 if writes == 302 else 0)


def test_the_page_shows_figures_with_units_and_method(client, login, make_user, round_, own):
    visits = indicator(round_, "screen_visits")
    recording.set_baseline(own, visits, D("1234.5"), date(2025, 6, 1), "Omsorg", actor=None)
    recording.record_measurement(own, visits, date(2025, 10, 9), D("1500"), actor=None)
    costs.add_cost(own, CostKind.ONE_OFF, "Licenser", date(2025, 9, 15), D(45000), actor=None)
    db.session.commit()
    login(make_user(Role.LEADERSHIP, code=101))
    html = client.get(url(own)).get_data(as_text=True)
    assert "1.234,5" in html and "besøg pr. måned" in html
    assert "oktober 2025" in html and "Optælling i omsorgssystemet" in html
    assert "45.000 kr." in html and "Licenser" in html
    assert "Gem basislinje" not in html  # leadership reads only
    assert f'href="/gevinster/deltagelse/{own.id}/tal.xlsx"' in html


def test_empty_states(client, login, make_user, own):
    login(make_user(Role.MUNICIPAL, code=101))
    html = client.get(url(own)).get_data(as_text=True)
    assert "Ingen målinger endnu." in html and "Ingen omkostninger registreret." in html


def test_links_from_the_participation_pages(client, login, make_user, own):
    login(make_user(Role.MUNICIPAL, code=101))
    assert url(own) in client.get(f"/deltagere/{own.id}").get_data(as_text=True)
    assert url(own) in client.get("/deltagere/mine").get_data(as_text=True)


def test_a_rejected_form_keeps_what_was_typed(client, login, make_user, round_, own):
    login(make_user(Role.MUNICIPAL, code=101))
    pct = indicator(round_, "punctuality")
    prefix = f"m{pct.id}-"
    response = client.post(
        url(own, f"/indikator/{pct.id}/maaling"),
        data={prefix + "on": "2025-10-01", prefix + "value": "101,5", prefix + "note": "hej"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="101,5"' in html and 'value="hej"' in html
    assert "En procentværdi skal ligge mellem 0 og 100, ikke 101,5." in html
    assert 'aria-invalid="true"' in html and 'class="error-summary"' in html
    response = client.post(
        url(own, f"/indikator/{pct.id}/maaling"),
        data={prefix + "on": "2025-10-01", prefix + "value": "mange"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="mange"' in html
    assert "Skriv et tal" in html
    assert db.session.scalar(select(func.count(Measurement.id))) == 0


def test_danish_numbers_through_the_form(client, login, make_user, round_, own):
    login(make_user(Role.MUNICIPAL, code=101))
    visits = indicator(round_, "screen_visits")
    response = client.post(
        url(own, f"/indikator/{visits.id}/basislinje"),
        data=baseline_form(visits.id, value="1.234,5"),
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Baseline.value)) == D("1234.5")


def test_record_edit_and_delete_a_measurement(client, login, make_user, round_, own):
    login(make_user(Role.MUNICIPAL, code=101))
    visits = indicator(round_, "screen_visits")
    prefix = f"m{visits.id}-"
    response = client.post(
        url(own, f"/indikator/{visits.id}/maaling"),
        data={prefix + "on": "2025-11-20", prefix + "value": "12"},
    )
    assert response.status_code == 302
    m = db.session.scalars(select(Measurement)).one()
    assert m.period == date(2025, 11, 1)
    page = client.get(url(own, f"/maalinger/{m.id}"))
    assert page.status_code == 200 and "november 2025" in page.get_data(as_text=True)
    response = client.post(
        url(own, f"/maalinger/{m.id}"), data={"value": "13,5", "note": "", "version": "1"}
    )
    assert response.status_code == 302
    db.session.refresh(m)
    assert m.value == D("13.5")
    stale = client.post(
        url(own, f"/maalinger/{m.id}"), data={"value": "14", "note": "", "version": "1"}
    )
    assert stale.status_code == 400 and "ændret af en anden" in stale.get_data(as_text=True)
    response = client.post(url(own, f"/maalinger/{m.id}/slet"), data={"version": "2"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Measurement.id))) == 0


def test_costs_owner_and_hourly_cost(client, login, make_user, own):
    login(make_user(Role.MUNICIPAL, code=101))
    response = client.post(
        url(own, "/omkostninger"),
        data={
            "cost-kind": "yearly",
            "cost-category": "Drift",
            "cost-incurred_on": "2026-01-01",
            "cost-amount": "12.500,75",
        },
    )
    assert response.status_code == 302
    cost = db.session.scalars(select(Cost)).one()
    assert cost.kind == CostKind.YEARLY and cost.amount == D("12500.75")
    version = own.version
    response = client.post(
        url(own, "/gevinstejer"),
        data={
            "owner-name": "Hanne Hansen",
            "owner-title": "Ældrechef",
            "owner-version": str(version),
        },
    )
    assert response.status_code == 302
    version += 1
    response = client.post(
        url(own, "/timepris"), data={"hourly-amount": "0", "hourly-version": str(version)}
    )
    assert response.status_code == 400
    assert "Timeprisen skal være over 0" in response.get_data(as_text=True)
    response = client.post(
        url(own, "/timepris"), data={"hourly-amount": "425,50", "hourly-version": str(version)}
    )
    assert response.status_code == 302
    db.session.refresh(own)
    assert own.benefit_owner_name == "Hanne Hansen" and own.hourly_cost_override == D("425.5")
    response = client.post(url(own, f"/omkostninger/{cost.id}/slet"), data={"version": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Cost.id))) == 0


def test_ids_of_another_municipality_answer_404(client, login, make_user, round_, own, other):
    visits = indicator(round_, "screen_visits")
    theirs = recording.record_measurement(other, visits, date(2025, 10, 1), D(5), actor=None)
    their_cost = costs.add_cost(
        other, CostKind.ONE_OFF, "Udstyr", date(2025, 10, 1), D(5), actor=None
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    # Their figure under our participation, and their participation outright.
    assert client.get(url(own, f"/maalinger/{theirs.id}")).status_code == 404
    assert client.post(url(own, f"/maalinger/{theirs.id}/slet")).status_code == 404
    assert client.post(url(own, f"/omkostninger/{their_cost.id}/slet")).status_code == 404
    assert client.get(url(other, f"/maalinger/{theirs.id}")).status_code == 404
    assert client.get(url(other, "/tal.csv")).status_code == 404
    assert client.get(url(other, "/indlaes")).status_code == 404
    foreign = figures_round(codes=())
    their_indicator = indicator(foreign, "screen_visits")
    response = client.post(
        url(own, f"/indikator/{their_indicator.id}/basislinje"),
        data=baseline_form(their_indicator.id),
    )
    assert response.status_code == 404
    assert client.get("/gevinster/deltagelse/99999999999").status_code == 404
    db.session.refresh(theirs)
    assert theirs.value == D(5)


def test_page_queries_do_not_grow_with_measurements(
    client, login, make_user, round_, own, count_queries
):
    login(make_user(Role.MUNICIPAL, code=101))
    visits, km = indicator(round_, "screen_visits"), indicator(round_, "km_driven")
    recording.record_measurement(own, visits, date(2025, 9, 1), D(1), actor=None)
    costs.add_cost(own, CostKind.ONE_OFF, "A", date(2025, 9, 1), D(1), actor=None)
    db.session.commit()
    with count_queries() as few:
        assert client.get(url(own)).status_code == 200
    for month in range(10, 13):
        for ind in (visits, km):
            recording.record_measurement(own, ind, date(2025, month, 1), D(month), actor=None)
        costs.add_cost(own, CostKind.YEARLY, f"C{month}", date(2025, month, 1), D(1), actor=None)
    for month in range(1, 13):
        recording.record_measurement(own, visits, date(2026, month, 1), D(month), actor=None)
    db.session.commit()
    with count_queries() as many:
        html = client.get(url(own)).get_data(as_text=True)
    assert "december 2026" in html
    assert many.count == few.count, many.statements


def test_a_persons_25_000_is_asked_about_but_kroner_read_as_thousands(
    client, login, make_user, round_, own
):
    login(make_user(Role.MUNICIPAL, code=101))
    visits = indicator(round_, "screen_visits")
    prefix = f"m{visits.id}-"
    response = client.post(
        url(own, f"/indikator/{visits.id}/maaling"),
        data={prefix + "on": "2025-11-20", prefix + "value": "25.000"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "kan læses på to måder" in page and 'value="25.000"' in page
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
    response = client.post(
        url(own, "/omkostninger"),
        data={
            "cost-kind": "one_off",
            "cost-category": "Licenser",
            "cost-incurred_on": "2026-01-01",
            "cost-amount": "25.000",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Cost.amount)) == D("25000")


def test_the_indicator_page_asks_in_the_order_the_figures_are_given(
    client, login, make_user, round_, own
):
    """Basislinje, then Målbillede, then Ny måling; a target is "fastsat", never "målt"."""
    visits = indicator(round_, "screen_visits")
    login(make_user(Role.MUNICIPAL, code=101))
    html = client.get(url(own, f"/indikator/{visits.id}")).get_data(as_text=True)
    order = [html.index(f'id="{h}-h"') for h in ("baseline", "target", "measurement")]
    assert order == sorted(order)
    assert "Angiv basislinje og målbillede først" in html
    target = html[html.index('id="target-h"') : html.index('id="measurement-h"')]
    assert ">Fastsat</option>" in target and ">Målt</option>" not in target
    baseline = html[html.index('id="baseline-h"') : html.index('id="target-h"')]
    assert ">Målt</option>" in baseline


def test_a_quality_mark_reads_and_copies_as_it_looks_with_its_legend_beside_it(
    client, login, make_user, round_, own
):
    """ "152,5 (f)" with the meaning in a visible legend, not a superscript "ᶠ" whose meaning
    sits in a hidden span (copied as "152,5f")."""
    from portal.benefits.models import Quality

    visits = indicator(round_, "screen_visits")
    recording.record_measurement(
        own, visits, date(2025, 10, 9), D("152.5"), actor=None, quality=Quality.PROVISIONAL
    )
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    for path in ("", f"/indikator/{visits.id}"):
        html = client.get(url(own, path)).get_data(as_text=True)
        assert ' <abbr class="quality" title="foreløbig">(f)</abbr>' in html
        assert "<sup" not in html
        assert "Kvalitet: (s) skønnet, (f) foreløbig, (r) revideret (brud i serien);" in html
