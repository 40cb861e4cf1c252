"""The frozen target picture: approval (benefit owner and every figure first), versions with
their reasons from the form and the import, and quality marks through import → export →
import."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.files import exporting
from portal.benefits.files.importing import import_figures
from portal.benefits.models import Baseline, FigureVersion, Measurement, Quality, Target
from portal.benefits.recording import costs, freeze
from portal.db import db
from portal.errors import NotAllowed, RowErrors, RuleViolations
from tests.benefits.helpers import figures_round, indicator, participation_of

H = "municipality,indicator,kind,date,value,note,quality,reason\n"


@pytest.fixture
def round_():
    return figures_round(codes=(101, 147))


@pytest.fixture
def p(round_):
    return participation_of(round_, 101)


def fill_picture(round_, p):
    """A baseline and a target for every indicator of the round."""
    for n, i in enumerate(round_.programme.indicators):
        recording.set_baseline(p, i, D(10 + n), date(2025, 6, 1), actor=None)
        higher = i.direction.value == "higher"
        recording.set_target(p, i, D(40 if higher else 5), date(2027, 3, 1), actor=None, note="KL")


def approved(round_, p, coordinator):
    fill_picture(round_, p)
    costs.set_benefit_owner(p, "Anne Ejer", "Ældrechef", actor=None)
    freeze.approve_target_picture(p, actor=coordinator)
    return p


def problems(call):
    with pytest.raises(RuleViolations) as info:
        call()
    return dict(info.value.problems)


def test_approval_needs_every_figure_and_a_benefit_owner(round_, p, make_user):
    coordinator = make_user(Role.COORDINATOR)
    found = problems(lambda: freeze.approve_target_picture(p, actor=coordinator))
    assert "gevinstejer" in str(found["benefit_owner"])
    assert "(mangler: Screen visits, " in str(found["figures"])  # by name, not key
    fill_picture(round_, p)
    found = problems(lambda: freeze.approve_target_picture(p, actor=coordinator))
    assert set(found) == {"benefit_owner"}
    costs.set_benefit_owner(p, "Anne Ejer", "", actor=None)
    freeze.approve_target_picture(p, actor=coordinator)
    assert freeze.is_frozen(p) and p.picture_approved_by_id == coordinator.id
    originals = db.session.scalars(select(FigureVersion)).all()
    assert len(originals) == 2 * len(round_.programme.indicators)
    assert {v.number for v in originals} == {1} and {v.reason for v in originals} == {""}
    assert problems(lambda: freeze.approve_target_picture(p, actor=coordinator))


def test_only_a_coordinator_approves(round_, p, make_user):
    fill_picture(round_, p)
    costs.set_benefit_owner(p, "Anne Ejer", "", actor=None)
    with pytest.raises(NotAllowed):
        freeze.approve_target_picture(p, actor=make_user(Role.MUNICIPAL, code=101))
    assert not freeze.is_frozen(p)


def test_a_frozen_target_changes_only_with_a_reason_and_keeps_the_original(round_, p, make_user):
    approved(round_, p, make_user(Role.COORDINATOR))
    visits = indicator(round_, "screen_visits")
    target = db.session.scalar(select(Target).where(Target.indicator_id == visits.id))
    found = problems(
        lambda: recording.set_target(
            p, visits, D(30), date(2027, 3, 1), actor=None, version=target.version
        )
    )
    assert "begrundelse" in str(found["reason"])
    assert target.value == D(40)
    # A note or a quality mark is not the promise: no reason, no version.
    recording.set_target(
        p,
        visits,
        D(40),
        date(2027, 3, 1),
        note="KL, side 4",
        quality=Quality.ESTIMATED,
        actor=None,
        version=target.version,
    )
    user = make_user(Role.MUNICIPAL, code=101)
    recording.set_target(
        p,
        visits,
        D(30),
        date(2027, 3, 1),
        actor=user,
        reason="Færre borgere i målgruppen end ventet",
        version=target.version,
    )
    history = freeze.histories([p.id])[p.id][("target", visits.id)]
    assert (history.original, history.current) == (D(40), D(30))
    [step] = history.steps
    assert step.reason == "Færre borgere i målgruppen end ventet"
    assert freeze.lowered(history, "higher") is True
    text = freeze.step_text(step)
    assert text.startswith("mål ændret ") and "40 → 30" in text and "Færre borgere" in text
    latest = db.session.scalar(select(FigureVersion).where(FigureVersion.number == 2))
    assert latest.created_by_id == user.id


def test_a_rebaselining_is_a_version_too(round_, p, make_user):
    approved(round_, p, make_user(Role.COORDINATOR))
    km = indicator(round_, "km_driven")
    baseline = db.session.scalar(select(Baseline).where(Baseline.indicator_id == km.id))
    recording.set_baseline(
        p, km, D(9), date(2025, 7, 1), actor=None, reason="Ny opgørelse", version=baseline.version
    )
    history = freeze.histories([p.id])[p.id][("baseline", km.id)]
    assert history.original == D(13) and history.current == D(9)
    assert freeze.step_text(history.steps[0]).startswith("basislinje ændret")


def test_a_higher_target_of_a_lower_is_better_indicator_is_lowered(round_, p, make_user):
    approved(round_, p, make_user(Role.COORDINATOR))
    km = indicator(round_, "km_driven")
    target = db.session.scalar(select(Target).where(Target.indicator_id == km.id))
    recording.set_target(
        p, km, D(7), date(2027, 3, 1), actor=None, reason="Længere ruter", version=target.version
    )
    history = freeze.histories([p.id])[p.id][("target", km.id)]
    assert freeze.lowered(history, "lower") is True


def test_the_import_needs_a_reason_for_a_frozen_figure(round_, p, make_user):
    approved(round_, p, make_user(Role.COORDINATOR))
    db.session.commit()
    same = H + "101,screen_visits,target,2027-03-01,40,KL,,\n"
    assert import_figures(same, round_, actor=None).unchanged == 1
    with pytest.raises(RowErrors) as info:
        import_figures(
            H
            + "147,screen_visits,target,2027-03-01,50,,,\n"  # not approved: no reason needed
            + "101,screen_visits,target,2027-03-01,30,KL,,\n",
            round_,
            actor=None,
        )
    db.session.rollback()
    assert [line for line, _reason in info.value.errors] == [3]
    assert "reason" in info.value.errors[0][1]
    import_figures(
        H + "101,screen_visits,target,2027-03-01,30,KL,,Færre borgere\n", round_, actor=None
    )
    visits = indicator(round_, "screen_visits")
    history = freeze.histories([p.id])[p.id][("target", visits.id)]
    assert (history.original, history.current) == (D(40), D(30))
    assert history.steps[0].reason == "Færre borgere"


def test_quality_marks_survive_import_export_import_and_an_unmarked_row_clears(round_):
    data = (
        H
        + "101,screen_visits,baseline,2025-06-01,120,,estimated,\n"
        + "101,screen_visits,target,2027-03-01,40,,,\n"
        + "101,screen_visits,measurement,2025-10-01,200,,foreløbig,\n"
        + "101,screen_visits,measurement,2025-11-01,210,,revised,\n"
    )
    import_figures(data, round_, actor=None)
    qualities = dict(db.session.execute(select(Measurement.value, Measurement.quality)).all())
    assert qualities == {D(200): Quality.PROVISIONAL, D(210): Quality.REVISED}
    assert db.session.scalar(select(Baseline.quality)) == Quality.ESTIMATED
    participations = [participation_of(round_, 101)]
    table = exporting.figures_table(round_, participations)
    assert table["quality"].tolist() == ["estimated", "", "provisional", "revised"]
    for fmt in exporting.FORMATS:
        result = import_figures(exporting.to_bytes(table, fmt), round_, actor=None)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 4), fmt
    assert exporting.figures_table(round_, participations).equals(table)
    result = import_figures(
        H + "101,screen_visits,measurement,2025-10-01,200,,,\n", round_, actor=None
    )
    assert result.updated == 1
    assert db.session.scalar(select(Measurement.quality).where(Measurement.value == D(200))) is None


def test_an_unknown_quality_is_refused_with_its_line(round_):
    with pytest.raises(RowErrors) as info:
        import_figures(
            H + "101,screen_visits,measurement,2025-10-01,200,,guessed,\n", round_, actor=None
        )
    [(line, reason)] = info.value.errors
    assert line == 2 and "guessed" in reason
