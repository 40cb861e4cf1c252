"""`portal demo` loads the whole collaboration through the services, and again changes
nothing."""

from datetime import date

from sqlalchemy import func, select

from portal.applications.models import Application, ApplicationStatus
from portal.db import db
from portal.demo import load_demo
from portal.participations.funding import funding_summary
from portal.participations.models import Community, Disbursement, Participation
from portal.programmes.services import get_round_by_slug
from portal.review.models import Review, ReviewStatus


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Application, Review, Participation, Community, Disbursement)
    }


def test_the_demo_shows_a_decided_round_a_running_one_and_live_work():
    load_demo()
    first = counts()
    shift = get_round_by_slug("vagtplanlaegning-2026")
    statuses = dict(
        db.session.execute(
            select(Application.status, func.count())
            .where(Application.round_id == shift.id)
            .group_by(Application.status)
        ).all()
    )
    assert statuses == {
        ApplicationStatus.APPROVED: 10,
        ApplicationStatus.WAITLISTED: 1,
        ApplicationStatus.REJECTED: 1,
    }
    reviews = dict(
        db.session.execute(select(Review.status, func.count()).group_by(Review.status)).all()
    )
    assert reviews[ReviewStatus.SUBMITTED] >= 20 and reviews[ReviewStatus.ABSTAINED] == 1
    summary = funding_summary(shift)
    participants = [r for r in summary.rows if r.role.value == "participant"]
    # 2.000.000 kr. shared by 9 approved participants (Varde and Esbjerg applied jointly)
    assert len(participants) == 9
    assert {r.grant for r in participants} == {222_222}
    assert all(r.community for r in summary.rows)
    running = get_round_by_slug("skaermbesoeg-2025")
    assert (
        db.session.scalar(
            select(func.count(Participation.id)).where(Participation.round_id == running.id)
        )
        == 12
    )
    from portal.benefits.models import Baseline, Measurement, Target

    figures = {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Baseline, Target, Measurement)
    }
    # every indicator of the 23 running participations has a baseline and a target, and so
    # has each of the 2 of the ended route-planning collaboration (8 indicators)
    assert figures["Baseline"] == figures["Target"] == 12 * 8 + 11 * 8 + 2 * 8
    assert figures["Measurement"] > 1000
    load_demo()
    assert counts() == first


def test_the_decided_round_shows_a_flagged_application_and_a_strict_reviewer():
    from portal.review import fairness
    from portal.review.overview import round_review
    from portal.review.ranking import capacity, ranked_lists

    load_demo()
    review = round_review(get_round_by_slug("vagtplanlaegning-2026"))
    fair = fairness.fair_ranking(review, capacity(review), "normalised", only_flagged=False)
    flagged = [r.municipality for r in review.rows if fair.disagreements[r.id].flagged]
    assert flagged == ["Horsens"]
    bent = next(r for r in fair.calibration.reviewers if r.name == "Bent Bedømmer")
    assert bent.leaning == "strict" and bent.enough
    raw_order = [e.row.municipality for e in ranked_lists(review)[1].entries]
    normalised_order = [e.entry.row.municipality for e in fair.lists[1].rows]
    assert raw_order != normalised_order  # the strict reviewer's scores, evened out


def test_aarhus_screen_visit_benefits_match_a_hand_calculation():
    """600 visits a month × 15 minutes saved ÷ 60 = 150 hours a month, valued at
    450.000 ÷ 1.924 kr. an hour; 2.000 km avoided × 3,79 kr. = 7.580 kr. a month."""
    from decimal import Decimal

    from portal.benefits.calculation import evaluate_participation
    from tests.conftest import municipality

    load_demo()
    running = get_round_by_slug("skaermbesoeg-2025")
    aarhus = db.session.scalar(
        select(Participation).where(
            Participation.round_id == running.id,
            Participation.municipality_id == municipality(751).id,
        )
    )
    benefits = evaluate_participation(aarhus).benefits
    hourly = Decimal(450000) / Decimal(1924)
    months = [p for p in benefits.periods if p.period >= running.period_start]
    assert len(months) >= 12  # a year of measurements and more
    for month in months:
        visits, km = (
            next(x for x in month.lines if x.key == k) for k in ("time_screen_visits", "km_savings")
        )
        assert km.kroner == Decimal("7580")
        if visits.flag is None:  # the current quarter's minutes are not in yet
            assert visits.amount == Decimal(150)
            assert abs(visits.kroner - 150 * hourly) < Decimal("0.01")
    counted = sum(
        1 for m in months for x in m.lines if x.key == "time_screen_visits" and not x.flag
    )
    assert benefits.total_hours == 150 * counted


