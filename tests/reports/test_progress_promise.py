"""Promised against delivered in the progress reports: Aarhus of ``progress_round``
(300 visits a month for 12 months at 30 minutes, 250 kr. an hour, a cost of 28.998 kr.)
with its target picture approved at 400 visits and lowered to 350 with a reason, a
provisional latest measurement, and three scenarios (250 / 350 / 500)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.auth.models import Role
from portal.benefits import recording
from portal.benefits.models import Measurement, Quality, Target
from portal.benefits.recording import costs, freeze
from portal.db import db
from portal.reports.csv import report_csv
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope
from portal.reports.xlsx import report_workbook
from tests.conftest import municipality
from tests.dashboards.helpers import baseline, key_of, stored, target
from tests.reports.helpers import get_pdf, pdf_pages
from tests.reports.test_funding import all_text, by_title, rows
from tests.reports.test_progress import GENERATED, section

REASON = "Færre borgere i målgruppen end ventet"


@pytest.fixture
def promised_round(progress_round):
    aar = progress_round.aar
    for key, before, after in (("km_avoided", 0, 0), ("citizens_screen", 10, 20)):
        baseline(aar, key, before, date(2025, 8, 15))
        target(aar, key, after, date(2027, 3, 31))
    baseline(aar, "punctuality", 50, date(2025, 8, 15))
    target(aar, "punctuality", 80, date(2027, 3, 31))
    db.session.flush()
    costs.set_benefit_owner(aar, "Anne Ejer", "Ældrechef", actor=None)
    freeze.approve_target_picture(aar, actor=None)
    visits = key_of(aar.round, "screen_visits")
    old = db.session.scalar(
        select(Target).where(Target.participation_id == aar.id, Target.indicator_id == visits.id)
    )
    recording.set_target(
        aar,
        visits,
        D(350),
        date(2027, 3, 31),
        pessimistic=D(250),
        optimistic=D(500),
        reason=REASON,
        actor=None,
        version=old.version,
    )
    latest = db.session.scalar(
        select(Measurement)
        .where(Measurement.participation_id == aar.id, Measurement.indicator_id == visits.id)
        .order_by(Measurement.period.desc())
        .limit(1)
    )
    latest.quality = Quality.PROVISIONAL  # past the services: the stored results again
    stored()
    return progress_round


def build(app, scope):
    with app.test_request_context():
        return progress_report(scope, generated_at=GENERATED)


def test_the_municipality_report_shows_the_promise_the_change_and_the_scenarios(
    app, promised_round
):
    report = build(app, ReportScope(round=promised_round.round, municipality=municipality(751)))
    picture = rows(by_title(report, "Godkendt og nuværende målbillede"))
    assert len(picture) == 1
    name, original, current, against_original, against_current, changes = picture[0]
    assert (name, original, current) == ("Screen visits (besøg pr. måned)", D(400), D(350))
    # latest 300 from a baseline of 100: (300 − 100) / (400 − 100) and / (350 − 100)
    assert against_original == D("0.6667") and against_current == D("0.8000")
    assert changes.startswith("mål ændret ") and "400 → 350" in changes and REASON in changes

    # Scenarios over the 19 months Sep 2025 – Mar 2027, visits × 30 min ÷ 60 × 250 kr.:
    # likely 350 → 175 h = 43.750 kr. a month: 2.100 h and 525.000 kr. a year, 1,31 FTE
    # (2.100 ÷ 1.600), net 19 × 43.750 − 28.998 = 802.252 kr.; pessimistic 250 → 31.250
    # a month; optimistic 500 → 62.500 a month.
    scenarios = {r[0]: r[1:] for r in rows(by_title(report, "Scenarier"))}
    assert scenarios["Sandsynligt"][:4] == [D(2100), D("1.31"), 525_000, 802_252]
    assert scenarios["Pessimistisk"][2:4] == [375_000, 19 * 31_250 - 28_998]
    assert scenarios["Optimistisk"][2] == 750_000
    # Realised 450.000 kr. in its 12 months against 12 × 43.750 = 525.000: 86 %, and above
    # the pessimistic 12 × 31.250 = 375.000.
    paragraphs = section(report, "Scenarier og følsomhed").paragraphs
    assert paragraphs[0] == (
        "Realiseret 86\xa0% af det sandsynlige scenarie over 12 måneder (september 2025 –"
        " august 2026); over det pessimistiske."
    )
    # One benefit period, said the same way in the benefits section and the scenarios.
    facts = dict(section(report, "Gevinster").facts)
    assert facts["Beregnet for"] == "september 2025 – august 2026"
    # Net over the period = 19 × v × 0,5 × 250 − 28.998 = 0 at v = 28.998 ÷ 2.375 = 12,21
    assert "Screen visits betyder mest" in paragraphs[1] and "12,21" in paragraphs[1]
    # The other targets have no pessimistic or optimistic value: one sentence names them.
    assert paragraphs[2] == (
        "Uden pessimistisk værdi (regnet med den sandsynlige): Citizens screen, Km avoided,"
        " Punctuality. Uden optimistisk værdi (regnet med den sandsynlige): Citizens screen,"
        " Km avoided, Punctuality."
    )

    quality = rows(by_title(report, "Tallenes kvalitet"))
    assert quality == [["Screen visits (besøg pr. måned)", "f (seneste)", 1]]
    assert "1 af 1 kommuners tal" in by_title(report, "Tallenes kvalitet").note
    assert "1 af 1 kommuners tal" in report.summary
    with app.test_request_context():
        workbook = report_workbook(report)
        csv_files = report_csv(report)
    assert workbook[:2] == b"PK" and csv_files


def test_the_round_counts_lowered_targets_and_sums_the_scenarios(app, promised_round):
    report = build(app, ReportScope(round=promised_round.round))
    promised = section(report, "Lovet og leveret")
    assert promised.paragraphs[0].startswith("Siden godkendelsen er 1 mål sænket og 0 hævet")
    assert "1 af 3 kommuners tal er skøn" in " ".join(promised.paragraphs)
    likely = next(r for r in rows(by_title(report, "Scenarier i alt")) if r[0] == "Sandsynligt")
    # only Aarhus has a target picture that feeds a benefit line with a value
    assert likely[3] >= 525_000
    text = all_text(report)
    assert REASON not in text  # the reasons are the municipality's own report's


def test_before_approval_the_report_says_so(app, progress_round):
    report = build(app, ReportScope(round=progress_round.round, municipality=municipality(751)))
    assert section(report, "Målbillede").paragraphs == [
        "Basislinje og målbillede er ikke godkendt af koordinatoren endnu."
    ]


@pytest.mark.parametrize(
    "role, code, status",
    [
        (Role.MUNICIPAL, 751, 200),
        (Role.LEADERSHIP, 751, 200),
        (Role.COORDINATOR, None, 200),
        (Role.MUNICIPAL, 101, 404),  # another municipality never reads the reason
        (Role.LEADERSHIP, 101, 404),
    ],
)
def test_the_dashboard_shows_both_targets_and_the_reason(
    client, login, make_user, promised_round, role, code, status
):
    login(make_user(role, code=code))
    response = client.get(f"/oversigt/deltagelse/{promised_round.aar.id}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert (REASON in html) == (status == 200)
    if status == 200:
        assert "Mod det godkendte mål (400): 67" in html and "det nuværende (350): 80" in html
        assert 'title="foreløbig"' in html
        assert 'fill="#ffffff" stroke="#005a9c"' in html  # the provisional point, hollow
        # The scenario business case where the project lead looks: the three rows and the
        # realised figures against them, as in the report.
        scenarios = html[html.index('id="scenarier-h"') :]
        assert all(s in scenarios for s in ("Pessimistisk", "Sandsynligt", "Optimistisk"))
        assert "Realiseret 86\xa0% af det sandsynlige scenarie over 12 måneder" in scenarios


def test_the_pdf_and_the_workbook_carry_the_promise(client, login, make_user, promised_round):
    login(make_user(Role.LEADERSHIP, code=751))
    slug = promised_round.round.slug
    pdf = get_pdf(client, f"/rapporter/fremdrift/{slug}?kommune=751&format=pdf")
    assert pdf.status_code == 200
    text = " ".join(pdf_pages(pdf.data))
    assert "400 → 350" in text and "Sandsynligt" in text
    assert "over det pessimistiske" in " ".join(text.split())  # the PDF may break the line
    # Each indicator's heading stands on the page of its chart (its caption), never alone.
    pages = pdf_pages(pdf.data)
    for title in ("Screen visits (besøg pr. måned)", "Citizens screen (borgere)"):
        [page] = [p for p in pages if title in p and "Målinger mod målbilledet" in p][:1] or [""]
        assert page, title
    workbook = client.get(f"/rapporter/fremdrift/{slug}?kommune=751&format=xlsx")
    sheets = load_workbook(io.BytesIO(workbook.data)).sheetnames
    assert "Scenarier" in sheets and "Målbillede" in sheets and "Kvalitet" in sheets


def test_a_target_without_scenario_values_gives_one_row_and_says_what_is_missing(
    app, progress_round
):
    # Aarhus's only target (400 visits) has no pessimistic or optimistic value.
    report = build(app, ReportScope(round=progress_round.round, municipality=municipality(751)))
    scenarios = rows(by_title(report, "Scenarier"))
    assert [r[0] for r in scenarios] == ["Sandsynligt"]
    # 400 visits × 0,5 h × 250 kr. × 19 months − 28.998 kr.: positive from the first month,
    # so the payback words agree with the net.
    assert scenarios[0][4] > 0 and scenarios[0][5] == "fra første måned"
    paragraphs = section(report, "Scenarier og følsomhed").paragraphs
    assert paragraphs[-1] == (
        "Målbilledet har ingen pessimistiske værdier, så der er intet pessimistisk scenarie."
        " Målbilledet har ingen optimistiske værdier, så der er intet optimistisk scenarie."
    )
    # Only the method appendix names the words, as the rule's other branch.
    method_rule = "ellers „ikke nået“"
    assert "ikke nået" not in all_text(report).replace(method_rule, "")


def test_no_target_at_all_says_so_instead_of_rows_of_zeros(app, progress_round):
    from tests.dashboards.helpers import cost, measure, stored
    from tests.participations.helpers import participation

    glostrup = participation(progress_round.round, 161)
    measure(glostrup, "screen_visits", [50] * 3)
    cost(glostrup, 100_000, date(2025, 9, 10))
    stored()
    report = build(app, ReportScope(round=progress_round.round, municipality=municipality(161)))
    assert section(report, "Scenarier og følsomhed").paragraphs == [
        "Der er intet målbillede, så der er ingen scenarier: et scenarie regner med"
        " målbilledets værdier."
    ]
    assert not [t for t in section(report, "Scenarier og følsomhed").tables]
    # The round's sums leave it out and say so.
    round_report = build(app, ReportScope(round=progress_round.round))
    assert (
        "1 kommune har intet målbillede og indgår ikke i scenarierne."
        in section(round_report, "Lovet og leveret").paragraphs
    )
