"""A pool grant recomputed below what a municipality was already paid is never silent: the
coordinator sees which municipalities and by how much before confirming, and the funding
page and reports show the amount to settle in words, never a negative "remaining".

Pool 600.000 kr.: two participants get 300.000 kr. each; Odense has been paid all of it.
Approving a third participant makes the share 200.000 kr.: Odense has 100.000 kr. to settle.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.applications.models import ApplicationStatus
from portal.db import db
from portal.participations.funding import GrantBelowDisbursed, funding_summary
from portal.participations.grants import record_disbursement
from portal.participations.models import Participation
from portal.reports.funding import funding_report
from portal.reports.scope import ReportScope
from portal.review import decisions
from tests.review.conftest import AAL, AAR, ODE, apply, mid

A = ApplicationStatus.APPROVED


@pytest.fixture
def paid_round(app, round_, coordinator):
    round_.participant_grant = None
    round_.participant_pool = 600_000
    with app.test_request_context():
        for code in (ODE, AAL):
            decisions.decide(apply(round_, code), A, "Godkendt.", actor=coordinator)
        odense = db.session.scalar(
            select(Participation).where(Participation.municipality_id == mid(ODE))
        )
        record_disbursement(odense, date(2025, 10, 1), 300_000, "Fuld rate", actor=None)
    db.session.commit()
    return round_


def participations(round_):
    return db.session.scalar(
        select(func.count(Participation.id)).where(Participation.round_id == round_.id)
    )


def test_approval_that_pays_below_the_disbursed_asks_first(app, paid_round, coordinator):
    application = apply(paid_round, AAR)
    with app.test_request_context(), pytest.raises(GrantBelowDisbursed) as info:
        decisions.decide(application, A, "Godkendt.", actor=coordinator)
    db.session.rollback()
    assert info.value.field == "confirm_overpaid"
    assert "Odense (tilskud 200.000 kr., udbetalt 300.000 kr.: 100.000 kr. til afregning)" in str(
        info.value.message
    )
    assert participations(paid_round) == 2  # nothing kept
    with app.test_request_context():
        decisions.decide(application, A, "Godkendt.", actor=coordinator, confirm_overpaid=True)
    db.session.commit()
    summary = funding_summary(paid_round)
    (odense,) = summary.overpaid
    assert (odense.grant, odense.remaining, odense.to_settle) == (200_000, 0, 100_000)
    assert summary.remaining == 400_000 and summary.to_settle == 100_000


def test_the_decision_page_shows_the_list_and_the_confirmation(
    client, login, paid_round, coordinator
):
    application = apply(paid_round, AAR)
    login(coordinator)
    form = {"decision": "approved", "reason": "Godkendt.", "version": application.version}
    response = client.post(f"/vurdering/ansoegning/{application.id}/afgoerelse", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "100.000 kr. til afregning" in html and 'name="confirm_overpaid"' in html
    assert participations(paid_round) == 2
    form["confirm_overpaid"] = "y"
    response = client.post(f"/vurdering/ansoegning/{application.id}/afgoerelse", data=form)
    assert response.status_code == 302
    assert participations(paid_round) == 3
    page = client.get(f"/deltagere/forloeb/{paid_round.slug}/tilskud").get_data(as_text=True)
    assert '<strong class="to-settle">100.000 kr. til afregning</strong>' in page
    assert "-100.000" not in page and "−100.000" not in page


def test_reports_flag_the_amount_to_settle(app, client, paid_round, coordinator):
    application = apply(paid_round, AAR)
    with app.test_request_context():
        decisions.decide(application, A, "Godkendt.", actor=coordinator, confirm_overpaid=True)
        db.session.commit()
        report = funding_report(ReportScope(round=paid_round))
    table = next(t for t in report.tables() if t.title == "Tilskud pr. kommune")
    assert table.warning == "Udbetalt mere end tilskuddet, til afregning: Odense 100.000 kr."
    assert report.summary.endswith(table.warning)
    remaining = [row.values[-1] for row in table.rows]
    assert min(remaining) == 0  # never a negative "remaining"
