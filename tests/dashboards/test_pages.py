"""The dashboard pages: what each role sees, the "< 5" rule, charts with their tables."""

import re
import xml.dom.minidom

import pytest

from portal.auth.models import Role
from portal.db import db
from portal.participations.models import Community
from tests.dashboards.helpers import screen_round, two_municipalities
from tests.participations.helpers import participation


@pytest.fixture
def case():
    return two_municipalities()


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_municipal_dashboard_shows_benefits_progress_and_how_they_are_computed(
    client, make_user, login, case
):
    round_, community, kbh, frb = case
    login(make_user(Role.MUNICIPAL, code=101))
    html = page(client, f"/oversigt/deltagelse/{kbh.id}")
    assert "Gevinster og fremdrift · København" in html
    assert (
        "18.700 kr." in html and "23.700 kr." in html and "5.000 kr." in html
    )  # net, gross, costs
    assert "0,06" in html  # FTE over 12 months, 0,05625 to two decimals
    assert "Sådan er det beregnet" in html and "<p>Gevinst, brutto − omkostninger" in html
    assert "<p>Lønomkostning for et årsværk ÷ arbejdstimer i et årsværk" in html
    assert "<td>Screen visits × minutes saved ÷ 60</td>" in html  # the line's formula
    assert "På sporet" in html and "80 %" in html  # screen visits: 0,8 of the way
    assert "Forventes at nå målet" in html
    assert "Median i fællesskabet" in html and "Median i forløbet" in html
    # Its own small counts are exact on its own dashboard.
    table = html.split('id="ind-citizens_screen"')[1].split("</table>")[0]
    assert "&lt; 5" not in table and ">3<" in table
    # Missing values are flagged: km has no baseline/target, citizens lack nothing for
    # benefits; the km line is complete, so there is no flag section.
    assert "Manglende værdier" not in html
    assert "Basislinjen mangler." in html


def test_missing_values_are_flagged_on_the_dashboard(client, make_user, login):
    round_ = screen_round(parameters={"annual_cost": "400000", "annual_hours": "1600"})
    p = participation(round_, 101)
    from tests.dashboards.helpers import measure

    measure(p, "screen_visits", [10])
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    html = page(client, f"/oversigt/deltagelse/{p.id}")
    assert "Manglende værdier" in html and "mangler værdi for minutes saved" in html


def test_empty_dashboard_says_so(client, make_user, login):
    round_ = screen_round()
    p = participation(round_, 101)
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    html = page(client, f"/oversigt/deltagelse/{p.id}")
    assert "Der er ingen målinger eller omkostninger endnu" in html
    assert "Mangler data" in html


def section(html, key):
    """The table of one indicator's section (after its chart)."""
    part = html.split(f'id="ind-{key}"')[1].split("</section>")[0]
    return part.split("<table")[-1] if "<table" in part else ""


def _svgs(html):
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


def test_charts_are_accessible_svg_with_a_table_next_to_them(client, make_user, login, case):
    round_, community, kbh, frb = case
    login(make_user(Role.COORDINATOR))
    for url in (
        f"/oversigt/deltagelse/{kbh.id}",
        f"/oversigt/faellesskab/{community.id}",
        f"/oversigt/forloeb/{round_.slug}",
    ):
        html = page(client, url)
        svgs = _svgs(html)
        assert svgs, url
        ids = []
        for svg in svgs:
            doc = xml.dom.minidom.parseString(svg)  # well-formed
            root = doc.documentElement
            assert root.getAttribute("role") == "img" and root.getAttribute("aria-label")
            assert root.getElementsByTagName("title")[0].firstChild.data
            ids += [
                e.getAttribute("id") for e in doc.getElementsByTagName("*") if e.getAttribute("id")
            ]
            assert "<?xml" not in svg and "<text" in svg  # text stays text
        assert len(ids) == len(set(ids)), "charts on one page share no id"
        for svg in svgs:  # a table follows every chart
            after = html.split(svg, 1)[1]
            assert after.lstrip().startswith(("<table", "<details", '<div class="table-box"')), url


