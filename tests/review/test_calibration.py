"""Calibration and disagreement as plain rules: a hand calculation of the normalised score (a
strict and a lenient reviewer swap two applications around the capacity line), too few
reviews, and flags exactly at the round's threshold and one below."""

from decimal import Decimal

import pytest

from portal.auth.models import Role
from portal.db import db
from portal.review import calibration as calibrating
from portal.review import disagreement as disagreeing
from portal.review import fairness
from portal.review.criteria import round_score
from portal.review.overview import round_review
from portal.review.ranking import capacity
from tests.review.conftest import AAL, AAR, LYN, ODE, apply, submitted

TINY = Decimal("1e-20")


def sqrt(value) -> Decimal:
    return Decimal(value).sqrt()


def _names(ranked) -> list[tuple[str, bool]]:
    return [(e.row.municipality, e.fits) for e in ranked.entries]


def test_a_strict_and_a_lenient_reviewer_swap_two_applications_around_the_line(
    strict_and_lenient,
):
    """The hand calculation, per criterion (all three alike here):

    Every score of the round: 2, 1, 3, 5, 4, 4 → mean M = 19/6 = 3,1667;
    Σ(x − M)² = (49 + 169 + 1 + 121 + 25 + 25)/36 = 390/36, so S = √(390/36 ÷ 6) = √65/6 = 1,3437.
    Sofie: 2, 1, 3 → m = 2, s = √(2/3) = 0,8165.  Lars: 5, 4, 4 → m = 13/3, s = √2/3 = 0,4714.

    Aalborg (Sofie 3):  z = (3 − 2)/√(2/3) = √1,5      → 19/6 + √1,5·√65/6 = (19 + √97,5)/6 = 4,8124
    Lyngby (Lars 4):    z = (4 − 13/3)/(√2/3) = −1/√2 → (19 − √32,5)/6 = 2,2165
    Aarhus: Sofie 2 → z = 0 → 19/6;  Lars 5 → z = √2 → (19 + √130)/6;
            mean (38 + √130)/12 = 4,1168
    Odense: Sofie 1 → (19 − √97,5)/6;  Lars 4 → (19 − √32,5)/6;
            mean (38 − √97,5 − √32,5)/12 = 1,8687

    Raw averages: Lyngby 4, Aarhus 3,5, Aalborg 3, Odense 2,5 → Lyngby and Aarhus fit (room
    for 2). Normalised: Aalborg 4,81, Aarhus 4,12, Lyngby 2,22, Odense 1,87 → Aalborg and
    Aarhus fit: Aalborg and Lyngby swap sides of the capacity line.
    """
    round_, apps, strict, lenient, _coordinator = strict_and_lenient
    review = round_review(round_)
    result = calibrating.calibrate(review)

    for spread in result.round_criteria.values():
        assert abs(spread.mean - Decimal(19) / 6) < TINY
        assert abs(spread.deviation - sqrt(65) / 6) < TINY
        assert round_score(spread.deviation) == Decimal("1.34")

    expected = {
        AAL: (19 + sqrt("97.5")) / 6,
        LYN: (19 - sqrt("32.5")) / 6,
        AAR: (38 + sqrt(130)) / 12,
        ODE: (38 - sqrt("97.5") - sqrt("32.5")) / 12,
    }
    shown = {AAL: "4.81", LYN: "2.22", AAR: "4.12", ODE: "1.87"}
    for code, value in expected.items():
        normalised = result.normalised[apps[code].id]
        assert abs(normalised - value) < TINY, code
        assert round_score(normalised) == Decimal(shown[code])
    assert not result.too_few

    by_name = {r.name: r for r in result.reviewers}
    sofie, lars = by_name["Sofie Streng"], by_name["Lars Lempelig"]
    assert (sofie.reviews, sofie.mean, sofie.shared, sofie.difference) == (3, 2, 2, -3)
    assert abs(sofie.deviation - sqrt(Decimal(2) / 3)) < TINY
    assert sofie.leaning == "strict"
    assert (lars.reviews, lars.shared, lars.difference) == (3, 2, 3)
    assert abs(lars.mean - Decimal(13) / 3) < TINY
    assert abs(lars.deviation - sqrt(2) / 3) < TINY
    assert lars.leaning == "lenient"

    cap = capacity(review)
    assert cap.capacity == 2
    raw = fairness.fair_ranking(review, cap, "raw", only_flagged=False)
    participants = raw.lists[1].ranked
    assert _names(participants) == [
        ("Lyngby-Taarbæk", True),
        ("Aarhus", True),
        ("Aalborg", False),
        ("Odense", False),
    ]
    normalised = fairness.fair_ranking(review, cap, "normalised", only_flagged=False)
    assert _names(normalised.lists[1].ranked) == [
        ("Aalborg", True),
        ("Aarhus", True),
        ("Lyngby-Taarbæk", False),
        ("Odense", False),
    ]
    assert raw.moved == normalised.moved == 2
    other = {s.entry.row.municipality: s.other_fits for s in raw.lists[1].rows}
    assert other == {"Lyngby-Taarbæk": False, "Aarhus": True, "Aalborg": True, "Odense": False}


