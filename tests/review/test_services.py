"""The review's rules, called directly: arithmetic, assignment, scoring and visibility."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.errors import Conflict, NotAllowed
from portal.programmes.services import RuleViolations
from portal.review import services
from portal.review.criteria import (
    DEFAULT_GUIDE,
    effective_guide,
    format_score,
    update_criteria_guide,
    weighted_total,
)
from portal.review.models import Criterion, Review, ReviewStatus
from tests.review.conftest import (
    AAR,
    CPH,
    FRB,
    ODE,
    apply,
    assign,
    mid,
    score,
    submitted,
)

E, L, R = Criterion.EXPERIENCE, Criterion.LEADERSHIP, Criterion.READINESS


def test_weighted_total_uses_the_round_weights(app, round_):
    # weights 2, 1, 1: (2×5 + 1×3 + 1×1) / 4 = 3.5
    assert weighted_total(round_, {E: 5, L: 3, R: 1}) == Decimal("3.5")
    round_.weight_experience, round_.weight_leadership, round_.weight_readiness = 1, 1, 1
    total = weighted_total(round_, {E: 5, L: 4, R: 2})  # 11/3
    assert total == Decimal(11) / Decimal(3)
    with app.test_request_context():
        assert format_score(total) == "3,67"
        assert format_score(Decimal("3.5")) == "3,50"
        assert format_score(Decimal("3.125")) == "3,13"  # half up, like the page's script
    round_.weight_experience, round_.weight_leadership, round_.weight_readiness = 3, 0, 1
    assert weighted_total(round_, {E: 2, L: 5, R: 4}) == Decimal("2.5")  # weight 0 ignored
    assert weighted_total(round_, {E: 2, L: None, R: 4}) is None


def test_criteria_guide_defaults_and_round_override(app, round_, coordinator):
    with app.test_request_context():
        guide = effective_guide(round_)
        assert guide[L][5] == str(DEFAULT_GUIDE[L][5])
        update_criteria_guide(
            round_,
            {L: {5: "Direktionen har skrevet under."}, E: {1: str(DEFAULT_GUIDE[E][1])}},
            actor=coordinator,
            version=round_.version,
        )
        db.session.commit()
        assert round_.criteria_guide == {"leadership": {"5": "Direktionen har skrevet under."}}
        guide = effective_guide(round_)
        assert guide[L][5] == "Direktionen har skrevet under."
        assert guide[L][3] == str(DEFAULT_GUIDE[L][3])
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "criteria_guide_updated")
        )
        assert event.round_id == round_.id
        assert event.details["changes"]["criteria_guide"][1]["leadership"]["5"]
        with pytest.raises(Conflict):
            update_criteria_guide(round_, {}, actor=coordinator, version=round_.version - 1)
        update_criteria_guide(round_, {}, actor=coordinator)  # all empty: back to defaults
        assert round_.criteria_guide is None


def test_reviewers_own_municipality_is_refused_by_name(app, round_, coordinator, reviewer):
    joint = apply(round_, CPH, members=[mid(FRB)])
    with app.test_request_context(), pytest.raises(RuleViolations) as refused:
        services.assign_reviewers([joint], [reviewer], actor=coordinator)
    message = str(refused.value.problems[0][1])
    assert "Rikke Bedømmer" in message and "København" in message and "Frederiksberg" in message
    assert db.session.scalar(select(Review)) is None


def test_bulk_assignment_is_all_or_nothing_listing_every_refusal(
    app, round_, coordinator, reviewer, expert, make_user
):
    fine = apply(round_, AAR)
    frederiksberg = apply(round_, FRB)
    draft = apply(round_, ODE, status="draft")
    inactive = make_user(Role.REVIEWER, name="Ina Inaktiv", active=False)
    with app.test_request_context(), pytest.raises(RuleViolations) as refused:
        services.assign_reviewers(
            [fine, frederiksberg, draft], [reviewer, expert, inactive], actor=coordinator
        )
    messages = [str(m) for _f, m in refused.value.problems]
    assert any("Frederiksberg" in m and "Rikke" in m for m in messages)
    assert any("Odense" in m and "ikke er indsendt" in m for m in messages)
    assert any("Ina Inaktiv" in m for m in messages)
    assert len(messages) == len(set(messages)) == 3
    db.session.rollback()
    assert db.session.scalar(select(Review)) is None


def test_assignment_leaves_existing_ones_alone_and_is_audited(app, round_, coordinator, expert):
    application = apply(round_, AAR)
    first = assign(application, expert, coordinator)
    assert services.assign_reviewers([application], [expert], actor=coordinator) == []
    assert db.session.scalars(select(Review)).all() == [first]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reviewer_assigned"))
    assert (event.round_id, event.application_id) == (round_.id, application.id)


def test_unassign_only_while_not_submitted(app, round_, coordinator, expert, reviewer):
    application = apply(round_, AAR)
    open_review = assign(application, reviewer, coordinator)
    services.unassign(open_review, actor=coordinator)
    done = submitted(application, expert, coordinator, 3, 3, 3)
    with app.test_request_context(), pytest.raises(NotAllowed):
        services.unassign(done, actor=coordinator)


def test_scoring_draft_then_submit_then_read_only(app, round_, coordinator, expert):
    review = assign(apply(round_, AAR), expert, coordinator)
    score(review, 4, None, None, submit=False)
    assert review.status == ReviewStatus.ASSIGNED and review.score_experience == 4
    assert services.review_total(review) is None
    with app.test_request_context(), pytest.raises(RuleViolations) as missing:
        services.save_review(review, services.ScoreData(scores={E: 4}), actor=expert, submit=True)
    assert {f for f, _m in missing.value.problems} == {"score_leadership", "score_readiness"}
    db.session.rollback()
    score(review, 5, 3, 1)
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at
    assert services.review_total(review) == Decimal("3.5")
    with app.test_request_context(), pytest.raises(NotAllowed):
        score(review, 1, 1, 1)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "Review")
    ).all()
    assert "review_saved" in actions and "review_submitted" in actions
    submitted_event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "review_submitted")
    )
    assert submitted_event.details["changes"]["score_readiness"] == [None, 1]
    assert submitted_event.application_id == review.application_id


def test_only_the_assigned_reviewer_scores_and_a_stale_form_is_refused(
    app, round_, coordinator, expert, reviewer
):
    review = assign(apply(round_, AAR), expert, coordinator)
    data = services.ScoreData(scores={E: 3})
    with app.test_request_context():
        with pytest.raises(NotAllowed):
            services.save_review(review, data, actor=reviewer)
        with pytest.raises(NotAllowed):
            services.save_review(review, data, actor=coordinator)
        with pytest.raises(Conflict):
            services.save_review(review, data, actor=expert, version=review.version + 1)


def test_a_reviewer_whose_municipality_is_part_of_it_cannot_score_even_if_assigned_in_the_db(
    app, round_, coordinator, reviewer
):
    application = apply(round_, FRB)
    review = Review(application=application, reviewer=reviewer)
    db.session.add(review)
    db.session.commit()
    with app.test_request_context(), pytest.raises(NotAllowed):
        score(review, 5, 5, 5)


def test_conflict_of_interest_needs_a_note_and_ends_the_review(
    app, round_, coordinator, expert, reviewer
):
    application = apply(round_, AAR)
    review = assign(application, expert, coordinator)
    with app.test_request_context(), pytest.raises(RuleViolations):
        services.declare_conflict(review, "  ", actor=expert)
    services.declare_conflict(review, "Jeg har arbejdet i Aarhus Kommune.", actor=expert)
    db.session.commit()
    assert review.status == ReviewStatus.ABSTAINED
    with app.test_request_context(), pytest.raises(NotAllowed):
        score(review, 3, 3, 3)
    # an abstention counts in neither side of the progress
    submitted(application, reviewer, coordinator, 4, 4, 4)
    assert services.progress(services.reviews_of(application)) == services.Progress(1, 1)


def test_others_scores_are_hidden_until_the_reviewers_own_is_submitted(
    app, round_, coordinator, expert, reviewer, make_user
):
    application = apply(round_, AAR)
    third = make_user(Role.REVIEWER, name="Tredje")
    theirs = submitted(application, expert, coordinator, 5, 5, 5)
    mine = assign(application, reviewer, coordinator)
    drafting = assign(application, third, coordinator)
    score(drafting, 2, None, None, submit=False)
    assert services.visible_reviews(application, reviewer) == [mine]
    score(mine, 3, 3, 3)
    assert services.visible_reviews(application, reviewer) == [theirs, mine]  # no drafts
    assert len(services.visible_reviews(application, coordinator)) == 3
    assert services.progress(services.reviews_of(application)) == services.Progress(2, 3)