def test_chart_axes_are_danish():
    from datetime import date
    from decimal import Decimal as D

    from portal.benefits.display import charts

    svg = charts.indicator_chart(
        "Besøg",
        [(date(2026, 1, 1), D(1500)), (date(2026, 2, 1), D(2500))],
        baseline=(date(2025, 12, 1), D(1000)),
        target=(date(2026, 6, 30), D(3000)),
    )
    assert "jan. 2026" in svg and "2.000" in svg


def test_small_counts_are_suppressed_for_other_municipalities(client, make_user, login, case):
    round_, community, kbh, frb = case
    # København sees its own 3 citizens, Frederiksberg's 12, and nothing of 1–4 of others.
    login(make_user(Role.MUNICIPAL, code=101))
    html = page(client, f"/oversigt/faellesskab/{community.id}")
    table = section(html, "citizens_screen")
    kbh_row = table.split("København")[1].split("</tr>")[0]
    frb_row = table.split("Frederiksberg")[1].split("</tr>")[0]
    assert ">3<" in kbh_row and "&lt; 5" not in kbh_row
    assert ">12<" in frb_row
    client.post("/logout")
    # Frederiksberg's own latest is 12; København's 3 is shown as "< 5".
    login(make_user(Role.LEADERSHIP, code=147))
    html = page(client, f"/oversigt/faellesskab/{community.id}")
    table = section(html, "citizens_screen")
    assert "&lt; 5" in table.split("København")[1].split("</tr>")[0]
    client.post("/logout")
    # The national view suppresses every small count.
    login(make_user(Role.COORDINATOR))
    html = page(client, f"/oversigt/forloeb/{round_.slug}")
    table = section(html, "citizens_screen")
    assert "&lt; 5" in table.split("København")[1].split("</tr>")[0]
    assert ">12<" in table.split("Frederiksberg")[1].split("</tr>")[0]
    # Screen visits are a count too, but 80 and 20 are not small.
    visits = section(html, "screen_visits")
    assert ">80<" in visits and ">20<" in visits


def test_national_view_totals_and_status_counts(client, make_user, login, case):
    round_, community, kbh, frb = case
    login(make_user(Role.LEADERSHIP))  # national leadership: no municipality
    html = page(client, f"/oversigt/forloeb/{round_.slug}")
    assert "24.900 kr." in html and "30.100 kr." in html and "110" in html
    assert "På sporet: <strong>1</strong>" in html and "I risiko: <strong>1</strong>" in html
    index = page(client, "/oversigt/")
    assert round_.slug in index and "I alt, hele landet" in index and "24.900 kr." in index


@pytest.mark.parametrize("role", [Role.MUNICIPAL, Role.LEADERSHIP])
def test_municipality_users_see_their_own_and_404_for_others(client, make_user, login, case, role):
    round_, community, kbh, frb = case
    other_round = screen_round()
    elsewhere = Community(round=other_round, name="Andre")
    db.session.add(elsewhere)
    stranger = participation(other_round, 151, community=elsewhere)
    db.session.commit()
    login(make_user(role, code=147))
    page(client, f"/oversigt/deltagelse/{frb.id}")
    page(client, f"/oversigt/faellesskab/{community.id}")
    page(client, f"/oversigt/deltagelse/{kbh.id}", 404)  # same community, not theirs
    page(client, f"/oversigt/deltagelse/{stranger.id}", 404)
    page(client, f"/oversigt/faellesskab/{elsewhere.id}", 404)
    page(client, "/oversigt/deltagelse/999999", 404)
    page(client, "/oversigt/faellesskab/999999", 404)
    page(client, f"/oversigt/forloeb/{round_.slug}", 403)
    index = page(client, "/oversigt/")
    assert (
        f"/oversigt/deltagelse/{frb.id}" in index
        and f"/oversigt/faellesskab/{community.id}" in index
    )
    assert f"/oversigt/deltagelse/{kbh.id}" not in index


