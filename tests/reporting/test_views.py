"""The reporting pages: what each role sees and may do, by any id."""

from __future__ import annotations

from datetime import date

import pytest

from portal.auth.models import Role
from portal.db import db
from portal.reporting import services
from portal.reporting.models import ReportKind
from portal.reporting.services import NarrativeData, submit_report
from tests.participations.helpers import participation
from tests.reporting.helpers import item, items, participation_of, reporting_round

TODAY = date(2026, 1, 20)
Q4 = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    from portal.reporting import views

    for module in (services, views):
        monkeypatch.setattr(module, "local_today", lambda: TODAY)


@pytest.fixture
def round_():
    return reporting_round()


def _post(client, report, **fields):
    data = {
        f"r{report.id}-version": str(report.version),
        f"r{report.id}-what_worked": "Skærmbesøg om natten.",
        f"r{report.id}-obstacles": "Wi-fi.",
        f"r{report.id}-next_steps": "Flere borgere.",
    }
    data.update({f"r{report.id}-{k}": v for k, v in fields.items()})
    return client.post(f"/rapportering/{report.id}", data=data)


def test_the_municipality_sees_its_items_with_overdue_highlighted(client, login, make_user, round_):
    login(make_user(Role.MUNICIPAL, code=101))
    page = client.get("/rapportering/").get_data(as_text=True)
    assert round_.name_da in page
    assert page.count('class="overdue"') == 3  # baseline, Q3 and Q4 2025
    assert "3 afleveringer er overskredet." in page
    assert "Statusrapport, 4. kvartal 2025" in page and "Slutrapport" in page
    # the form for the most urgent report: the September status report
    september = item(participation_of(round_, 101), ReportKind.STATUS, date(2025, 10, 15))
    assert f'action="/rapportering/{september.id}"' in page
    assert "Frederiksberg" not in page


def test_submit_through_the_page_then_read_only(client, login, make_user, round_):
    login(make_user(Role.MUNICIPAL, code=101))
    report = item(participation_of(round_, 101), ReportKind.STATUS, Q4)
    response = _post(client, report)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert report.submitted_at is not None and report.what_worked == "Skærmbesøg om natten."
    page = client.get(f"/rapportering/{report.id}").get_data(as_text=True)
    assert "Skærmbesøg om natten." in page and "<textarea" not in page
    assert _post(client, report).status_code == 400  # submitted: no second time


def test_a_refused_report_keeps_what_was_typed(client, login, make_user, round_):
    login(make_user(Role.MUNICIPAL, code=101))
    report = item(participation_of(round_, 101), ReportKind.STATUS, Q4)
    response = _post(client, report, obstacles="Borger 010203-1234 klagede", next_steps="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "CPR-nummer" in page
    assert "Skriv jeres næste skridt." in page
    assert "Skærmbesøg om natten." in page  # kept
    assert 'aria-invalid="true"' in page
    assert report.submitted_at is None


def test_a_stale_form_is_a_conflict(client, login, make_user, round_):
    login(make_user(Role.MUNICIPAL, code=101))
    report = item(participation_of(round_, 101), ReportKind.STATUS, Q4)
    response = _post(client, report, version=str(report.version + 1))
    assert response.status_code == 400
    assert "ændret af en anden" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "code", "own", "other", "post"),
    [
        (Role.MUNICIPAL, 101, 200, 404, 302),
        (Role.LEADERSHIP, 101, 200, 404, 403),
        (Role.LEADERSHIP, None, 200, 200, 403),
        (Role.COORDINATOR, None, 200, 200, 403),
        (Role.ADMIN, None, 403, 403, 403),  # users and the register, not figures
        (Role.REVIEWER, None, 403, 403, 403),
        (Role.REGIONAL, 101, 200, 200, 403),  # both in Region Hovedstaden: reads, never writes
    ],
)
def test_access_per_role(client, login, make_user, round_, role, code, own, other, post):
    login(make_user(role, code=code))
    mine = item(participation_of(round_, 101), ReportKind.STATUS, Q4)
    theirs = item(participation_of(round_, 147), ReportKind.STATUS, Q4)
    assert client.get(f"/rapportering/{mine.id}").status_code == own
    assert client.get(f"/rapportering/{theirs.id}").status_code == other
    # the lists of who is late are the national users' and the municipality's own
    listed = 403 if role in (Role.REVIEWER, Role.ADMIN, Role.REGIONAL) else 200
    assert client.get("/rapportering/").status_code == listed
    assert _post(client, mine).status_code == post


