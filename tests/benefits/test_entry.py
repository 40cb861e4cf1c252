"""Entering figures ("Indtast tal"): what is due per indicator, the menu entry, the overview
and one indicator's page with its forms."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.models import Baseline
from portal.benefits.recording.entry import due_periods, entry_overview
from portal.benefits.recording.figures import participation_figures
from portal.db import db
from tests.benefits.helpers import figures_round, indicator, participation_of


@pytest.fixture
def round_():
    return figures_round(codes=(101, 147))


@pytest.fixture
def own(round_):
    return participation_of(round_, 101)


def figures_for(participation, key):
    return participation_figures(participation).for_indicator(key)


def test_due_are_the_ended_periods_without_a_measurement(round_, own):
    visits = indicator(round_, "screen_visits")
    recording.record_measurement(own, visits, date(2025, 10, 5), D(3), actor=None)
    due = due_periods(figures_for(own, "screen_visits"), round_, date(2026, 1, 15))
    # September, November, December 2025; October is measured, January 2026 not over yet
    assert due == [date(2025, 9, 1), date(2025, 11, 1), date(2025, 12, 1)]


def test_due_follows_the_frequency_and_stops_at_the_round_end(round_, own):
    quarterly = due_periods(figures_for(own, "punctuality"), round_, date(2026, 4, 1))
    assert quarterly == [date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)]
    yearly = due_periods(figures_for(own, "satisfaction"), round_, date(2030, 1, 1))
    assert yearly == [date(2025, 1, 1), date(2026, 1, 1), date(2027, 1, 1)]
    monthly = due_periods(figures_for(own, "screen_visits"), round_, date(2030, 1, 1))
    assert monthly[0] == date(2025, 9, 1) and monthly[-1] == date(2027, 3, 1)
    assert due_periods(figures_for(own, "screen_visits"), round_, date(2025, 9, 30)) == []


def test_nothing_is_due_before_the_baseline(round_, own):
    visits = indicator(round_, "screen_visits")
    recording.set_baseline(own, visits, D(10), date(2025, 11, 20), "", actor=None)
    due = due_periods(figures_for(own, "screen_visits"), round_, date(2026, 1, 2))
    assert due == [date(2025, 11, 1), date(2025, 12, 1)]


def test_the_overview_says_what_is_missing(round_, own):
    visits = indicator(round_, "screen_visits")
    recording.set_baseline(own, visits, D(10), date(2025, 8, 1), "", actor=None)
    (first, *rest) = entry_overview([own], date(2025, 11, 2))[own.id]
    assert first.indicator == visits and not first.missing_baseline and first.missing_target
    assert first.due == [date(2025, 9, 1), date(2025, 10, 1)]
    assert all(item.missing_baseline and item.anything_due for item in rest)


def test_the_menu_leads_a_project_lead_to_entering_figures(client, login, make_user, own):
    login(make_user(Role.MUNICIPAL, code=101))
    home = client.get("/").get_data(as_text=True)
    assert 'href="/gevinster/indtast"' in home and "Indtast tal" in home
    page = client.get("/gevinster/indtast").get_data(as_text=True)
    visits = indicator(own.round, "screen_visits")
    assert f'href="/gevinster/deltagelse/{own.id}/indikator/{visits.id}"' in page
    assert "perioder mangler: september 2025, oktober 2025, november 2025 …" in page
    assert "Gem basislinje" not in page  # not every form at once


@pytest.mark.parametrize("role, code", [(Role.LEADERSHIP, 101), (Role.COORDINATOR, None)])
def test_readers_and_coordinators_have_no_entry_menu(client, login, make_user, own, role, code):
    login(make_user(role, code=code))
    assert 'href="/gevinster/indtast"' not in client.get("/").get_data(as_text=True)
    assert client.get("/gevinster/indtast").status_code == 403


def test_the_indicator_page_records_and_comes_back(client, login, make_user, round_, own):
    login(make_user(Role.MUNICIPAL, code=101))
    visits = indicator(round_, "screen_visits")
    page_url = f"/gevinster/deltagelse/{own.id}/indikator/{visits.id}"
    html = client.get(page_url).get_data(as_text=True)
    assert "Gem basislinje" in html and "Gem målbillede" in html and "Gem måling" in html
    assert (
        f'id="m{visits.id}-on" name="m{visits.id}-on" required type="date" value="2025-09-01"'
        in html
    )
    prefix = f"b{visits.id}-"
    rejected = client.post(
        f"{page_url}/basislinje",
        data={prefix + "value": "mange", prefix + "measured_on": "", prefix + "version": "0"},
    )
    assert rejected.status_code == 400
    html = rejected.get_data(as_text=True)
    summary = html[html.index('class="error-summary"') :]
    assert summary.index(f'href="#{prefix}value"') < summary.index("Gem basislinje")
    assert f'href="#{prefix}measured_on"' in summary and 'value="mange"' in html
    saved = client.post(
        f"{page_url}/basislinje",
        data={
            prefix + "value": "433,3",
            prefix + "measured_on": "2025-08-01",
            prefix + "version": "0",
        },
    )
    assert saved.status_code == 302 and saved.location.endswith(page_url)
    assert db.session.scalar(select(func.count(Baseline.id))) == 1
    html = client.get(page_url).get_data(as_text=True)
    assert 'value="433,3"' in html  # Danish, without the stored trailing zeros


def test_another_municipalitys_indicator_page_is_404(client, login, make_user, round_):
    other = participation_of(round_, 147)
    login(make_user(Role.MUNICIPAL, code=101))
    visits = indicator(round_, "screen_visits")
    assert client.get(f"/gevinster/deltagelse/{other.id}/indikator/{visits.id}").status_code == 404
    foreign = indicator(figures_round(codes=()), "screen_visits")
    own = participation_of(round_, 101)
    assert client.get(f"/gevinster/deltagelse/{own.id}/indikator/{foreign.id}").status_code == 404


def test_the_figures_page_shows_the_latest_three_and_links_to_all(
    client, login, make_user, round_, own
):
    visits = indicator(round_, "screen_visits")
    for month in (9, 10, 11, 12):
        recording.record_measurement(own, visits, date(2025, month, 1), D(month), actor=None)
    db.session.commit()
    login(make_user(Role.LEADERSHIP, code=101))
    html = client.get(f"/gevinster/deltagelse/{own.id}").get_data(as_text=True)
    assert "<td>december 2025</td>" in html and "<td>oktober 2025</td>" in html
    assert "<td>september 2025</td>" not in html
    assert "Se alle 4 målinger" in html
    page = client.get(f"/gevinster/deltagelse/{own.id}/indikator/{visits.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<td>september 2025</td>" in html
    assert "Gem måling" not in html and "Slet" not in html  # leadership reads only


def test_entering_figures_in_english(client, login, make_user, own):
    login(make_user(Role.MUNICIPAL, code=101))
    client.post("/sprog", data={"lang": "en"})
    page = client.get("/gevinster/indtast").get_data(as_text=True)
    assert "Enter figures" in page and "periods missing: September 2025" in page
