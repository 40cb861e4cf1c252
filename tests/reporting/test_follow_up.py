"""The benefit follow-up a year after the end: scheduled, written from its last quarter,
it asks whether the gains were kept, and the round's report lists who kept them."""

from __future__ import annotations

from datetime import date

import pytest

from portal.auth.models import Role
from portal.errors import NotAllowed, RuleViolations
from portal.reporting import services
from portal.reporting.models import GainsKept, ReportKind
from portal.reporting.services import NarrativeData, submit_report
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope
from tests.reporting.helpers import item, participation_of, reporting_round
from tests.reports.test_funding import by_title, rows

GOOD = NarrativeData("Planlægningen kører i drift.", "Ferieafvikling.", "Fastholde.")
IN_THE_LAST_QUARTER = date(2028, 2, 1)  # the screen-visit period ends 31 March 2027


@pytest.fixture
def round_():
    return reporting_round()


def test_the_follow_up_asks_whether_the_gains_were_kept(round_, make_user):
    p = participation_of(round_, 101)
    follow_up = item(p, ReportKind.FOLLOW_UP)
    assert follow_up.due_on == date(2028, 3, 31)
    own = make_user(Role.MUNICIPAL, code=101)
    with pytest.raises(NotAllowed):  # not before the last quarter of the year after
        submit_report(follow_up, GOOD, actor=own, today=date(2027, 12, 31))
    with pytest.raises(RuleViolations) as info:
        submit_report(follow_up, GOOD, actor=own, today=IN_THE_LAST_QUARTER)
    assert [field for field, _m in info.value.problems] == ["gains_kept"]
    kept = NarrativeData(*GOOD.__dict__.values())
    kept.gains_kept = GainsKept.PARTLY
    submit_report(follow_up, kept, actor=own, today=IN_THE_LAST_QUARTER)
    assert follow_up.gains_kept == GainsKept.PARTLY and follow_up.submitted_at is not None


def test_a_status_report_does_not_ask(round_, make_user):
    p = participation_of(round_, 101)
    report = item(p, ReportKind.STATUS, date(2026, 1, 15))
    own = make_user(Role.MUNICIPAL, code=101)
    submit_report(report, GOOD, actor=own, today=date(2026, 1, 10))
    assert report.gains_kept is None


def test_the_page_and_the_round_report(client, login, make_user, round_, monkeypatch, app):
    from portal.reporting import views

    for module in (services, views):
        monkeypatch.setattr(module, "local_today", lambda: IN_THE_LAST_QUARTER)
    p = participation_of(round_, 101)
    follow_up = item(p, ReportKind.FOLLOW_UP)
    login(make_user(Role.MUNICIPAL, code=101))
    page = client.get(f"/rapportering/{follow_up.id}").get_data(as_text=True)
    assert "Gevinstopfølgning et år efter" in page
    assert "Er gevinsterne fastholdt et år efter forløbet?" in page
    prefix = f"r{follow_up.id}-"
    data = {
        prefix + "version": str(follow_up.version),
        prefix + "what_worked": GOOD.what_worked,
        prefix + "obstacles": GOOD.obstacles,
        prefix + "next_steps": GOOD.next_steps,
    }
    response = client.post(f"/rapportering/{follow_up.id}", data=data)
    assert response.status_code == 400
    assert "Svar, om gevinsterne er fastholdt." in response.get_data(as_text=True)
    data[prefix + "gains_kept"] = "yes"
    assert client.post(f"/rapportering/{follow_up.id}", data=data).status_code == 302
    page = client.get(f"/rapportering/{follow_up.id}").get_data(as_text=True)
    assert "Ja, gevinsterne er fastholdt" in page
    with app.test_request_context():
        report = progress_report(ReportScope(round=round_))
    kept = rows(by_title(report, "Gevinster fastholdt et år efter"))
    # No figures after the end in this round's programme (it has no benefit lines): the
    # answer stands alone; the benefit columns are empty.
    assert kept == [[p.municipality.name, "Ja, gevinsterne er fastholdt", None, None, 0, None]]