def test_the_demo_shows_a_lowered_target_a_provisional_figure_and_three_scenarios():
    from portal.benefits.models import Measurement, Quality, Target
    from portal.benefits.recording import freeze
    from portal.demo.promise import REASON
    from portal.programmes.models import Frequency, Indicator
    from tests.conftest import municipality

    load_demo()
    running = get_round_by_slug("skaermbesoeg-2025")
    aarhus = db.session.scalar(
        select(Participation).where(
            Participation.round_id == running.id,
            Participation.municipality_id == municipality(751).id,
        )
    )
    assert freeze.is_frozen(aarhus)
    [(key, history)] = [
        (k, h) for k, h in freeze.histories([aarhus.id])[aarhus.id].items() if h.changed
    ]
    assert key[0] == "target" and history.current < history.original
    assert history.steps[0].reason == REASON
    provisional = db.session.execute(
        select(Indicator.key, Indicator.frequency)
        .join(Measurement, Measurement.indicator_id == Indicator.id)
        .where(
            Measurement.participation_id == aarhus.id, Measurement.quality == Quality.PROVISIONAL
        )
    ).all()
    # the latest screen visits, and each quarter or year under way
    monthly = [key for key, frequency in provisional if frequency == Frequency.MONTHLY]
    assert monthly == ["screen_visits"]
    assert {f for _k, f in provisional} == set(Frequency)
    # Every demo target has three scenarios, in shift planning too (the README says so).
    shift = get_round_by_slug("vagtplanlaegning-2026")
    assert not db.session.scalar(
        select(func.count(Target.id))
        .join(Participation, Participation.id == Target.participation_id)
        .where(
            Participation.round_id.in_([running.id, shift.id]),
            Target.pessimistic.is_(None) | Target.optimistic.is_(None),
        )
    )
    assert db.session.scalar(
        select(func.count(Target.id))
        .join(Participation, Participation.id == Target.participation_id)
        .where(Participation.round_id == shift.id)
    )
    load_demo()  # again: nothing new
    assert len(freeze.histories([aarhus.id])[aarhus.id][key].steps) == 1


def test_demo_reset_starts_afresh_and_prints_logins_with_municipality_names(app):
    from portal.applications.models import ApplicationMember
    from portal.demo import demo_command

    load_demo()
    first = counts()
    # live work someone did in the demo since: gone after the reset
    db.session.execute(ApplicationMember.__table__.delete())
    db.session.flush()
    result = app.test_cli_runner().invoke(demo_command, ["--reset"], input="y\n")
    assert result.exit_code == 0, result.output
    assert counts() == first
    assert db.session.scalar(select(func.count(ApplicationMember.id))) > 0
    assert "projektleder.ringkoebing-skjern@demo.dk  (Ringkøbing-Skjern)" in result.output
    assert "bedoemmer@demo.dk  (Vejle)" in result.output


def test_demo_reset_asks_first_and_refuses_in_production(app, monkeypatch):
    from portal.demo import demo_command

    runner = app.test_cli_runner()
    assert runner.invoke(demo_command, ["--reset"], input="n\n").exit_code == 1
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    refused = runner.invoke(demo_command, ["--reset", "--yes"])
    assert refused.exit_code == 2 and "produktion" in refused.output


def test_the_demos_stored_results_are_what_a_rebuild_computes():
    """The demo writes some rows directly (the scenario values); the stored results that
    dashboards and medians read must still be exactly what a rebuild from scratch gives."""
    from portal.results.models import IndicatorResultRow, MonthResult, ParticipationResult
    from portal.results.refresh import rebuild

    skip = {"id", "refreshed_at", "data_version", "version"}

    def stored():
        return {
            model.__name__: sorted(
                tuple(
                    str(getattr(row, c.key)) for c in model.__table__.columns if c.key not in skip
                )
                for row in db.session.scalars(select(model))
            )
            for model in (ParticipationResult, MonthResult, IndicatorResultRow)
        }

    load_demo()
    incremental = stored()
    assert all(incremental.values())
    rebuild()
    assert stored() == incremental


