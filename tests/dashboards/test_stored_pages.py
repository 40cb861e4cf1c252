"""Pages over the stored results: a reload of an unchanged dashboard is a 304, a change
through a service shows at once, and the months have their own page."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.models import CostKind
from portal.benefits.recording import costs
from portal.db import db, utcnow
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.models import ReportingRequirement
from portal.reporting.schedule import ensure_schedules
from tests.conftest import PASSWORD
from tests.dashboards.helpers import key_of, two_municipalities


@pytest.fixture
def case():
    return two_municipalities()


def test_an_unchanged_dashboard_is_a_304_and_a_change_is_a_new_page(client, make_user, login, case):
    round_, _community, kbh, _frb = case
    ensure_schedules(round_)  # reports due, shown on the dashboard
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    url = f"/oversigt/deltagelse/{kbh.id}"
    first = client.get(url)
    assert "Det skal I aflevere" in first.get_data(as_text=True)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    assert first.headers["Cache-Control"] == "private, no-cache"
    db.session.expunge_all()  # a new request loads new objects, as in another process
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    kbh, round_ = db.session.get(Participation, kbh.id), db.session.get(Round, round_.id)
    recording.record_measurement(
        kbh, key_of(round_, "screen_visits"), date(2025, 12, 1), D(100), actor=None
    )
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "100 %" in changed.get_data(as_text=True)  # at the target now


def _due(page) -> str:
    """The dashboard's "Det skal I aflevere" section ("" when nothing is due)."""
    text = page.get_data(as_text=True)
    if 'id="due-h"' not in text:
        return ""
    section = text[text.index('id="due-h"') :]
    return section[: section.index("</section>")]


def test_reports_due_follow_the_figures_they_lack_and_their_items(client, make_user, login, case):
    """The dashboard's version reads the stored results' version and the items' versions,
    not the items: a baseline or target set, or a report delivered, still shows at once."""
    round_, _community, kbh, _frb = case
    ensure_schedules(round_)
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    url = f"/oversigt/deltagelse/{kbh.id}"
    first = client.get(url)
    assert "Basislinje og målbillede" in _due(first)  # København lacks figures
    assert "Statusrapport" in _due(first)
    for indicator in round_.programme.indicators:  # every baseline and target, by the service
        if indicator.key != "screen_visits":
            recording.set_baseline(kbh, indicator, D(1), date(2025, 8, 15), actor=None, version=0)
            recording.set_target(kbh, indicator, D(2), date(2026, 8, 31), actor=None, version=0)
    db.session.commit()
    complete = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert complete.status_code == 200
    assert "Basislinje og målbillede" not in _due(complete)
    assert "Statusrapport" in _due(complete)
    for item in db.session.scalars(
        select(ReportingRequirement).where(ReportingRequirement.participation_id == kbh.id)
    ):  # delivered, or not due before long
        item.submitted_at = utcnow()
        item.due_on = date(2099, 1, 1)
    db.session.commit()
    assert _due(client.get(url)) == ""


def test_another_user_never_gets_a_304_for_someone_elses_page(client, make_user, login, case):
    _round, _community, kbh, _frb = case
    login(make_user(Role.MUNICIPAL, code=101))
    etag = client.get(f"/oversigt/deltagelse/{kbh.id}").headers["ETag"]
    client.post("/logout")
    login(make_user(Role.COORDINATOR))
    response = client.get(f"/oversigt/deltagelse/{kbh.id}", headers={"If-None-Match": etag})
    assert response.status_code == 200


def test_a_change_through_a_service_shows_on_the_national_view(client, make_user, login, case):
    round_, _community, _kbh, frb = case
    login(make_user(Role.COORDINATOR))
    assert "24.900 kr." in client.get(f"/oversigt/forloeb/{round_.slug}").get_data(as_text=True)
    recording.record_measurement(
        frb, key_of(round_, "km_avoided"), date(2025, 11, 1), D(100), actor=None
    )  # 100 km × 4 kr. more, less November's 100 kr. of the yearly cost
    db.session.commit()
    html = client.get(f"/oversigt/forloeb/{round_.slug}").get_data(as_text=True)
    assert "25.200 kr." in html


