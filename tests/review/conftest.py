"""Fixtures of the review tests: a round with unequal weights and a small community size,
reviewers from named municipalities, and a helper that scores a review."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.db import db
from portal.programmes.models import ProgrammeGoal
from portal.review import services
from portal.review.models import Criterion, Review, ReviewStatus
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round

CPH, FRB, AAR, ODE, AAL, LYN, GEN, BAL = 101, 147, 751, 461, 851, 173, 157, 151


def mid(code: int) -> int:
    return municipality(code).id


@pytest.fixture
def round_():
    programme = create_programme(name_da="Skærmbesøg")
    programme.goals = [ProgrammeGoal(position=0, text_da="At frigøre tid i hjemmeplejen")]
    round_ = create_round(
        programme,
        name_da="Skærmbesøg 2025–2027",
        community_min=2,
        community_max=3,
        weight_experience=2,
        weight_leadership=1,
        weight_readiness=1,
    )
    db.session.commit()
    return round_


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, name="Karen Koordinator")


@pytest.fixture
def reviewer(make_user):
    """A reviewer employed by a municipality (Frederiksberg)."""
    return make_user(Role.REVIEWER, code=FRB, name="Rikke Bedømmer")


@pytest.fixture
def expert(make_user):
    """A reviewer not tied to any municipality."""
    return make_user(Role.REVIEWER, name="Erik Ekspert")


def apply(round_, code: int, **kwargs):
    application = create_application(round_, mid(code), **kwargs)
    db.session.commit()
    return application


def assign(application, reviewer, coordinator) -> Review:
    (review,) = services.assign_reviewers([application], [reviewer], actor=coordinator)
    db.session.commit()
    return review


def score(review: Review, experience, leadership, readiness, *, submit=True, comment="God"):
    data = services.ScoreData(
        scores={
            Criterion.EXPERIENCE: experience,
            Criterion.LEADERSHIP: leadership,
            Criterion.READINESS: readiness,
        },
        comments={c: f"{comment} {c.value}" for c in Criterion},
    )
    services.save_review(review, data, actor=review.reviewer, submit=submit)
    db.session.commit()
    return review


def submitted(application, reviewer, coordinator, *scores) -> Review:
    review = assign(application, reviewer, coordinator)
    score(review, *scores)
    assert review.status == ReviewStatus.SUBMITTED
    return review


# --- calibration: a strict and a lenient reviewer (tests/review/test_calibration.py) -------


@pytest.fixture
def small_round():
    """Room for 2 participant municipalities: one lead (not yet approved) × at most 2 per
    community. Unequal weights, which do not matter here: every review gives the same score
    to all three criteria, so a review's weighted total is that score."""
    programme = create_programme(name_da="Kalibrering")
    programme.goals = [ProgrammeGoal(position=0, text_da="Et mål")]
    round_ = create_round(
        programme,
        community_min=1,
        community_max=2,
        weight_experience=2,
        weight_leadership=1,
        weight_readiness=1,
    )
    db.session.commit()
    return round_


@pytest.fixture
def strict_and_lenient(small_round, make_user):
    """Sofie (strict) scores Aarhus 2, Odense 1, Aalborg 3; Lars (lenient) scores Aarhus 5,
    Odense 4, Lyngby 4. Copenhagen applied as lead, unscored."""
    coordinator = make_user(Role.COORDINATOR)
    strict = make_user(Role.REVIEWER, name="Sofie Streng")
    lenient = make_user(Role.REVIEWER, name="Lars Lempelig")
    apply(small_round, CPH, role="lead")
    apps = {code: apply(small_round, code) for code in (AAR, ODE, AAL, LYN)}
    for code, value in ((AAR, 2), (ODE, 1), (AAL, 3)):
        submitted(apps[code], strict, coordinator, value, value, value)
    for code, value in ((AAR, 5), (ODE, 4), (LYN, 4)):
        submitted(apps[code], lenient, coordinator, value, value, value)
    return small_round, apps, strict, lenient, coordinator
