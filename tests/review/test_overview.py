"""The round's review as data: oversubscription figures, averages, ranking and the capacity line."""

from decimal import Decimal

from portal.applications.models import ApplicantRole, ApplicationMember
from portal.db import db
from portal.review import overview, ranking
from tests.review.conftest import (
    AAL,
    AAR,
    BAL,
    CPH,
    FRB,
    GEN,
    LYN,
    ODE,
    apply,
    assign,
    mid,
    submitted,
)

ROS, HOL = 265, 169  # Roskilde, Høje-Taastrup


def _round_with_applications(round_):
    """One lead (with a confirmed co-applicant) and participants: two
    single, one joint with a confirmed co-applicant, one withdrawn, one draft, one unscored."""
    lead = apply(round_, CPH, role="lead", members=[mid(GEN)])
    apps = {
        "lead": lead,
        "aarhus": apply(round_, AAR),
        "odense": apply(round_, ODE),
        "joint": apply(round_, AAL, members=[mid(LYN)]),
        "withdrawn": apply(round_, FRB, status="withdrawn"),
        "draft": apply(round_, BAL, status="draft"),
        "unscored": apply(round_, ROS),
    }
    return apps


def test_oversubscription_counts_municipalities(app, round_):
    apps = _round_with_applications(round_)
    apps["lead"].members.append(ApplicationMember(municipality_id=mid(HOL), confirmed_at=None))
    db.session.commit()
    review = overview.round_review(round_)
    assert {r.municipality for r in review.rows} == {
        "København",
        "Aarhus",
        "Odense",
        "Aalborg",
        "Frederiksberg",
        "Roskilde",
    }  # the withdrawn one is listed, the draft is not
    cap = ranking.capacity(review)
    # Gentofte (co-applicant of the lead), Aarhus, Odense, Aalborg + Lyngby-Taarbæk, Roskilde;
    # not Høje-Taastrup (unconfirmed) nor Frederiksberg (withdrawn)
    assert cap.participants_applied == 6
    assert (cap.leads_applied, cap.leads_approved, cap.leads_counted) == (1, 0, 1)
    assert cap.capacity == 3  # one lead × at most 3
    assert cap.communities_fillable == 3  # 6 ÷ 2
    assert cap.participants_over and not cap.leads_over and cap.oversubscribed
    assert cap.pool_share is None


def test_capacity_counts_approved_leads_once_there_are_any(app, round_):
    apply(round_, CPH, role="lead", status="approved")
    apply(round_, AAR, role="lead")
    apply(round_, ODE, role="lead")
    apply(round_, AAL)
    round_.participant_grant, round_.participant_pool = None, 2_000_000
    db.session.commit()
    cap = ranking.capacity(overview.round_review(round_))
    assert (cap.leads_applied, cap.leads_counted) == (3, 1)
    assert cap.capacity == 3 and cap.participants_applied == 1
    assert cap.communities_fillable == 1  # 1 ÷ 2 rounds to 0, but at least one
    assert cap.leads_over and not cap.participants_over
    assert cap.pool_share == 2_000_000


def test_no_participants_means_no_communities(app, round_):
    apply(round_, CPH, role="lead")
    cap = ranking.capacity(overview.round_review(round_))
    assert cap.participants_applied == 0 and cap.communities_fillable == 0 and cap.leads_over


def test_averages_rank_and_the_capacity_line(app, round_, coordinator, expert, reviewer):
    apps = _round_with_applications(round_)
    # weights 2, 1, 1
    submitted(apps["joint"], expert, coordinator, 5, 4, 4)  # 4.5
    submitted(apps["joint"], reviewer, coordinator, 4, 4, 4)  # 4.0 → average 4.25
    submitted(apps["aarhus"], expert, coordinator, 4, 4, 4)  # 4.0
    submitted(apps["odense"], expert, coordinator, 3, 3, 3)  # 3.0
    submitted(apps["lead"], expert, coordinator, 5, 5, 5)
    review = overview.round_review(round_)
    rows = {r.municipality: r for r in review.rows}
    assert rows["Aalborg"].average == Decimal("4.25")
    assert rows["Aalborg"].progress == overview.Progress(2, 2)
    assert rows["Roskilde"].average is None

    leads, participants = ranking.ranked_lists(review)
    assert leads.role == ApplicantRole.LEAD and leads.capacity == 3
    assert [e.row.municipality for e in leads.entries] == ["København"]
    assert leads.line_after == 0
    assert participants.capacity == 3
    order = [(e.rank, e.row.municipality, e.cumulative, e.fits) for e in participants.entries]
    assert order == [
        (1, "Aalborg", 2, True),  # joint: two municipalities
        (2, "Aarhus", 3, True),
        (3, "Odense", 4, False),
        (None, "Roskilde", 5, False),  # no submitted review: last, no rank
    ]  # the withdrawn one is not ranked
    assert participants.line_after == 1


def test_equal_averages_share_a_rank(app, round_, coordinator, expert):
    a, b, c = apply(round_, AAR), apply(round_, ODE), apply(round_, AAL)
    submitted(a, expert, coordinator, 3, 3, 3)
    submitted(b, expert, coordinator, 4, 4, 4)
    submitted(c, expert, coordinator, 3, 3, 3)
    (_leads, participants) = ranking.ranked_lists(overview.round_review(round_))
    assert [(e.rank, e.row.municipality) for e in participants.entries] == [
        (1, "Odense"),
        (2, "Aalborg"),
        (2, "Aarhus"),
    ]


def test_overview_filters_and_sorts(app, round_, coordinator, expert):
    apps = _round_with_applications(round_)
    submitted(apps["odense"], expert, coordinator, 5, 5, 5)
    submitted(apps["aarhus"], expert, coordinator, 1, 1, 1)
    review = overview.round_review(round_)
    page, sort = overview.overview_page(review, {}, 1, 25)
    assert sort == "-score"
    assert [r.municipality for r in page.items][:2] == ["Odense", "Aarhus"]  # unscored last
    page, sort = overview.overview_page(review, {"sort": "score"}, 1, 25)
    assert [r.municipality for r in page.items][:2] == ["Aarhus", "Odense"]
    page, _ = overview.overview_page(review, {"role": "lead"}, 1, 25)
    assert [r.municipality for r in page.items] == ["København"]
    page, _ = overview.overview_page(review, {"region": "Region Hovedstaden"}, 1, 25)
    assert {r.municipality for r in page.items} == {"København", "Frederiksberg"}
    page, _ = overview.overview_page(review, {"status": "withdrawn", "sort": "name"}, 1, 25)
    assert [r.municipality for r in page.items] == ["Frederiksberg"]
    page, _ = overview.overview_page(review, {"sort": "name", "evil": "x"}, 2, 4)
    assert page.number == 2 and page.total == 6 and len(page.items) == 2
    assert page.args == {"sort": "name"}


def test_round_summaries_count_applications_and_progress(app, round_, coordinator, expert):
    apps = _round_with_applications(round_)
    submitted(apps["aarhus"], expert, coordinator, 3, 3, 3)
    assign(apps["odense"], expert, coordinator)
    (summary,) = [s for s in overview.round_summaries() if s.round.id == round_.id]
    assert summary.applications == 6 and summary.progress == overview.Progress(1, 2)