def test_demo_names_have_danish_letters_and_each_programme_its_own_words():
    from portal.auth.models import User
    from portal.reporting.models import ReportingRequirement

    load_demo()
    names = set(db.session.scalars(select(User.name)))
    assert {"Projektleder Helsingør", "Projektleder Ringkøbing-Skjern"} <= names
    assert not any("oe" in n.split()[-1].lower() for n in names if n.startswith("Projektleder"))
    shift = get_round_by_slug("vagtplanlaegning-2026")
    words = " ".join(
        " ".join((r.what_worked or "", r.obstacles or "", r.next_steps or ""))
        for r in db.session.scalars(
            select(ReportingRequirement)
            .join(Participation, Participation.id == ReportingRequirement.participation_id)
            .where(Participation.round_id == shift.id)
        )
    ).lower()
    assert "vagt" in words
    assert not any(w in words for w in ("skærmbesøg", "borgere er visiteret", "netværk"))


def test_the_demo_holds_an_ended_collaboration_with_its_follow_up():
    from portal.benefits.calculation import evaluate
    from portal.benefits.calculation.follow_up import follow_up_values
    from portal.benefits.calculation.loading import round_participations
    from portal.benefits.calculation.progress import Status
    from portal.reporting.models import ReportingRequirement, ReportKind

    load_demo()
    ended = get_round_by_slug("ruteplanlaegning-2023")
    members = round_participations(ended.id)
    assert {p.municipality.name for p in members} == {"Helsingør", "Hedensted"}
    helsingoer = next(p for p in members if p.municipality.name == "Helsingør")
    follow = db.session.scalar(
        select(ReportingRequirement).where(
            ReportingRequirement.participation_id == helsingoer.id,
            ReportingRequirement.kind == ReportKind.FOLLOW_UP,
        )
    )
    assert follow.submitted_at is not None
    values = follow_up_values([helsingoer.id])[helsingoer.id]
    assert min(values) == date(2025, 4, 1)  # the months after the end, none before
    # Judged at its end, not "Mangler data" years later.
    [evaluation] = evaluate([helsingoer])
    statuses = {r.progress.status for r in evaluation.indicators if r.progress}
    assert Status.NO_DATA not in statuses


def test_the_ended_collaborations_report_shows_the_benefit_a_year_after(app):
    from portal.reports.progress import progress_report
    from portal.reports.scope import ReportScope
    from tests.reports.test_funding import by_title, rows

    load_demo()
    ended = get_round_by_slug("ruteplanlaegning-2023")
    with app.test_request_context():
        report = progress_report(ReportScope(round=ended))
    [row] = rows(by_title(report, "Gevinster fastholdt et år efter"))
    assert row[0] == "Helsingør" and row[1] == "Ja, gevinsterne er fastholdt"
    assert row[4] == 12 and row[3] > 0  # twelve months measured after the end


def test_the_demo_has_a_conversation_with_an_attachment_and_a_corrected_application():
    """Odense and the coordinator exchange messages (Odense's budget attached); the
    coordinator's correction reopened the application, and Odense's second submission shows
    what changed."""
    from portal import files
    from portal.applications.versions import latest_changes, versions_of
    from portal.conversations.models import Thread
    from portal.demo.conversation import CORRECTED

    load_demo()
    open_round = get_round_by_slug("skaermbesoeg-demo-aaben")
    thread = db.session.scalars(select(Thread).where(Thread.round_id == open_round.id)).one()
    messages = thread.messages
    assert [m.from_municipality for m in messages] == [True, False, True]
    assert messages[1].asks_correction
    (attachment,) = messages[0].attachments
    assert attachment.content_type == "application/pdf"
    assert files.read(attachment.key).startswith(b"%PDF-")
    application = db.session.get(Application, thread.application_id)
    assert application.status == ApplicationStatus.SUBMITTED
    changes = latest_changes(versions_of(application.id))
    assert [c.name for c in changes.changes] == ["motivation"]
    assert changes.changes[0].new == CORRECTED
    again = counts()
    load_demo()
    assert counts() == again
    assert len(db.session.scalars(select(Thread)).all()) == 1