def test_below_three_reviews_a_reviewer_gives_no_normalised_score(strict_and_lenient, make_user):
    round_, apps, _strict, _lenient, coordinator = strict_and_lenient
    two = make_user(Role.REVIEWER, name="Tove To")
    submitted(apps[AAR], two, coordinator, 3, 3, 3)
    submitted(apps[AAL], two, coordinator, 4, 4, 4)
    result = calibrating.calibrate(round_review(round_))
    tove = next(r for r in result.reviewers if r.name == "Tove To")
    assert tove.reviews == 2 and not tove.enough
    assert result.reviewers_too_few == [tove]
    for code in (AAR, AAL):
        assert result.normalised[apps[code].id] is None
        assert result.too_few[apps[code].id] == [tove]
    assert result.normalised[apps[ODE].id] is not None  # Sofie and Lars have three each
    assert result.normalised[apps[LYN].id] is not None


def test_a_reviewer_who_gives_everyone_the_same_score_maps_to_the_round_mean(
    small_round, make_user
):
    coordinator = make_user(Role.COORDINATOR)
    same = make_user(Role.REVIEWER, name="Sam Samme")
    apps = [apply(small_round, code) for code in (AAR, ODE, AAL)]
    for application in apps:
        submitted(application, same, coordinator, 4, 4, 4)
    result = calibrating.calibrate(round_review(small_round))
    for application in apps:
        assert result.normalised[application.id] == 4  # M = 4, S = 0, s = 0 → M


def _pair(round_, make_user, first, second):
    coordinator = make_user(Role.COORDINATOR)
    application = apply(round_, AAR)
    submitted(application, make_user(Role.REVIEWER), coordinator, *first)
    submitted(application, make_user(Role.REVIEWER), coordinator, *second)
    return disagreeing.disagreements(round_review(round_))[application.id]


def test_a_spread_exactly_at_the_threshold_is_flagged(small_round, make_user):
    assert small_round.disagreement_threshold == disagreeing.DEFAULT_THRESHOLD == 2
    found = _pair(small_round, make_user, (3, 4, 2), (5, 3, 2))
    assert [(c.scores, c.spread, c.flagged) for c in found.criteria] == [
        ((3, 5), 2, True),
        ((4, 3), 1, False),
        ((2, 2), 0, False),
    ]
    assert found.flagged and found.max_spread == 2


def test_a_spread_one_below_the_threshold_is_not_flagged(small_round, make_user):
    found = _pair(small_round, make_user, (3, 4, 2), (4, 5, 1))
    assert [c.spread for c in found.criteria] == [1, 1, 1]
    assert not found.flagged and found.max_spread == 1


def test_the_threshold_is_the_rounds_own(small_round, make_user):
    coordinator = make_user(Role.COORDINATOR)
    disagreeing.set_threshold(small_round, 3, actor=coordinator)
    db.session.commit()
    at = _pair(small_round, make_user, (1, 3, 3), (4, 3, 3))  # 3 apart
    assert at.flagged and at.flagged_criteria == [at.criteria[0].criterion]
    below = disagreeing.disagreement(
        next(r for r in round_review(small_round).rows), 4
    )  # the same scores against 4: one below
    assert not below.flagged


def test_one_review_has_no_spread_and_no_flag(small_round, make_user):
    coordinator = make_user(Role.COORDINATOR)
    application = apply(small_round, AAR)
    submitted(application, make_user(Role.REVIEWER), coordinator, 1, 5, 3)
    found = disagreeing.disagreements(round_review(small_round))[application.id]
    assert [c.spread for c in found.criteria] == [None, None, None]
    assert not found.flagged and found.max_spread is None


def test_the_threshold_must_lie_between_one_and_four(small_round, make_user):
    from portal.errors import InvalidInput

    coordinator = make_user(Role.COORDINATOR)
    for bad in (0, 5):
        with pytest.raises(InvalidInput):
            disagreeing.set_threshold(small_round, bad, actor=coordinator)
    assert small_round.disagreement_threshold == 2
