"""The progress report's figures against the hand calculation (see ``progress_round`` in
conftest), per scope; "< 5" for others' small counts; the query count whatever the number
of municipalities."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from portal.db import db
from portal.errors import PortalError
from portal.participations.models import Community
from portal.reports import progress
from portal.reports.model import RowKind
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope
from tests.conftest import municipality
from tests.dashboards.helpers import many_municipalities, screen_round
from tests.reports.test_funding import all_text, by_title, rows

GENERATED = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)


def section(report, title):
    return next(s for s in report.sections if s.title == title)


def build(app, scope, viewer=None):
    with app.test_request_context():
        return progress_report(scope, viewer_municipality_id=viewer, generated_at=GENERATED)


def test_a_municipality_report_matches_the_hand_calculation(app, progress_round):
    scope = ReportScope(round=progress_round.round, municipality=municipality(751))
    report = build(app, scope)
    assert report.scope == "Aarhus Kommune"
    assert report.title == f"Fremdrift: {progress_round.round.name_da}"
    assert report.period == "1. september 2025 – 31. marts 2027"
    assert report.filename == f"fremdrift-{progress_round.round.slug}-751-aarhus"
    assert report.summary.startswith(
        "Frigjort tid 1.800 timer (1,13 årsværk de seneste 12 måneder); gevinst brutto"
        " 450.000 kr., omkostninger 28.998 kr., nettogevinst 421.002 kr."
    )
    assert rows(by_title(report, "Indikatorer"))[0] == [
        "Screen visits", "besøg pr. måned", D(100), D(400), D(300), D(2) / D(3), "På sporet"
    ]  # fmt: skip
    benefits = dict(section(report, "Gevinster").facts)
    assert benefits["Timepris"] == "250,00 kr."  # as the tables write two decimals
    assert benefits["Frigjort tid"] == "1.800 timer"
    assert benefits["Nettogevinst"] == "421.002 kr."
    assert benefits["Beregnet for"] == "september 2025 – august 2026"
    assert rows(by_title(report, "Gevinstlinjer")) == [
        ["Linje time_screen_visits", D(1800), 450_000],
        ["Linje km", None, 0],
        ["I alt", D(1800), 450_000],
    ]
    months = rows(by_title(report, "Måned for måned"))
    assert months[0] == ["sep.\xa02025", D(150), 37_500, 28_998, 8_502, 8_502, D("0.09375")]
    assert months[-2][0] == "aug.\xa02026" and months[-2][5] == 421_002
    # issue 21: the period's sums as numbers in a total row, not only in a sentence
    assert months[-1] == ["I alt", D(1800), 450_000, 28_998, 421_002, None, None]
    visits = section(report, "Screen visits (besøg pr. måned)")
    assert visits.paragraphs[0].startswith("Status: På sporet. Fremdrift: 67\xa0% af vejen")
    assert ("Basislinje", "100 besøg pr. måned (15.08.2025)") in visits.facts
    assert visits.charts[0].svg.startswith("<svg") and "Screen visits" in visits.charts[0].alt
    assert rows(visits.tables[0])[1] == ["Median i forløbet", D(80), D(2) / D(3), 3]
    words = dict(section(report, "Kommunens egne ord").facts)
    assert words["Det, der virker"] == "Aarhus har fundet sin rytme"
    # the formulas once, with the round's parameters and the hourly cost
    method = section(report, "Sådan er gevinsterne beregnet")
    assert sum(s.title == method.title for s in report.sections) == 1
    assert ["Linje time_screen_visits", "timer", "Screen visits × minutes saved ÷ 60"] in rows(
        by_title(report, "Gevinstlinjer og formler")
    )
    parameters = {r[0]: r[2] for r in rows(by_title(report, "Forløbets parametre"))}
    assert parameters["Timepris"] == D(250) and parameters["Arbejdstimer i et årsværk"] == D(1600)
    # the CSV's table: a row per indicator, not in the PDF's sections
    assert len(report.main_table.rows) == 4
    assert report.main_table not in list(t for s in report.sections for t in s.tables)
    assert next(report.tables()) is report.main_table
    text = all_text(report)
    for other in ("København", "Frederiksberg", "Borgerne tager godt imod"):
        assert other not in text


def test_the_municipality_sees_its_own_small_counts(app, progress_round):
    own = build(app, ReportScope(round=progress_round.round, municipality=municipality(101)))
    citizens = next(r for r in rows(own.main_table) if r[3] == "Citizens screen")
    assert citizens[8] == D(3)
    assert dict(section(own, "Kommunens egne ord").facts)["Det, der virker"] == (
        "Borgerne tager godt imod skærmbesøg"  # the later of its two reports
    )


def test_a_community_shows_its_members_side_by_side(app, progress_round):
    scope = ReportScope(round=progress_round.round, community=progress_round.community)
    viewer = municipality(147).id  # Frederiksberg reads its community's report
    report = build(app, scope, viewer)
    assert report.scope == "Fællesskab Hovedstaden"
    assert report.filename == f"fremdrift-{progress_round.round.slug}-faellesskab-hovedstaden"
    assert rows(by_title(report, "Gevinster pr. kommune")) == [
        ["København", D(90), D("0.05625"), 23_700, 5_000, 18_700, "fra første måned"],
        ["Frederiksberg", D(20), D("0.0125"), 6_400, 200, 6_200, "fra første måned"],
        ["Median", *["færre end 3 kommuner"] * 5, ""],  # two municipalities: withheld
        ["I alt", D(110), D("0.06875"), 30_100, 5_200, 24_900, ""],
    ]
    visits = by_title(report, "Screen visits pr. kommune")
    assert rows(visits) == [
        ["Frederiksberg", D(10), D(50), D(20), D("0.25"), "I risiko"],
        ["København", D(0), D(100), D(80), D("0.8"), "På sporet"],
        ["Median", None, None, "færre end 3 kommuner", "færre end 3 kommuner", ""],
    ]
    assert (
        section(report, "Screen visits (besøg pr. måned)")
        .paragraphs[0]
        .startswith(
            "På sporet: 1 · I risiko: 1 · Bagud: 0 · Mangler data: 0. Median: seneste værdi"
            " færre end 3 kommuner, fremdrift færre end 3 kommuner"
        )
    )
    citizens = rows(by_title(report, "Citizens screen pr. kommune"))
    assert citizens[1][:4] == ["København", None, None, "< 5"]  # another's count of 3
    assert citizens[0][3] == D(12)

    overview = rows(by_title(report, "Indikatorer i overblik"))
    too_few = "færre end 3 kommuner"  # a median of two municipalities is withheld
    assert overview[0] == ["Screen visits", "besøg pr. måned", too_few, too_few, 1, 1, 0, 0]
    assert rows(by_title(report, "Kommunernes seneste statusrapport")) == [
        ["København", "Statusrapport, 4. kvartal 2025 (17.01.2026)",
         "Borgerne tager godt imod skærmbesøg", "Ustabilt netværk", "Flere distrikter"],
    ]  # fmt: skip
    assert "Frederiksberg: 300,00 kr." in " ".join(
        section(report, "Sådan er gevinsterne beregnet").paragraphs
    )
    text = all_text(report)
    assert "Aarhus" not in text and "421.002" not in text and "1.800" not in text


def test_a_members_own_small_count_is_exact_for_it(app, progress_round):
    scope = ReportScope(round=progress_round.round, community=progress_round.community)
    report = build(app, scope, municipality(101).id)
    citizens = rows(by_title(report, "Citizens screen pr. kommune"))
    assert citizens[1][:4] == ["København", None, None, D(3)]


def test_a_round_summarises_every_municipality(app, progress_round):
    report = build(app, ReportScope(round=progress_round.round))
    assert report.scope == "Alle kommuner i forløbet"
    totals = rows(by_title(report, "Gevinster pr. kommune"), RowKind.TOTAL)
    assert totals == [["I alt", "", D(1910), D("1.19375"), 480_100, 34_198, 445_902, ""]]
    assert rows(by_title(report, "Gevinster pr. fællesskab")) == [
        ["Hovedstaden", 2, D(110), D("0.06875"), 30_100, 5_200, 24_900],
        ["Ikke placeret", 1, D(1800), D("1.125"), 450_000, 28_998, 421_002],
        ["I alt", 3, D(1910), D("1.19375"), 480_100, 34_198, 445_902],
    ]
    visits = by_title(report, "Screen visits pr. kommune")
    assert [r[0] for r in rows(visits)] == ["Aarhus", "Frederiksberg", "København", "Median"]
    assert rows(visits)[-1] == ["Median", None, None, D(80), D(2) / D(3), ""]
    # one distribution chart per indicator with a progress, none for the others
    charts = [c for s in report.sections for c in s.charts]
    assert len(charts) == 1 and "3 kommuner" in charts[0].alt
    # a coordinator has no municipality of their own: every small count of 1–4 is "< 5"
    citizens = rows(by_title(report, "Citizens screen pr. kommune"))
    assert citizens[2][3] == "< 5"
    words = rows(by_title(report, "Kommunernes seneste statusrapport"))
    assert [w[0] for w in words] == ["Aarhus", "København"]
    main = report.main_table
    assert len(main.rows) == 12 and main.columns[0].label == "Kommune"
    assert [r[3] for r in rows(main)[:4]] == [
        "Screen visits", "Km avoided", "Citizens screen", "Punctuality"
    ]  # fmt: skip


def test_nationally_every_running_round(app, progress_round, monkeypatch):
    monkeypatch.setattr(progress, "local_today", lambda: date(2026, 6, 1))
    finished = screen_round()
    finished.period_start, finished.period_end = date(2024, 1, 1), date(2025, 6, 30)
    from tests.participations.helpers import participation

    participation(finished, 461)
    db.session.commit()
    report = build(app, ReportScope())
    assert report.title == "Fremdrift: alle igangværende forløb"
    assert report.filename == "fremdrift-alle-forloeb"
    assert rows(report.main_table)[0][:2] == [progress_round.round.name_da, "København"]
    assert report.main_table.columns[0].label == "Forløb"
    overview = rows(by_title(report, "Gevinster pr. forløb"))
    assert overview[0][1:] == [progress_round.round.name_da, 3, D(1910), D("1.19375"),
                               480_100, 34_198, 445_902]  # fmt: skip
    assert overview[-1][0] == "I alt"
    titles = [s.title for s in report.sections]
    assert progress_round.round.name_da in titles and finished.name_da not in titles
    assert titles.count("Sådan er gevinsterne beregnet") == 1
    assert "Odense" not in all_text(report)


def test_a_municipality_without_a_round_is_refused(app, progress_round):
    with app.test_request_context(), pytest.raises(PortalError):
        progress_report(ReportScope(municipality=municipality(751)))


def _setup(count: int, months: int):
    round_ = screen_round()
    community = Community(round=round_, name="Alle")
    db.session.add(community)
    made = many_municipalities(round_, community, count, months)
    return round_, community, made


def test_the_number_of_queries_does_not_grow_with_the_municipalities(
    app, count_queries, monkeypatch
):
    monkeypatch.setattr(progress, "local_today", lambda: date(2026, 6, 1))
    counts = []
    for count in (2, 12):
        round_, community, made = _setup(count, 3)
        db.session.expire_all()
        per_scope = []
        for scope in (
            ReportScope(round=round_),
            ReportScope(round=round_, community=community),
            ReportScope(round=round_, municipality=made[0].municipality),
        ):
            with app.test_request_context(), count_queries() as counter:
                progress_report(scope)
            per_scope.append(counter.count)
        with app.test_request_context(), count_queries() as counter:
            progress_report(ReportScope())  # every running round: grows with the rounds only
        counts.append((per_scope, counter.count))
    (small, small_national), (big, big_national) = counts
    assert small == big
    # a municipality's own: 12, and one for the versions of its frozen target picture; a
    # round's one more for the figures a year after the end (the follow-up's table) and one
    # for its kept summary (its business cases added up, when kept of the current version)
    assert max(small) <= 15, small
    # nationally: one query for the running rounds, then the same number per round (the
    # second setup added a round of 12 municipalities to the first's 2)
    assert big_national - small_national == small_national - 1


def test_the_summary_counts_indicators_per_municipality_and_stale_ones_as_missing(
    app, progress_round, monkeypatch
):
    """Three municipalities with four indicators each: 12 indicators, each municipality's
    counted apart. Only screen visits has a baseline and a target: København (80 %) and
    Aarhus (67 %) on track, Frederiksberg at risk, the other 9 missing data (as of the
    conftest's 15.12.2025). On 1.12.2026 every last value is two full months old or more
    (København November 2025, Frederiksberg October 2025, Aarhus August 2026): all 12
    missing."""
    from portal.benefits import calculation

    report = build(app, ReportScope(round=progress_round.round))
    assert report.summary.endswith(
        "Af 12 indikatorer i 3 kommuner (hver kommunes indikatorer tæller hver for sig) er 2"
        " på sporet; 9 mangler data."
    )
    monkeypatch.setattr(calculation, "local_today", lambda: date(2026, 12, 1))
    later = build(app, ReportScope(round=progress_round.round))
    assert later.summary.endswith("er 0 på sporet; 12 mangler data.")
    visits = by_title(later, "Screen visits pr. kommune")
    assert {r[-1] for r in rows(visits)[:-1]} == {"Mangler data"}


def test_a_small_target_is_shown_a_small_baseline_is_not(app, progress_round):
    """Suppression protects observed counts (baseline, latest), never a target."""
    from tests.dashboards.helpers import baseline, stored, target

    baseline(progress_round.kbh, "citizens_screen", 2, date(2025, 8, 15))
    target(progress_round.kbh, "citizens_screen", 4, date(2027, 3, 31))
    stored()
    report = build(app, ReportScope(round=progress_round.round))  # a coordinator: no own
    citizens = rows(by_title(report, "Citizens screen pr. kommune"))
    kbh = next(r for r in citizens if r[0] == "København")
    assert kbh[1:4] == ["< 5", D(4), "< 5"]
