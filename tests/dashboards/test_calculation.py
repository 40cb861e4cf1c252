"""Benefits, totals, progress and medians from the database, against a hand calculation.

København (lead): visits 40, 60, 80 in Sep–Nov 2025 → 180 × 30 / 60 = 90 hours × 250 kr.
= 22.500 kr.; km 3 × 100 × 4 kr. = 1.200 kr.; gross 23.700 kr.; a one-off cost of 5.000 kr.
→ net 18.700 kr.; FTE 90 / 1.600 = 0,05625.
Frederiksberg (own hourly cost 300 kr.): visits 20, 20 in Sep–Oct → 20 hours × 300 =
6.000 kr.; km 2 × 50 × 4 = 400 kr.; gross 6.400 kr.; a yearly cost of 1.200 kr. counts
100 kr. a month in Sep and Oct → 200 kr.; net 6.200 kr.; FTE 20 / 1.600 = 0,0125.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from portal.benefits import calculation, display
from portal.benefits.calculation import Totals, evaluate, evaluate_round
from portal.benefits.calculation.disclosure import SUPPRESSED, is_count, suppress
from portal.benefits.calculation.progress import Status
from portal.dashboards import services as dashboards
from portal.db import db
from portal.participations.models import Participation
from portal.results.read import national_totals
from portal.results.refresh import rebuild
from tests.dashboards.helpers import key_of, screen_round, two_municipalities
from tests.participations.helpers import participation


@pytest.fixture
def case():
    return two_municipalities()


def test_benefits_of_each_participation_match_the_hand_calculation(case):
    round_, _community, kbh, frb = case
    first, second = evaluate([kbh, frb])
    b = first.benefits
    assert b.hourly_cost == D(250)
    assert b.total_hours == D(90)
    assert b.line_kroner == {"time_screen_visits": D(22500), "km": D(1200)}
    assert (b.gross, b.costs, b.net) == (D(23700), D(5000), D(18700))
    assert b.fte_12m == D("0.05625")
    assert b.payback is None  # never negative: Sep is 20 h × 250 + 400 − 5.000 = 400
    assert [p.cumulative_net for p in b.periods] == [D(400), D(8300), D(18700)]
    s = second.benefits
    assert s.hourly_cost == D(300) and second.hourly_cost_override == D(300)
    assert (s.total_hours, s.gross, s.costs, s.net) == (D(20), D(6400), D(200), D(6200))
    assert s.fte_12m == D("0.0125")
    assert first.member.municipality_name == "København" and first.member.role == "lead"
    assert first.member.community_name == "Hovedstaden"


def test_totals_per_community_round_and_nationally(case):
    round_, community, kbh, frb = case
    both = frozenset({kbh.municipality_id, frb.municipality_id})
    expected = Totals(2, D(110), D("0.06875"), D(30100), D(5200), D(24900), 0, both)
    result = evaluate_round(round_)
    assert result.totals == expected
    assert [(c.name, c.totals) for c in result.communities] == [("Hovedstaden", expected)]
    # A second round of another programme, one municipality outside any community.
    other = screen_round()
    p = participation(other, 151)
    participation(other, 101)  # København in both rounds: one municipality
    from tests.dashboards.helpers import measure

    measure(p, "screen_visits", [100])  # 50 hours at 250 kr.
    db.session.commit()
    rebuild()  # the helpers write rows directly; the services would refresh the stored totals
    national = national_totals()
    by_slug = {r.round_slug: r.totals for r in national.rounds}
    assert set(by_slug) == {round_.slug, other.slug}
    # flagged: the km line finds no km_avoided in that month
    ballerup = by_slug[other.slug]
    assert (ballerup.hours, ballerup.net, ballerup.flagged) == (D(50), D(12500), 1)
    assert national.totals.hours == D(160) and national.totals.net == D(37400)
    assert national.totals.participations == 4 and national.totals.municipalities == 3
    only = national_totals([other])
    assert only.totals.participations == 2 and only.totals.municipalities == 2


def test_progress_status_projection_and_medians(case):
    round_, community, kbh, frb = case
    view = dashboards.community_view(community, viewer_municipality_id=kbh.municipality_id)
    visits = next(c for c in view.indicators if c.indicator.key == "screen_visits")
    rows = {r.member.municipality_name: r for r in visits.rows}
    assert [r.member.municipality_name for r in visits.rows] == ["København", "Frederiksberg"]
    assert rows["København"].progress == D("0.8")
    assert rows["København"].status == Status.ON_TRACK
    assert rows["Frederiksberg"].progress == D("0.25")
    # 259 of 593 days passed (0,44): 0,25 is within 0,25 of it.
    assert rows["Frederiksberg"].status == Status.AT_RISK
    # two municipalities: the median is withheld (disclosure, see test_disclosure)
    assert visits.median.latest is None and visits.median.latest_withheld
    assert dict(visits.status_counts)[Status.ON_TRACK] == 1
    assert dict(visits.status_counts)[Status.AT_RISK] == 1
    km = next(c for c in view.indicators if c.indicator.key == "km_avoided")
    assert {r.status for r in km.rows} == {Status.NO_DATA}  # no baseline, no target
    board = dashboards.municipality_dashboard(kbh)
    own = board.evaluation.indicator("screen_visits")
    # The trend through (15 Aug, 0), (1 Sep, 40), (1 Oct, 60), (1 Nov, 80) passes 100 early.
    assert own.progress.projection.reaches
    assert display.projection_text(own) == "Forventes at nå målet"
    bench = next(b for b in board.benchmarks if b.own.indicator.key == "screen_visits")
    assert bench.community.latest is None and bench.round.progress_withheld
    assert bench.round.count == 2


def test_projection_text_when_the_trend_misses(case):
    _round, _community, _kbh, frb = case
    result = evaluate([frb])[0].indicator("screen_visits")
    assert not result.progress.projection.reaches
    text = display.projection_text(result)
    assert text.startswith("Forventes at mangle ") and text.endswith(" besøg pr. måned")


def test_latest_values_only_read_the_latest_measurement(case):
    _round, _community, kbh, frb = case
    light = evaluate([kbh, frb], series=False)
    assert light[0].benefits is None
    result = light[0].indicator("screen_visits")
    assert [p.value for p in result.series] == [D(80)]
    assert result.progress_value == D("0.8") and result.progress.projection is None
    with pytest.raises(ValueError):
        Totals.of(light)


def test_an_evaluation_without_figures_is_empty_not_an_error():
    round_ = screen_round()
    p = participation(round_, 101)
    db.session.commit()
    (e,) = evaluate([p])
    assert e.benefits.periods == () and e.benefits.net == 0
    assert all(
        r.status == Status.NO_DATA and r.missing == ("baseline", "target") for r in e.indicators
    )
    assert evaluate([]) == []


def test_a_missing_parameter_is_flagged_not_fatal():
    round_ = screen_round(parameters={"annual_cost": "400000", "annual_hours": "1600"})
    p = participation(round_, 101)
    from tests.dashboards.helpers import measure

    measure(p, "screen_visits", [10])
    db.session.commit()
    (e,) = evaluate([p])
    assert e.benefits.gross == 0
    assert {f.kind for f in e.benefits.flags} == {"missing"}


@pytest.mark.parametrize(
    "unit, counts",
    [
        ("antal", True),
        ("antal pr. måned", True),
        ("borgere", True),
        ("besøg pr. måned", True),
        ("Antal", True),
        ("%", False),
        ("minutter", False),
        ("medarbejdere", False),
        ("1–5", False),
        ("", False),
    ],
)
def test_which_units_are_counts(unit, counts):
    assert is_count(unit) is counts


@pytest.mark.parametrize(
    "value, own, shown",
    [
        (D(0), False, D(0)),
        (D(1), False, SUPPRESSED),
        (D(4), False, SUPPRESSED),
        (D("4.5"), False, SUPPRESSED),
        (D(5), False, D(5)),
        (D(3), True, D(3)),
        (None, False, None),
    ],
)
def test_suppress_small_counts_for_others(value, own, shown):
    assert suppress(value, "antal", own) == shown
    assert suppress(value, "%", False) == value


def test_evaluate_needs_no_query_per_participation(case, count_queries):
    round_, *_ = case
    db.session.expunge_all()
    with count_queries() as counter:
        evaluate(calculation.round_participations(round_.id))
    assert counter.count == 7  # participations, indicators, lines, four kinds of figures
    assert db.session.query(Participation).count() >= 2


def test_a_changed_figure_is_never_served_from_the_cache(case):
    from sqlalchemy import select

    from portal.benefits.models import Measurement

    _round, _community, kbh, _frb = case
    assert evaluate([kbh])[0].benefits.total_hours == D(90)
    first = db.session.scalar(
        select(Measurement).where(
            Measurement.participation_id == kbh.id,
            Measurement.indicator_id == key_of(kbh.round, "screen_visits").id,
            Measurement.period == date(2025, 9, 1),
        )
    )
    first.value = D(100)  # screen visits in September: 40 → 100, 30 hours more
    db.session.commit()
    assert evaluate([kbh])[0].benefits.total_hours == D(120)


def test_progress_status_projection_and_payback_are_explained(case):
    _round, _community, kbh, _frb = case
    result = evaluate([kbh])[0].indicator("screen_visits")
    explained = display.indicator_explanations(result)
    assert set(explained) == {"progress", "status", "projection"}
    assert dict(explained["progress"].inputs) == {
        "latest": D(80),
        "baseline": D(0),
        "target": D(100),
    }
    assert explained["status"].note == "På sporet"
    payback = display.payback_explanation(evaluate([kbh])[0].benefits)
    # København's cumulative net is never negative and ends positive: nothing to pay back,
    # so the words say so rather than "ikke nået" beside a positive net.
    assert payback.note == "fra første måned"
