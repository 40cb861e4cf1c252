"""The funding report's figures against a hand calculation (see conftest), per scope, across
rounds, and with a fixed number of queries whatever the number of municipalities."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from portal.auth.models import Role
from portal.db import db
from portal.municipalities.models import Municipality
from portal.participations import grants
from portal.participations.models import Community, Participation
from portal.reports.funding import funding_report
from portal.reports.model import Report, RowKind, Table
from portal.reports.scope import ReportScope
from tests.conftest import municipality
from tests.factories import create_programme, create_round
from tests.participations.helpers import participation

GENERATED = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)


def rows(table: Table, kind: RowKind | None = None) -> list[list]:
    return [r.values for r in table.rows if kind is None or r.kind == kind]


def by_title(report: Report, title: str) -> Table:
    return next(t for t in report.tables() if t.title == title)


def all_text(report: Report) -> str:
    parts = [report.title, report.scope, report.summary]
    for section in report.sections:
        parts += [section.title, *section.paragraphs]
        parts += [f"{label} {value}" for label, value in section.facts]
        for table in section.tables:
            parts += [table.title, table.note]
            parts += [str(v) for row in table.rows for v in row.values]
    return "\n".join(parts)


def test_a_round_nationally(app, funding_round):
    with app.test_request_context():
        report = funding_report(ReportScope(round=funding_round.round), generated_at=GENERATED)
    assert report.title == "Tilskud: Vagtplanlægning 2026"
    assert report.scope == "Alle kommuner i forløbet"
    assert report.period == "1. januar 2026 – 31. marts 2027"
    assert report.filename == "tilskud-vagtplanlaegning-2026"
    assert report.summary == (
        "Tildelt 3.799.998 kr. af et budget på 3.800.000 kr.;"
        " udbetalt 400.000 kr., resterende 3.399.998 kr."
    )
    budget = report.sections[0]
    assert ("Fordeling", "285.714 kr. til hver af 7 deltagerkommuner, rest 2 kr.") in budget.facts
    assert ("Pulje til deltagerkommuner", "2.000.000 kr.") in budget.facts
    assert rows(by_title(report, "Budget og tilskud pr. rolle")) == [
        ["Skaleringsledere", 2, 1_800_000, 1_800_000, 0, 300_000, 1_500_000, Decimal("0.1667")],
        ["Deltagerkommuner", 7, 2_000_000, 1_999_998, 2, 100_000, 1_899_998, Decimal("0.0500")],
        ["I alt", 9, 3_800_000, 3_799_998, 2, 400_000, 3_399_998, Decimal("0.1053")],
    ]
    table = report.main_table
    assert table.title == "Tilskud pr. kommune"
    assert rows(table)[:5] == [
        ["København", "101", "Skaleringsleder", "Hovedstaden", 900_000, 300_000, 600_000],
        ["Ballerup", "151", "Deltagerkommune", "Hovedstaden", 285_714, 0, 285_714],
        ["Brøndby", "153", "Deltagerkommune", "Hovedstaden", 285_714, 0, 285_714],
        ["Frederiksberg", "147", "Deltagerkommune", "Hovedstaden", 285_714, 100_000, 185_714],
        ["I alt, Hovedstaden", "", "", "", 1_757_142, 400_000, 1_357_142],
    ]
    assert rows(table, RowKind.SUBTOTAL) == [
        ["I alt, Hovedstaden", "", "", "", 1_757_142, 400_000, 1_357_142],
        ["I alt, Midt", "", "", "", 1_471_428, 0, 1_471_428],
        ["I alt, Uden fællesskab", "", "", "", 571_428, 0, 571_428],
    ]
    assert rows(table, RowKind.TOTAL) == [["I alt", "", "", "", 3_799_998, 400_000, 3_399_998]]
    assert len(table.data_rows) == 9
    assert rows(by_title(report, "Udbetalinger")) == [
        [date(2026, 2, 1), "København", 300_000, "Første rate"],
        [date(2026, 3, 1), "Frederiksberg", 100_000, ""],
        ["I alt", "", 400_000, ""],
    ]


def test_an_override_is_named_with_its_reason(app, funding_round):
    herlev = db.session.scalar(
        select(Participation).where(Participation.municipality_id == municipality(163).id)
    )
    grants.override_grant(herlev, 400_000, "Ekstra opgave", actor=None)
    with app.test_request_context():
        report = funding_report(ReportScope(round=funding_round.round))
    roles = rows(by_title(report, "Budget og tilskud pr. rolle"))
    # the pool less the override, among the other six: 266.666 each, 4 kr. left
    assert roles[1][:5] == ["Deltagerkommuner", 7, 2_000_000, 400_000 + 6 * 266_666, 4]
    assert report.main_table.note == (
        "Tilskud fastsat af koordinatoren: Herlev: 400.000 kr. (Ekstra opgave)"
    )


def test_a_municipality_sees_its_row_and_its_community_subtotal(app, funding_round):
    scope = ReportScope(round=funding_round.round, municipality=municipality(147))
    with app.test_request_context():
        report = funding_report(scope, generated_at=GENERATED)
    assert report.scope == "Frederiksberg Kommune"
    assert report.filename == "tilskud-vagtplanlaegning-2026-147-frederiksberg"
    assert rows(report.main_table) == [
        ["Frederiksberg", "147", "Deltagerkommune", "Hovedstaden", 285_714, 100_000, 185_714],
        ["I alt, Hovedstaden (4 kommuner)", "", "", "Hovedstaden", 1_757_142, 400_000, 1_357_142],
    ]
    assert rows(by_title(report, "Udbetalinger")) == [
        [date(2026, 3, 1), "Frederiksberg", 100_000, ""],
        ["I alt", "", 100_000, ""],
    ]
    text = all_text(report)
    for other in ("København", "Ballerup", "Brøndby", "Aarhus", "Glostrup", "3.799.998"):
        assert other not in text
    assert "Budget og tilskud pr. rolle" not in text


def test_a_community_sees_its_members_with_a_subtotal_per_role(app, funding_round):
    scope = ReportScope(round=funding_round.round, community=funding_round.mid)
    with app.test_request_context():
        report = funding_report(scope)
    assert report.scope == "Fællesskab Midt"
    assert report.filename == "tilskud-vagtplanlaegning-2026-faellesskab-midt"
    assert rows(report.main_table) == [
        ["Aarhus", "751", "Skaleringsleder", "Midt", 900_000, 0, 900_000],
        ["I alt, skaleringsleder", "", "", "", 900_000, 0, 900_000],
        ["Gentofte", "157", "Deltagerkommune", "Midt", 285_714, 0, 285_714],
        ["Gladsaxe", "159", "Deltagerkommune", "Midt", 285_714, 0, 285_714],
        ["I alt, deltagerkommuner", "", "", "", 571_428, 0, 571_428],
        ["I alt, Midt", "", "", "", 1_471_428, 0, 1_471_428],
    ]
    text = all_text(report)
    assert "København" not in text and "Frederiksberg" not in text
    assert rows(by_title(report, "Udbetalinger")) == []


def test_a_fixed_participant_grant_budgets_per_participant(app):
    round_ = create_round(create_programme(), lead_grant=900_000, participant_grant=100_000)
    participation(round_, 101, role="lead")
    for code in (147, 151, 153):
        participation(round_, code)
    with app.test_request_context():
        report = funding_report(ReportScope(round=round_))
    assert rows(report.sections[0].tables[0]) == [
        ["Skaleringsledere", 1, 900_000, 900_000, 0, 0, 900_000, Decimal("0")],
        ["Deltagerkommuner", 3, 300_000, 300_000, 0, 0, 300_000, Decimal("0")],
        ["I alt", 4, 1_200_000, 1_200_000, 0, 0, 1_200_000, Decimal("0")],
    ]
    assert ("Tilskud til deltagerkommune", "100.000 kr.") in report.sections[0].facts


def test_across_rounds(app, funding_round):
    programme = funding_round.round.programme
    later = create_round(
        programme, name_da="Vagtplanlægning 2027", participant_grant=100_000, lead_grant=500_000
    )
    participation(later, 147, role="lead")
    participation(later, 751)
    create_round(create_programme(), name_da="Uden deltagere")  # not in the report
    with app.test_request_context():
        report = funding_report(ReportScope(), generated_at=GENERATED)
    assert report.title == "Tilskud: alle forløb" and report.filename == "tilskud-alle-forloeb"
    overview = report.main_table
    assert rows(overview) == [
        [
            "Datadrevet vagtplanlægning",
            "Vagtplanlægning 2026",
            9,
            3_800_000,
            3_799_998,
            2,
            400_000,
            3_399_998,
        ],
        ["Datadrevet vagtplanlægning", "Vagtplanlægning 2027", 2, 600_000, 600_000, 0, 0, 600_000],
        ["I alt, Datadrevet vagtplanlægning", "", 9, 4_400_000, 4_399_998, 2, 400_000, 3_999_998],
        ["I alt", "", 9, 4_400_000, 4_399_998, 2, 400_000, 3_999_998],
    ]  # fmt: skip  (Frederiksberg and Aarhus take part in both rounds: 9 municipalities)
    assert [s.title for s in report.sections] == [
        "Overblik",
        "Vagtplanlægning 2026",
        "Vagtplanlægning 2027",
    ]
    assert "Uden deltagere" not in all_text(report)
    assert report.period.startswith("1. januar 2026 – ")

    # a municipality across rounds: its own rows, and its community's subtotal
    with app.test_request_context():
        own = funding_report(ReportScope(municipality=municipality(147)))
    assert rows(own.main_table) == [
        ["Datadrevet vagtplanlægning", "Vagtplanlægning 2026", "Deltagerkommune",
         "Hovedstaden", 285_714, 100_000, 185_714],
        ["Datadrevet vagtplanlægning", "Vagtplanlægning 2027", "Skaleringsleder",
         "", 500_000, 0, 500_000],
        ["I alt", "", "", "", 785_714, 100_000, 685_714],
    ]  # fmt: skip
    assert "Aarhus" not in all_text(own) and "København" not in all_text(own)
    assert own.filename == "tilskud-alle-forloeb-147-frederiksberg"


def _round_with(count: int):
    round_ = create_round(create_programme(), participant_grant=None, participant_pool=1_000_000)
    codes = db.session.scalars(
        select(Municipality.code).order_by(Municipality.code).limit(count)
    ).all()
    community = Community(round=round_, name="Alle")
    db.session.add(community)
    for n, code in enumerate(codes):
        p = participation(round_, code, role="lead" if n == 0 else "participant")
        p.community = community
        if n % 2:
            grants.record_disbursement(p, date(2026, 2, 1), 1_000, "", actor=None)
    db.session.flush()
    return round_, municipality(codes[1]), community


def test_the_number_of_queries_does_not_grow_with_the_municipalities(app, count_queries):
    counts = []
    for size in (3, 30):
        round_, member, community = _round_with(size)
        db.session.expire_all()
        with app.test_request_context(), count_queries() as counter:
            for scope in (
                ReportScope(round=round_),
                ReportScope(round=round_, municipality=member),
                ReportScope(round=round_, community=community),
                ReportScope(),
            ):
                report = funding_report(scope)
                assert report.main_table.rows
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 12


def test_members_see_each_others_grants_and_payments_but_not_the_notes(
    app, funding_round, make_user
):
    """The rule (the gate's report audiences: ``amount`` and ``note``): public grants, the
    coordinator's notes."""
    scope = ReportScope(round=funding_round.round, community=funding_round.north)
    member = make_user(Role.MUNICIPAL, code=101)
    with app.test_request_context():
        report = funding_report(scope, viewer=member)
    main = rows(report.main_table)
    assert ["København", "101", "Skaleringsleder", "Hovedstaden", 900_000, 300_000, 600_000] in main
    assert any(r[0] == "Frederiksberg" and r[5] == 100_000 for r in main)
    payments = by_title(report, "Udbetalinger")
    assert [c.label for c in payments.columns] == ["Dato", "Kommune", "Beløb"]
    assert rows(payments) == [
        [date(2026, 2, 1), "København", 300_000],
        [date(2026, 3, 1), "Frederiksberg", 100_000],
        ["I alt", "", 400_000],
    ]
    assert "Første rate" not in all_text(report)
    with app.test_request_context():
        national = funding_report(ReportScope(round=funding_round.round))
    assert "Første rate" in all_text(national)


def test_grants_over_the_budget_are_flagged_on_the_cover_and_the_page(app, funding_round):
    kbh = db.session.scalar(
        select(Participation).where(Participation.municipality_id == municipality(101).id)
    )
    grants.override_grant(kbh, 920_000, "Ekstra opgave", actor=None)
    with app.test_request_context():
        report = funding_report(ReportScope(round=funding_round.round))
        across = funding_report(ReportScope())
    # 3.799.998 kr. + 20.000 kr. more for the lead: 19.998 kr. over the 3.800.000 kr.
    flag = (
        "Over budget: der er tildelt 3.819.998 kr. af et budget på 3.800.000 kr., 19.998 kr."
        " for meget."
    )
    assert report.summary.startswith(flag)
    assert report.sections[0].paragraphs == [flag]
    assert flag in all_text(across)


def test_a_round_within_its_budget_has_no_flag(app, funding_round):
    with app.test_request_context():
        report = funding_report(ReportScope(round=funding_round.round))
    assert "Over budget" not in all_text(report)
