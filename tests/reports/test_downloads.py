"""The funding report as a page and as files, downloaded and from the CLI: the same figures
(see conftest) in every format. One PDF through the page, one through the CLI."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from tests.reports.conftest import FRB
from tests.reports.helpers import get_pdf, pdf_pages

SLUG = "vagtplanlaegning-2026"


def test_the_page_renders_the_report(client, make_user, login, funding_round):
    login(make_user(Role.COORDINATOR))
    page = client.get(f"/rapporter/tilskud/{SLUG}").get_data(as_text=True)
    assert "<h1>Tilskud: Vagtplanlægning 2026</h1>" in page
    assert "3.799.998 kr." in page and ">285.714<" in page and "16,7" in page
    assert "I alt, Hovedstaden" in page and "01.02.2026" in page
    assert f"/rapporter/tilskud/{SLUG}?format=pdf" in page
    assert f"/rapporter/tilskud/{SLUG}?format=xlsx" in page
    assert '<th scope="col" class="num">Tilskud (kr.)</th>' in page


def test_the_page_across_rounds_has_contents(client, make_user, login, funding_round):
    from tests.factories import create_round
    from tests.participations.helpers import participation

    for n in range(3):
        participation(create_round(funding_round.round.programme, name_da=f"Runde {n}"), 147)
    login(make_user(Role.LEADERSHIP))
    page = client.get("/rapporter/tilskud").get_data(as_text=True)
    assert 'class="toc"' in page and 'href="#s4"' in page


def test_coordinator_downloads_xlsx(client, make_user, login, funding_round):
    login(make_user(Role.COORDINATOR))
    response = client.get(f"/rapporter/tilskud/{SLUG}?format=xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tilskud-vagtplanlaegning-2026.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Om rapporten"
    assert book["Om rapporten"]["B2"].value == "Alle kommuner i forløbet"
    municipalities = book["Kommuner"]
    header = [c.value for c in municipalities[1]]
    assert header == [
        "Kommune", "Kode", "Rolle", "Fællesskab", "Tilskud", "Udbetalt", "Resterende"
    ]  # fmt: skip
    first = municipalities[2]
    assert first[0].value == "København" and first[4].value == 900_000
    assert first[4].data_type == "n" and first[4].number_format == '#,##0 "kr."'
    last = municipalities[municipalities.max_row]
    assert last[0].value == "I alt" and last[4].value == 3_799_998 and last[4].font.bold
    budget = book["Budget"]
    share = budget["H2"]
    assert share.data_type == "n" and share.number_format == "0.0%"
    assert abs(share.value - 0.1667) < 1e-9
    assert book.sheetnames == ["Om rapporten", "Budget", "Kommuner", "Udbetalinger"]
    payments = book["Udbetalinger"]
    assert payments["A2"].is_date and payments["A2"].number_format == "dd.mm.yyyy"


def test_a_municipality_downloads_its_csv(client, make_user, login, funding_round):
    login(make_user(Role.MUNICIPAL, code=FRB))
    response = client.get(f"/rapporter/tilskud/{SLUG}?kommune={FRB}&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        "tilskud-vagtplanlaegning-2026-147-frederiksberg.csv"
        in (response.headers["Content-Disposition"])
    )
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Kommune", "Kode", "Rolle", "Fællesskab", "Tilskud (kr.)", "Udbetalt (kr.)",
         "Resterende (kr.)"],
        ["Frederiksberg", "147", "Deltagerkommune", "Hovedstaden", "285714", "100000", "185714"],
    ]  # fmt: skip


def test_the_pdf_holds_the_figures(client, make_user, login, funding_round):
    login(make_user(Role.LEADERSHIP))
    response = get_pdf(client, f"/rapporter/tilskud/{SLUG}?format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename=tilskud-vagtplanlaegning-2026.pdf" in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    text = "\n".join(pages)
    assert "Tilskud: Vagtplanlægning 2026" in pages[0] and "Alle kommuner i forløbet" in pages[0]
    assert "1. januar 2026 – 31. marts 2027" in pages[0]
    assert f"Side 1 af {len(pages)}" in pages[0]
    assert "285.714 kr. til hver af 7 deltagerkommuner, rest 2 kr." in text
    assert "Deltagerkommuner 7 2.000.000 1.999.998 2 100.000 1.899.998 5,0 %" in text
    assert "I alt, Hovedstaden 1.757.142 400.000 1.357.142" in text
    assert "I alt 3.799.998 400.000 3.399.998" in text
    assert "01.02.2026 København 300.000 Første rate" in text
    assert (
        db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "report_downloaded",
                AuditEvent.round_id == funding_round.round.id,
            )
        ).details["format"]
        == "pdf"
    )


def test_the_cli_writes_the_same_report(app, client, make_user, login, funding_round, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "tilskud.csv"
    result = runner.invoke(
        args=["report", "funding", "--round", SLUG, "--municipality", "147",
              "--format", "csv", "--output", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    login(make_user(Role.COORDINATOR))
    downloaded = client.get(f"/rapporter/tilskud/{SLUG}?kommune=147&format=csv").data
    assert out.read_bytes() == downloaded

    # into a directory: the report's own file name; a community's report as PDF
    community = funding_round.mid.id
    result = runner.invoke(
        args=["report", "funding", "--community", str(community), "--format", "pdf",
              "--output", str(tmp_path)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "tilskud-vagtplanlaegning-2026-faellesskab-midt.pdf"
    text = "\n".join(pdf_pages(pdf.read_bytes()))
    assert "Fællesskab Midt" in text and "I alt, Midt 1.471.428 0 1.471.428" in text
    assert "Dannet " in text and " kl. " in text

    # across rounds as a workbook
    result = runner.invoke(
        args=["report", "funding", "--format", "xlsx", "--output", str(tmp_path / "alle.xlsx")]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "alle.xlsx")
    assert book["Overblik"]["E2"].value == 3_799_998
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_downloaded")
    ).all()
    assert sum(1 for e in events if e.details.get("via") == "cli") == 3


def test_the_cli_refuses_what_it_cannot_find(app, funding_round, tmp_path):
    runner = app.test_cli_runner()
    out = str(tmp_path / "x.pdf")
    for args, message in (
        (["--round", "ingen"], "intet forløb"),
        (["--round", SLUG, "--municipality", "999"], "ingen kommune med koden 999"),
        (["--round", SLUG, "--municipality", "165"], "Albertslund deltager ikke i forløbet"),
        (["--community", "987654"], "intet sådant fællesskab"),
        (["--municipality", "147", "--community", "1"], "ikke begge"),
    ):
        result = runner.invoke(args=["report", "funding", *args, "--output", out])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, result.output
    assert not (tmp_path / "x.pdf").exists()


def test_no_pdf_page_holds_a_footnote_alone(client, make_user, login):
    """The demo's screen-visit round once put its override footnote alone on the last page."""
    from portal.demo import load_demo

    load_demo()
    db.session.commit()
    login(make_user(Role.LEADERSHIP))
    pages = pdf_pages(get_pdf(client, "/rapporter/tilskud/skaermbesoeg-2025?format=pdf").data)
    note = "Tilskud fastsat af koordinatoren"
    assert note in "\n".join(pages)
    for page in pages[1:]:
        body = [
            line
            for line in page.splitlines()
            if line.strip() and not line.startswith(("Tilskud:", "Dannet"))
        ]
        assert not (body and body[0].startswith(note)), page
    assert "Udbetalinger\nUdbetalinger" not in "\n".join(pages)  # a title said once