def test_reviewers_are_refused_everywhere(client, make_user, login, case):
    round_, community, kbh, frb = case
    login(make_user(Role.REVIEWER, code=101))
    for url in (
        "/oversigt/",
        f"/oversigt/deltagelse/{kbh.id}",
        f"/oversigt/faellesskab/{community.id}",
        f"/oversigt/forloeb/{round_.slug}",
    ):
        page(client, url, 403)
    assert "/oversigt/" not in page(client, "/")


def test_admins_run_users_not_figures(client, make_user, login, case):
    round_, community, kbh, frb = case
    login(make_user(Role.ADMIN))
    for url in ("/oversigt/", f"/oversigt/deltagelse/{kbh.id}", f"/oversigt/forloeb/{round_.slug}"):
        page(client, url, 403)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LEADERSHIP])
def test_national_users_see_everything(client, make_user, login, case, role):
    round_, community, kbh, frb = case
    login(make_user(role))
    for url in (
        "/oversigt/",
        f"/oversigt/deltagelse/{kbh.id}",
        f"/oversigt/deltagelse/{frb.id}",
        f"/oversigt/faellesskab/{community.id}",
        f"/oversigt/forloeb/{round_.slug}",
    ):
        page(client, url)
    page(client, "/oversigt/forloeb/findes-ikke", 404)
    assert 'href="/oversigt/"' in page(client, "/")


def test_anonymous_users_log_in_first(client, case):
    round_, community, kbh, frb = case
    for url in ("/oversigt/", f"/oversigt/deltagelse/{kbh.id}", f"/oversigt/forloeb/{round_.slug}"):
        assert client.get(url).status_code == 302


def test_participation_pages_link_to_the_dashboard(client, make_user, login, case):
    round_, community, kbh, frb = case
    login(make_user(Role.MUNICIPAL, code=101))
    assert f"/oversigt/deltagelse/{kbh.id}" in page(client, "/deltagere/mine")
    assert f"/oversigt/deltagelse/{kbh.id}" in page(client, f"/deltagere/{kbh.id}")


def test_a_municipality_without_participations_sees_an_empty_state(client, make_user, login):
    login(make_user(Role.MUNICIPAL, code=851))
    assert "deltager ikke i et samarbejdsforløb endnu" in page(client, "/oversigt/")


def test_the_dashboard_shows_what_is_due(client, make_user, login, case):
    from datetime import timedelta

    from sqlalchemy import select

    from portal.i18n import local_today
    from portal.reporting.models import ReportingRequirement
    from portal.reporting.schedule import ensure_schedule

    round_, community, kbh, frb = case
    ensure_schedule(kbh)
    first = db.session.scalars(
        select(ReportingRequirement)
        .where(ReportingRequirement.participation_id == kbh.id)
        .order_by(ReportingRequirement.due_on)
    ).first()
    first.due_on = local_today() - timedelta(days=3)  # overdue
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    html = page(client, f"/oversigt/deltagelse/{kbh.id}")
    assert "Det skal I aflevere" in html and f'/rapportering/{first.id}"' in html


def test_how_it_is_computed_is_plain_danish_nowhere_code(client, make_user, login, case):
    from tests.plain_text import code_forms, visible_text

    round_, community, kbh, frb = case
    for line in round_.programme.benefits:  # the fixture's names hold the keys
        line.name_da = {"km": "Sparede kilometer"}.get(line.key, "Frigjort tid")
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    text = visible_text(page(client, f"/oversigt/deltagelse/{kbh.id}"))
    assert "Timer de seneste 12 måneder ÷ arbejdstimer i et årsværk" in text
    assert "På sporet: fremdriften er højst 10 procentpoint efter" in text
    assert code_forms(text) == []
