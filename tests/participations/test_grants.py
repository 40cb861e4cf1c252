"""Participation on approval and the grant rules: pool arithmetic, overrides, fixed amounts,
recomputation, the backing rule and disbursement limits."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.applications.models import ApplicantRole, ApplicationMember
from portal.audit.models import AuditEvent
from portal.db import db
from portal.errors import Conflict, InvalidInput, NotAllowed
from portal.models import Participation
from portal.participations import funding, grants, services
from portal.participations.funding import funding_summary
from portal.participations.grants import pool_share
from portal.participations.models import ParticipationSource
from tests.factories import create_application
from tests.participations.helpers import CODES, approve, fixed_round, mid, participation, pool_round


def grant_of(round_, code):
    return db.session.scalar(
        select(Participation).where(
            Participation.round_id == round_.id, Participation.municipality_id == mid(code)
        )
    ).grant


def audit_lines(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_pool_of_two_million_among_seven():
    share = pool_share(2_000_000, [], 7)
    assert (share.share, share.remainder) == (285_714, 2)
    assert share.share * 7 + share.remainder == 2_000_000


def test_pool_with_no_participants_and_overrides_past_the_pool():
    assert pool_share(2_000_000, [], 0).share == 0
    assert pool_share(1_000, [600, 600], 2).share == 0


def test_approvals_divide_the_pool_and_the_lead_gets_its_grant():
    round_ = pool_round()
    lead = approve(round_, 751, role="lead")
    for code in CODES[:7]:
        approve(round_, code)
    assert grant_of(round_, 751) == 900_000
    assert {grant_of(round_, c) for c in CODES[:7]} == {285_714}
    summary = funding_summary(round_)
    assert summary.pool.remainder == 2 and summary.pool_remainder == 2
    assert summary.budget == 900_000 + 2_000_000
    assert summary.granted == 900_000 + 7 * 285_714
    assert lead.municipality_id == mid(751)


def test_an_override_comes_off_the_pool_first(app):
    round_ = pool_round()
    for code in CODES[:7]:
        approve(round_, code)
    first = db.session.scalar(
        select(Participation).where(Participation.municipality_id == mid(CODES[0]))
    )
    grants.override_grant(first, 500_000, "Større hjemmepleje", actor=None)
    # 1.500.000 among the other six: 250.000 each, nothing left over.
    assert first.grant == 500_000
    assert {grant_of(round_, c) for c in CODES[1:7]} == {250_000}
    assert funding_summary(round_).pool_remainder == 0
    line = audit_lines("grant_overridden")[-1]
    assert line.round_id == round_.id and line.municipality_id == first.municipality_id
    assert line.details["changes"]["grant"] == [285_714, 500_000]
    grants.override_grant(first, None, "", actor=None)
    assert {grant_of(round_, c) for c in CODES[:7]} == {285_714}
    assert audit_lines("grant_override_cleared")


def test_an_override_needs_a_reason_and_the_version_loaded():
    round_ = fixed_round()
    approve(round_, 101)
    p = participation_of(round_, 101)
    with pytest.raises(InvalidInput) as info:
        grants.override_grant(p, 120_000, "  ", actor=None)
    assert info.value.field == "reason"
    with pytest.raises(Conflict):
        grants.override_grant(p, 120_000, "Grund", actor=None, version=p.version + 1)


def participation_of(round_, code):
    return db.session.scalar(
        select(Participation).where(
            Participation.round_id == round_.id, Participation.municipality_id == mid(code)
        )
    )


def test_fixed_amounts_and_the_budget():
    round_ = fixed_round(100_000)
    approve(round_, 751, role="lead")
    approve(round_, 101)
    approve(round_, 147)
    assert grant_of(round_, 101) == grant_of(round_, 147) == 100_000
    summary = funding_summary(round_)
    assert summary.budget == 900_000 + 2 * 100_000 == summary.granted
    assert summary.pool is None and summary.pool_remainder is None


def test_recompute_on_approval_and_on_removal_with_audit():
    round_ = pool_round(1_000_000)
    first = approve(round_, 101)
    assert grant_of(round_, 101) == 1_000_000
    approve(round_, 147)
    assert grant_of(round_, 101) == grant_of(round_, 147) == 500_000
    changes = [e.details["changes"]["grant_amount"] for e in audit_lines("grant_recomputed")]
    assert [1_000_000, 500_000] in changes
    services.remove_for_application(first, actor=None)
    assert participation_of(round_, 101) is None
    assert grant_of(round_, 147) == 1_000_000
    removed = audit_lines("participation_removed")[-1]
    assert removed.application_id == first.id and removed.round_id == round_.id


def test_a_joint_application_makes_confirmed_co_applicants_participants():
    round_ = fixed_round()
    application = create_application(round_, mid(751), role="lead", members=[mid(101)])
    application.members.append(ApplicationMember(municipality_id=mid(147)))  # not confirmed
    db.session.flush()
    made = services.create_for_application(application, actor=None)
    assert [(p.municipality_id, p.role) for p in made] == [
        (mid(751), ApplicantRole.LEAD),
        (mid(101), ApplicantRole.PARTICIPANT),
    ]
    assert all(p.source == ParticipationSource.APPLICATION for p in made)
    assert all(p.application_id == application.id for p in made)
    created = audit_lines("participation_created")
    assert {e.municipality_id for e in created} >= {mid(751), mid(101)}
    assert all(e.application_id == application.id for e in created[-2:])


def test_no_grant_without_the_required_backing():
    round_ = fixed_round()
    application = create_application(round_, mid(101), backing_management=False)
    with pytest.raises(NotAllowed) as info:
        services.create_for_application(application, actor=None)
    assert "ledelsesmæssige opbakning" in info.value.message
    assert participation_of(round_, 101) is None


def test_a_municipality_already_in_the_round_keeps_its_one_participation():
    round_ = fixed_round()
    imported = participation(round_, 101)
    application = create_application(round_, mid(751), role="lead", members=[mid(101)])
    made = services.create_for_application(application, actor=None)
    assert imported in made
    assert imported.source == ParticipationSource.IMPORT
    count = db.session.scalars(
        select(Participation).where(Participation.municipality_id == mid(101))
    ).all()
    assert len(count) == 1
    # Taking the approval back leaves the imported participation alone.
    services.remove_for_application(application, actor=None)
    assert participation_of(round_, 101) is imported
    assert participation_of(round_, 751) is None


def test_taking_an_approval_back_is_refused_once_money_is_paid():
    round_ = fixed_round()
    application = approve(round_, 101)
    p = participation_of(round_, 101)
    grants.record_disbursement(p, date(2025, 10, 1), 40_000, "Første rate", actor=None)
    with pytest.raises(NotAllowed) as info:
        services.remove_for_application(application, actor=None)
    assert "København (40.000 kr.)" in info.value.message
    assert participation_of(round_, 101) is p


def test_disbursements_never_exceed_the_grant():
    round_ = fixed_round(100_000)
    approve(round_, 101)
    p = participation_of(round_, 101)
    grants.record_disbursement(p, date(2025, 10, 1), 60_000, "Rate 1", actor=None)
    with pytest.raises(NotAllowed) as info:
        grants.record_disbursement(p, date(2025, 12, 1), 50_000, "Rate 2", actor=None)
    message = info.value.message
    assert "50.000 kr." in message and "100.000 kr." in message
    assert "60.000 kr." in message and "40.000 kr." in message
    for amount in (0, -5):
        with pytest.raises(InvalidInput):
            grants.record_disbursement(p, date(2025, 12, 1), amount, "", actor=None)
    d = grants.record_disbursement(p, date(2025, 12, 1), 40_000, "Rest", actor=None)
    assert funding.participation_funding(p) == (100_000, 100_000, 0)
    assert audit_lines("disbursement_recorded")[-1].details["disbursed"] == [60_000, 100_000]
    grants.delete_disbursement(d, actor=None)
    assert funding.participation_funding(p) == (100_000, 60_000, 40_000)
    assert audit_lines("disbursement_deleted")[-1].details["before"]["amount"] == 40_000
    with pytest.raises(NotAllowed):
        grants.override_grant(p, 50_000, "For meget udbetalt", actor=None)


def test_funding_summary_is_one_query(count_queries):
    round_ = pool_round()
    approve(round_, 751, role="lead")
    for code in CODES[:6]:
        approve(round_, code)
    p = participation_of(round_, CODES[0])
    grants.record_disbursement(p, date(2025, 10, 1), 1_000, "", actor=None)
    db.session.flush()
    with count_queries() as counter:
        summary = funding_summary(round_)
        rows = [(r.municipality, r.grant, r.disbursed, r.remaining) for r in summary.rows]
    assert counter.count == 1
    assert rows[0][0] == "Aarhus"  # the lead first
    assert summary.disbursed == 1_000
    assert summary.remaining == summary.granted - 1_000
