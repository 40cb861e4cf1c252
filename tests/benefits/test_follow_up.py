"""After the end: an ended collaboration is judged at its end, and the follow-up a year
after records the key indicators' values for the months after the end, never counted in
the collaboration's own period, and sets the benefit a year later beside the benefit
realised at the end (issue 21)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.benefits.calculation import evaluate
from portal.benefits.calculation.progress import Status
from portal.db import db
from tests.dashboards.helpers import baseline, measure, screen_round, target
from tests.participations.helpers import participation


def ended_case():
    """A screen-visit collaboration from January 2020 to December 2020: 100 → 300 visits a
    month, measured every month of 2020 at 300 from July."""
    round_ = screen_round()
    round_.period_start, round_.period_end = date(2020, 1, 1), date(2020, 12, 31)
    kbh = participation(round_, 101)
    baseline(kbh, "screen_visits", 100, date(2019, 12, 1))
    target(kbh, "screen_visits", 300, date(2020, 12, 31))
    measure(kbh, "screen_visits", [150, 200, 250, 280, 290, 300] + [300] * 6, date(2020, 1, 1))
    measure(kbh, "km_avoided", [0] * 12, date(2020, 1, 1))
    db.session.flush()
    return round_, kbh


def test_an_ended_collaboration_is_judged_at_its_end_not_today():
    _round, kbh = ended_case()
    [evaluation] = evaluate([kbh], today=date(2026, 12, 7))
    visits = evaluation.indicator("screen_visits")
    # Judged today the latest value (December 2020) would be six years old: "Mangler data".
    assert visits.progress.status == Status.ON_TRACK
    assert not visits.progress.stale


def test_the_stored_results_judge_an_ended_collaboration_at_its_end_too():
    from portal.results.read import stored_evaluations
    from tests.dashboards.helpers import stored

    _round, kbh = ended_case()
    stored()
    [evaluation] = stored_evaluations([kbh], today=date(2026, 12, 7))
    assert evaluation.indicator("screen_visits").progress.status == Status.ON_TRACK


# --- the follow-up a year after, with figures ------------------------------------------------

IN_THE_YEAR_AFTER = date(2021, 11, 1)


def follow_up_item(kbh):
    from datetime import UTC, datetime

    from portal.reporting.models import ReportKind
    from portal.reporting.schedule import ensure_schedules
    from tests.reporting.helpers import item

    kbh.created_at = datetime(2019, 11, 1, tzinfo=UTC)
    ensure_schedules(kbh.round)
    return item(kbh, ReportKind.FOLLOW_UP)


def record_year_after(item, own, months=6, visits=270):
    from portal.reporting.follow_up import record_follow_up_value
    from tests.dashboards.helpers import key_of

    for n in range(months):
        for key, value in (("screen_visits", visits), ("km_avoided", 0)):
            record_follow_up_value(
                item,
                key_of(item.participation.round, key),
                date(2021, n + 1, 15),
                D(value),
                actor=own,
                today=IN_THE_YEAR_AFTER,
            )


def test_the_follow_up_records_values_after_the_end_never_counted_in_the_period(make_user):
    from portal.auth.models import Role
    from portal.benefits.models import FollowUpMeasurement, Measurement

    _round, kbh = ended_case()
    item = follow_up_item(kbh)
    assert (item.period_start, item.period_end) == (date(2021, 1, 1), date(2021, 12, 31))
    own = make_user(Role.MUNICIPAL, code=101)
    before = evaluate([kbh], today=IN_THE_YEAR_AFTER)[0].benefits
    record_year_after(item, own)
    rows = db.session.scalars(select(FollowUpMeasurement)).all()
    assert len(rows) == 12 and {r.period for r in rows} == {date(2021, m, 1) for m in range(1, 7)}
    assert not db.session.scalar(
        select(func.count(Measurement.id)).where(Measurement.period >= date(2021, 1, 1))
    )
    after = evaluate([kbh], today=IN_THE_YEAR_AFTER)[0].benefits
    assert (after.gross, after.total_hours, after.periods[-1].period) == (
        before.gross,
        before.total_hours,
        date(2020, 12, 1),
    )


def test_the_benefit_a_year_after_beside_the_benefit_at_the_end(make_user):
    from portal.auth.models import Role
    from portal.benefits.calculation.follow_up import follow_up_values, year_after
    from portal.benefits.calculation.loading import programme_models

    round_, kbh = ended_case()
    item = follow_up_item(kbh)
    record_year_after(item, make_user(Role.MUNICIPAL, code=101))
    [evaluation] = evaluate([kbh], today=IN_THE_YEAR_AFTER)
    model = programme_models([round_.programme_id])[round_.programme_id]
    result = year_after(round_, evaluation, model, follow_up_values([kbh.id])[kbh.id])
    # At the end, 2020: 3.270 visits × 30 min ÷ 60 = 1.635 hours × 250 kr. = 408.750 kr.
    assert (result.end_months, result.end_hours, result.end_gross) == (12, D(1635), D(408750))
    # A year after: 6 months × 270 visits × 0,5 h = 810 hours, as a year 1.620 hours and
    # 1.620 × 250 = 405.000 kr.
    assert (result.after_months, result.after_hours, result.after_gross) == (
        6,
        D(1620),
        D(405000),
    )
    assert result.kept_share == D(405000) / D(408750)


@pytest.mark.parametrize(
    ("key", "day", "value", "problem"),
    [
        ("screen_visits", date(2020, 12, 1), 10, "Perioden skal ligge i året efter forløbet"),
        ("screen_visits", date(2022, 1, 1), 10, "Perioden skal ligge i året efter forløbet"),
        ("screen_visits", date(2021, 12, 1), 10, "Perioden er ikke begyndt endnu."),
    ],
)
def test_a_follow_up_value_outside_the_year_after_is_refused(make_user, key, day, value, problem):
    from portal.auth.models import Role
    from portal.errors import RuleViolations
    from portal.reporting.follow_up import record_follow_up_value
    from tests.dashboards.helpers import key_of

    _round, kbh = ended_case()
    item = follow_up_item(kbh)
    with pytest.raises(RuleViolations) as info:
        record_follow_up_value(
            item,
            key_of(kbh.round, key),
            day,
            D(value),
            actor=make_user(Role.MUNICIPAL, code=101),
            today=IN_THE_YEAR_AFTER,
        )
    assert info.value.problems[0][1].startswith(problem)


def test_only_key_indicators_and_only_the_municipalitys_own_staff(make_user):
    from portal.auth.models import Role
    from portal.errors import InvalidInput, NotAllowed
    from portal.reporting.follow_up import record_follow_up_value
    from tests.dashboards.helpers import key_of

    _round, kbh = ended_case()
    item = follow_up_item(kbh)
    with pytest.raises(InvalidInput):  # punctuality feeds no benefit line
        record_follow_up_value(
            item,
            key_of(kbh.round, "punctuality"),
            date(2021, 2, 1),
            D(90),
            actor=make_user(Role.MUNICIPAL, code=101),
            today=IN_THE_YEAR_AFTER,
        )
    with pytest.raises(NotAllowed):  # another municipality
        record_follow_up_value(
            item,
            key_of(kbh.round, "screen_visits"),
            date(2021, 2, 1),
            D(90),
            actor=make_user(Role.MUNICIPAL, code=147),
            today=IN_THE_YEAR_AFTER,
        )


def test_the_follow_up_is_submitted_only_with_figures(make_user):
    from portal.auth.models import Role
    from portal.errors import RuleViolations
    from portal.reporting.models import GainsKept
    from portal.reporting.services import NarrativeData, submit_report

    _round, kbh = ended_case()
    item = follow_up_item(kbh)
    own = make_user(Role.MUNICIPAL, code=101)
    words = NarrativeData("Drift.", "Ferie.", "Fastholde.", GainsKept.YES)
    with pytest.raises(RuleViolations) as info:
        submit_report(item, words, actor=own, today=IN_THE_YEAR_AFTER)
    assert info.value.problems == [
        (
            "follow_up",
            "Registrér mindst én værdi efter forløbets slutning for: Screen visits, Km avoided.",
        )
    ]
    record_year_after(item, own, months=1)
    submit_report(item, words, actor=own, today=IN_THE_YEAR_AFTER)
    assert item.submitted_at is not None


def test_the_follow_up_page_records_a_value_and_shows_both_benefits(
    client, login, make_user, monkeypatch
):
    from portal.auth.models import Role
    from portal.reporting import views

    monkeypatch.setattr(views, "local_today", lambda: IN_THE_YEAR_AFTER)
    monkeypatch.setattr("portal.reporting.follow_up.local_today", lambda: IN_THE_YEAR_AFTER)
    _round, kbh = ended_case()
    item = follow_up_item(kbh)
    db.session.commit()
    login(make_user(Role.MUNICIPAL, code=101))
    page = client.get(f"/rapportering/{item.id}").get_data(as_text=True)
    assert "Tal efter forløbets slutning" in page
    assert "Opfølgningen spørger om: Screen visits, Km avoided." in page
    visits = key_of_round(kbh.round, "screen_visits")
    data = {
        f"f{item.id}-indicator": str(visits.id),
        f"f{item.id}-on": "2021-02-10",
        f"f{item.id}-value": "270",
    }
    assert client.post(f"/rapportering/{item.id}/opfoelgning", data=data).status_code == 302
    page = client.get(f"/rapportering/{item.id}").get_data(as_text=True)
    assert "februar 2021" in page and "Ved afslutningen" in page and "Et år efter" in page
    data[f"f{item.id}-on"] = "2020-12-10"  # before the end: refused at the field
    response = client.post(f"/rapportering/{item.id}/opfoelgning", data=data)
    assert response.status_code == 400
    assert "Perioden skal ligge i året efter forløbet" in response.get_data(as_text=True)


def key_of_round(round_, key):
    from tests.dashboards.helpers import key_of

    return key_of(round_, key)


def test_the_reports_show_the_benefit_at_the_end_beside_a_year_after(app, make_user):
    from portal.auth.models import Role
    from portal.reports.progress import progress_report
    from portal.reports.scope import ReportScope
    from tests.conftest import municipality
    from tests.dashboards.helpers import stored
    from tests.reports.test_funding import by_title, rows
    from tests.reports.test_progress import section

    round_, kbh = ended_case()
    item = follow_up_item(kbh)
    record_year_after(item, make_user(Role.MUNICIPAL, code=101))
    stored()
    with app.test_request_context():
        own = progress_report(ReportScope(round=round_, municipality=municipality(101)))
        whole = progress_report(ReportScope(round=round_))
    assert rows(by_title(own, "Gevinst ved afslutningen og et år efter")) == [
        ["Ved afslutningen", 12, D(1635), D(408750)],
        ["Et år efter", 6, D(1620), D(405000)],
    ]
    assert section(own, "Et år efter").paragraphs[-1] == (
        "Et år efter er 99\xa0% af gevinsten ved afslutningen fastholdt."
    )
    [row] = rows(by_title(whole, "Gevinster fastholdt et år efter"))
    assert row[:6] == ["København", "", D(408750), D(405000), 6, D("0.9908")]