def test_the_months_have_their_own_page(client, make_user, login, case):
    _round, _community, kbh, _frb = case
    login(make_user(Role.MUNICIPAL, code=101))
    dashboard = client.get(f"/oversigt/deltagelse/{kbh.id}").get_data(as_text=True)
    assert f"/oversigt/deltagelse/{kbh.id}/maaned-for-maaned" in dashboard
    html = client.get(f"/oversigt/deltagelse/{kbh.id}/maaned-for-maaned").get_data(as_text=True)
    assert "september 2025" in html and "november 2025" in html
    assert "8.300 kr." in html and "18.700 kr." in html  # cumulative net in Oct and Nov
    assert "Linje time_screen_visits: 20" in html  # September: 40 visits × 30 min = 20 hours
    assert "Sådan er det beregnet" in html
    client.post("/logout")
    login(make_user(Role.MUNICIPAL, code=147))
    assert client.get(f"/oversigt/deltagelse/{kbh.id}/maaned-for-maaned").status_code == 404


def test_the_national_view_is_a_304_until_its_results_change(client, make_user, login, case):
    round_, _community, kbh, _frb = case
    login(make_user(Role.COORDINATOR))
    url = f"/oversigt/forloeb/{round_.slug}"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    costs.add_cost(kbh, CostKind.ONE_OFF, "Udstyr", date(2025, 10, 2), D(700), actor=None)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "24.200 kr." in changed.get_data(as_text=True)  # the round's net, 700 kr. less


def _token(page: str) -> str:
    """The form token of the login form or of a page's logout form."""
    found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)
    return found.group(1)


def test_a_page_draws_only_its_frame_again_and_its_form_token_stays_good(
    app, client, make_user, login, case
):
    """An unchanged dashboard read again without ``If-None-Match`` draws the page around its
    kept sections (nothing of them); a waiting message shows; the logout form of any page
    works; another session gets its own form token."""
    from flask import template_rendered

    _round, _community, kbh, _frb = case
    url = f"/oversigt/deltagelse/{kbh.id}"
    drawn = []

    def record(_app, template, context):
        drawn.append(template.name)

    template_rendered.connect(record, app)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/login").get_data(as_text=True)
        user = make_user(Role.MUNICIPAL, code=101)
        client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": _token(page)}
        )
        first = client.get(url).get_data(as_text=True)
        assert "dashboards/_participation_body.html" in drawn
        drawn.clear()
        again = client.get(url).get_data(as_text=True)
        assert drawn == ["dashboards/participation.html"] and again == first
        with client.session_transaction() as session:
            session["_flashes"] = [("success", "Gemt.")]
        flashed = client.get(url).get_data(as_text=True)
        assert "Gemt." in flashed
        assert client.post("/logout", data={"csrf_token": _token(again)}).status_code == 302
        page = client.get("/login").get_data(as_text=True)
        client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": _token(page)}
        )
        other = client.get(url).get_data(as_text=True)
        assert _token(other) != _token(first)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
        template_rendered.disconnect(record, app)


def test_a_renamed_municipality_shows_on_the_cached_national_view(client, make_user, login, case):
    """The register renames a municipality: the stored results of its participations move
    on, so the national view (cached by their version) shows the new name at once."""
    from portal.municipalities.services import import_register

    round_, _community, _kbh, _frb = case
    login(make_user(Role.COORDINATOR))
    url = f"/oversigt/forloeb/{round_.slug}"
    first = client.get(url)
    assert "Frederiksberg" in first.get_data(as_text=True)
    import_register("code,name,region\n147,Frederiksberg By,Hovedstaden\n")
    db.session.commit()
    renamed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert renamed.status_code == 200
    assert "Frederiksberg By" in renamed.get_data(as_text=True)