def test_another_municipalitys_id_is_not_found_for_submit_and_reopen(
    client, login, make_user, round_
):
    login(make_user(Role.MUNICIPAL, code=101))
    theirs = item(participation_of(round_, 147), ReportKind.STATUS, Q4)
    assert _post(client, theirs).status_code == 404
    assert client.get("/rapportering/99999999").status_code == 404
    assert client.get("/rapportering/forloeb/" + round_.slug).status_code == 403
    assert client.post(f"/rapportering/{theirs.id}/genaabn").status_code == 403


def test_the_coordinator_reopens(client, login, make_user, round_):
    report = item(participation_of(round_, 101), ReportKind.STATUS, Q4)
    submit_report(
        report,
        NarrativeData("Godt", "Ingen", "Videre"),
        actor=make_user(Role.MUNICIPAL, code=101),
        today=TODAY,
    )
    db.session.commit()
    login(make_user(Role.COORDINATOR))
    page = client.get(f"/rapportering/{report.id}").get_data(as_text=True)
    assert "Genåbn rapporten" in page and "Godt" in page
    response = client.post(
        f"/rapportering/{report.id}/genaabn", data={"version": str(report.version)}
    )
    assert response.status_code == 302
    assert report.submitted_at is None
    stale = client.post(f"/rapportering/{report.id}/genaabn", data={"version": "1"})
    assert stale.status_code == 302 and report.submitted_at is None


def test_the_coordinators_late_list(client, login, make_user, round_, count_queries):
    login(make_user(Role.COORDINATOR))
    overview = client.get("/rapportering/").get_data(as_text=True)
    assert f"/rapportering/forloeb/{round_.slug}" in overview
    url = f"/rapportering/forloeb/{round_.slug}"
    with count_queries() as few:
        page = client.get(url).get_data(as_text=True)
    assert "København" in page and "Frederiksberg" in page
    assert page.count('class="overdue"') == 2
    assert 'aria-sort="descending"' in page  # the most overdue first by default
    by_name = client.get(url + "?sort=name&vis=all").get_data(as_text=True)
    assert by_name.index("Frederiksberg") < by_name.index("København")
    # the number of queries does not grow with the number of municipalities
    for code in (151, 153, 155, 157):
        participation(round_, code)
    db.session.commit()
    client.get(url)  # schedules made on the way
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count
    assert client.get("/rapportering/forloeb/no-such-round").status_code == 404


def test_the_municipality_page_without_participations(client, login, make_user):
    login(make_user(Role.MUNICIPAL, code=101))
    page = client.get("/rapportering/").get_data(as_text=True)
    assert "deltager ikke i et samarbejdsforløb endnu" in page


def test_the_page_only_reads_and_the_daily_command_repairs_a_schedule(
    client, login, make_user, round_
):
    from portal.reporting.schedule import ensure_all_schedules

    p = participation_of(round_, 101)
    for stored in items(p):
        db.session.delete(stored)
    db.session.commit()
    login(make_user(Role.LEADERSHIP, code=101))
    page = client.get("/rapportering/").get_data(as_text=True)
    assert items(p) == []  # a GET writes nothing
    assert "<textarea" not in page  # leadership reads
    assert ensure_all_schedules().created == 9  # with the follow-up a year after the end
    assert len(items(p)) == 9


def test_home_items(make_user, round_):
    user = make_user(Role.MUNICIPAL, code=101)
    due = services.home_items(user, TODAY)
    assert [v.item.due_on for v in due] == [
        date(2025, 10, 1),
        date(2025, 10, 15),
        Q4,
        date(2026, 4, 15),
    ]
    assert services.home_items(make_user(Role.COORDINATOR), TODAY) == []


def test_the_home_block_renders(app, make_user, round_):
    from flask import render_template_string

    user = make_user(Role.MUNICIPAL, code=101)
    template = '{% from "reporting/_parts.html" import home_block %}{{ home_block(items) }}'
    with app.test_request_context():
        html = render_template_string(template, items=services.home_items(user, TODAY))
        empty = render_template_string(template, items=[])
    assert "Det skal I aflevere" in html and "Statusrapport, 4. kvartal 2025" in html
    assert html.count("<li>") == 4
    assert "I har intet at aflevere lige nu." in empty


def test_the_municipality_page_in_a_fixed_number_of_queries(
    client, login, make_user, round_, count_queries
):
    login(make_user(Role.MUNICIPAL, code=101))
    client.get("/rapportering/")
    with count_queries() as one:
        client.get("/rapportering/")
    reporting_round(codes=(101,))  # a second round
    db.session.commit()
    client.get("/rapportering/")
    with count_queries() as two:
        client.get("/rapportering/")
    assert two.count == one.count, two.statements
