"""A save redraws only what it changed: a municipality's dashboard rests on its own figures
(its sections and charts, drawn once per version of them) and on the round's medians (a
few table rows filled in on every view). A neighbour's save moves the medians and the page's
ETag, never a redraw of my own sections; my own save redraws them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest
from flask import template_rendered

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.display import charts
from portal.db import db
from portal.participations.models import Participation
from tests.dashboards.helpers import baseline, key_of, measure, screen_round, stored, target
from tests.participations.helpers import participation

AARHUS, ODENSE, KOBENHAVN = 751, 461, 101


@pytest.fixture
def round_with_three():
    round_ = screen_round()
    made = {}
    for code, first in ((AARHUS, 20), (ODENSE, 30), (KOBENHAVN, 40)):
        p = made[code] = participation(round_, code)
        baseline(p, "screen_visits", 0, date(2025, 8, 15))
        target(p, "screen_visits", 100, date(2026, 8, 31))
        measure(p, "screen_visits", [first - 10, first])
    stored()
    db.session.commit()
    return round_, made


@pytest.fixture
def draws(app, monkeypatch):
    """The templates drawn and the charts drawn, by name, while a test runs."""
    drawn = []
    chart = charts.indicator_chart

    def counted_chart(*args, **kwargs):
        drawn.append("chart")
        return chart(*args, **kwargs)

    def record(_app, template, context):
        drawn.append(template.name)

    monkeypatch.setattr(charts, "indicator_chart", counted_chart)
    template_rendered.connect(record, app)
    yield drawn
    template_rendered.disconnect(record, app)


def _round_median(html: str) -> str:
    """The round's median of the latest screen visits, as the first indicator's table says."""
    return re.search(r"Median i forløbet</th><td class=\"num\">([^<]+)<", html)[1]


def _content(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"Median i forløbet</th>.*?</tr>", "", main)


def _save(p: Participation, round_, month: date, value: int) -> None:
    p = db.session.get(Participation, p.id)
    key = key_of(db.session.get(type(round_), round_.id), "screen_visits")
    recording.record_measurement(p, key, month, D(value), actor=None)
    db.session.commit()


def test_after_aarhus_saves_odenses_own_sections_are_not_drawn_again(
    client, make_user, login, round_with_three, draws
):
    round_, made = round_with_three
    login(make_user(Role.MUNICIPAL, code=ODENSE))
    url = f"/oversigt/deltagelse/{made[ODENSE].id}"
    first = client.get(url)
    html = first.get_data(as_text=True)
    assert "dashboards/_participation_body.html" in draws and "chart" in draws
    assert _round_median(html) == "30"  # of 20, 30 and 40
    draws.clear()
    db.session.expunge_all()  # the next request loads its objects afresh, as another process

    _save(made[AARHUS], round_, date(2025, 11, 1), 90)  # Aarhus: 20 → 90
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    text = after.get_data(as_text=True)
    assert _round_median(text) == "40"  # of 30, 40 and 90: the medians moved
    assert "dashboards/participation.html" in draws  # the page around them
    assert "dashboards/_participation_body.html" not in draws and "chart" not in draws
    assert _content(text) == _content(html)  # and nothing but the medians changed

    draws.clear()
    _save(made[ODENSE], round_, date(2025, 11, 1), 60)  # Odense's own figures: drawn again
    own = client.get(url).get_data(as_text=True)
    assert "dashboards/_participation_body.html" in draws and "chart" in draws
    assert _round_median(own) == "60"  # of 40, 60 and 90


def test_a_neighbours_save_draws_the_medians_once_for_the_whole_round(
    client, make_user, login, round_with_three, monkeypatch
):
    """The round's medians of one results version are worked out once and shared by every
    municipality's dashboard of the round."""
    from portal.dashboards import services

    round_, made = round_with_three
    worked = []
    original = services._round_medians
    monkeypatch.setattr(services, "_round_medians", lambda r: worked.append(r) or original(r))
    for code in (ODENSE, KOBENHAVN):
        login(make_user(Role.MUNICIPAL, code=code))
        assert client.get(f"/oversigt/deltagelse/{made[code].id}").status_code == 200
        client.post("/logout")
    assert worked == [round_.id]


def test_drawn_before_the_reader_comes_the_page_draws_only_its_frame(
    app, client, make_user, login, round_with_three, draws
):
    _round, made = round_with_three
    runner = app.test_cli_runner()
    result = runner.invoke(args=["dashboards", "draw"])
    assert result.exit_code == 0 and "3 dashboards drawn" in result.output
    assert draws.count("dashboards/_participation_body.html") == 3
    assert runner.invoke(args=["dashboards", "draw"]).output.startswith("0 dashboards")
    draws.clear()
    login(make_user(Role.MUNICIPAL, code=ODENSE))
    html = client.get(f"/oversigt/deltagelse/{made[ODENSE].id}").get_data(as_text=True)
    assert "dashboards/_participation_body.html" not in draws and "chart" not in draws
    assert _round_median(html) == "30" and html.count("<svg") == 4
    assert "Hele forløbet" not in html  # a municipal reader has no national view
    draws.clear()
    client.post("/logout")
    login(make_user(Role.COORDINATOR))
    national = client.get(f"/oversigt/deltagelse/{made[ODENSE].id}").get_data(as_text=True)
    assert "Hele forløbet" in national  # drawn for a reader with the link
    assert "dashboards/_participation_body.html" in draws


def test_the_worker_draws_what_changed_and_only_that(app, round_with_three, draws):
    from portal.dashboards.tasks import draw_dashboards

    round_, made = round_with_three
    assert draw_dashboards.call_local() == 3
    assert draw_dashboards.call_local() == 0  # nothing changed: nothing drawn
    _save(made[AARHUS], round_, date(2025, 11, 1), 90)
    assert draw_dashboards.call_local(round_.id) == 1  # Aarhus's own; the others keep theirs
