"""The progress report as a page and as files, downloaded and from the CLI, against the hand
calculation (see ``progress_round``). One PDF is rendered."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from portal.reports import progress
from tests.plain_text import code_forms
from tests.reports.conftest import AAR
from tests.reports.helpers import get_pdf, pdf_pages


def test_leadership_downloads_its_municipalitys_pdf(client, make_user, login, progress_round):
    for line in progress_round.round.programme.benefits:  # the fixture's names hold the keys
        line.name_da = {"km": "Sparede kilometer"}.get(line.key, "Frigjort tid")
    db.session.commit()
    login(make_user(Role.LEADERSHIP, code=AAR))
    slug = progress_round.round.slug
    response = get_pdf(client, f"/rapporter/fremdrift/{slug}?kommune={AAR}&format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"fremdrift-{slug}-751-aarhus.pdf" in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    text = "\n".join(pages)
    assert f"Side 1 af {len(pages)}" in pages[0] and len(pages) > 3
    assert "Aarhus Kommune" in pages[0] and "1. september 2025 – 31. marts 2027" in pages[0]
    assert "Indhold" in pages[0]  # a contents list for a report of many sections
    assert "nettogevinst 421.002 kr." in pages[0]
    assert "Frigjort tid 1.800 timer" in text and "Nettogevinst 421.002 kr." in text
    assert "Screen visits besøg pr. måned 100,0 400,0 300,0 67 % På sporet" in text
    assert "Frigjort tid 1.800 450.000" in text
    assert "sep. 2025 150 37.500 28.998 8.502 8.502 0,09" in text
    assert "Aarhus har fundet sin rytme" in text
    assert "Sådan er gevinsterne beregnet" in text
    assert "Screen visits × minutes saved ÷ 60" in text and "Timepris" in text
    assert code_forms(" ".join(text.split())) == []  # plain Danish, no code form anywhere
    assert "Dannet " in text and " kl. " in text
    assert "København" not in text and "Frederiksberg" not in text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    assert event.details["report"] == "progress" and event.details["format"] == "pdf"


def test_the_page_shows_the_charts_and_the_downloads(client, make_user, login, progress_round):
    login(make_user(Role.COORDINATOR))
    slug = progress_round.round.slug
    page = client.get(f"/rapporter/fremdrift/{slug}").get_data(as_text=True)
    assert f"<h1>Fremdrift: {progress_round.round.name_da}</h1>" in page
    assert page.count("<svg") == 1 and 'role="img"' in page
    assert ">421.002<" in page and ">67 %<" in page.replace("\xa0", " ")
    assert f"/rapporter/fremdrift/{slug}?format=pdf" in page
    own = client.get(f"/rapporter/fremdrift/{slug}?kommune={AAR}").get_data(as_text=True)
    assert own.count("<svg") == 4  # each indicator over time, against its target


def test_coordinator_downloads_the_rounds_workbook(client, make_user, login, progress_round):
    """Made as a job (every municipality's rows): the link's page starts it, the job's page
    hands over the file (Huey's immediate mode under TESTING: done at once)."""
    login(make_user(Role.COORDINATOR))
    slug = progress_round.round.slug
    page = client.get(f"/rapporter/fremdrift/{slug}?format=xlsx").get_data(as_text=True)
    assert 'action="/filer/"' in page and 'value="progress_xlsx"' in page
    started = client.post("/filer/", data={"kind": "progress_xlsx", "slug": slug})
    assert started.status_code == 303
    response = client.get(f"{started.headers['Location']}/fil")
    assert response.status_code == 200
    assert f"fremdrift-{slug}.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:5] == [
        "Om rapporten",
        "Alle tal",
        "Nøgletal",
        "Overblik",
        "Gevinster",
    ]
    main = book["Alle tal"]
    header = [c.value for c in main[1]]
    assert header[:6] == ["Kommune", "Kode", "Fællesskab", "Indikator", "Enhed", "Basislinje"]
    aarhus = next(row for row in main.iter_rows(min_row=2) if row[0].value == "Aarhus")
    assert aarhus[3].value == "Screen visits"
    assert aarhus[5].value == 100 and aarhus[5].data_type == "n"
    assert aarhus[7].is_date and aarhus[7].number_format == "dd.mm.yyyy"
    assert abs(aarhus[10].value - 2 / 3) < 1e-9 and aarhus[10].number_format == "0.0%"
    assert aarhus[11].value == "På sporet"
    small = next(
        row
        for row in main.iter_rows(min_row=2)
        if row[0].value == "København" and row[3].value == "Citizens screen"
    )
    assert small[8].value == "< 5"  # text, in every format
    benefits = book["Gevinster"]
    total = benefits[benefits.max_row]
    assert total[0].value == "I alt" and total[6].value == 445_902
    assert total[6].number_format == '#,##0 "kr."' and total[6].font.bold
    # issue 21: the key figures as numbers, per community and the round in all
    key = [[c.value for c in row] for row in book["Nøgletal"].iter_rows()]
    assert key[0][:7] == [
        "Fællesskab",
        "Kommuner",
        "Frigjort tid (timer)",
        "Årsværk (seneste 12 måneder)",
        "Gevinst, brutto",
        "Omkostninger",
        "Nettogevinst",
    ]
    assert [row[0] for row in key[1:]] == [
        "Hovedstaden",
        "Uden fællesskab",
        progress_round.round.name_da,
    ]
    assert key[-1][1] == 3 and key[-1][2] == 1910 and key[-1][6] == 445_902
    assert key[2][4] == 450_000 and key[2][5] == 28_998 and key[2][6] == 421_002
    about = [[c.value for c in row] for row in book["Om rapporten"].iter_rows()]
    assert ["Nøgletal", "Nøgletal"] in about  # every sheet listed with its full title


def test_the_cli_writes_the_same_report(app, client, make_user, login, progress_round, tmp_path):
    runner = app.test_cli_runner()
    slug = progress_round.round.slug
    out = tmp_path / "aarhus.csv"
    result = runner.invoke(
        args=["report", "progress", "--round", slug, "--municipality", "751",
              "--format", "csv", "--output", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    login(make_user(Role.COORDINATOR))
    downloaded = client.get(f"/rapporter/fremdrift/{slug}?kommune=751&format=csv").data
    assert out.read_bytes() == downloaded
    rows = list(csv.reader(io.StringIO(downloaded.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Fremdrift (%)", "Status"]
    assert rows[1] == ["Aarhus", "751", "", "Screen visits", "besøg pr. måned", "100",
                       "400", "2027-03-31", "300", "2026-08-01", "66,7", "På sporet"]  # fmt: skip

    # a community into a directory: the report's own file name
    community = progress_round.community.id
    result = runner.invoke(
        args=["report", "progress", "--community", str(community), "--format", "xlsx",
              "--output", str(tmp_path)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / f"fremdrift-{slug}-faellesskab-hovedstaden.xlsx")
    assert book["Om rapporten"]["B2"].value == "Fællesskab Hovedstaden"

    # without --round: every running round
    result = runner.invoke(
        args=["report", "progress", "--format", "csv", "--output", str(tmp_path / "alle.csv")]
    )
    assert result.exit_code == 0, result.output
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_downloaded")
    ).all()
    assert sum(1 for e in events if e.details.get("via") == "cli") == 3


def test_the_national_csv_names_the_round(app, progress_round, tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "local_today", lambda: date(2026, 6, 1))
    out = tmp_path / "alle.csv"
    result = app.test_cli_runner().invoke(
        args=["report", "progress", "--format", "csv", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Forløb", "Kommune"] and len(rows) == 13
    assert rows[1][:2] == [progress_round.round.name_da, "København"]


def test_the_cli_refuses_what_it_cannot_find(app, progress_round, tmp_path):
    runner = app.test_cli_runner()
    out = str(tmp_path / "x.pdf")
    for args, message in (
        (["--round", "ingen"], "intet forløb"),
        (["--municipality", "751"], "gælder ét forløb"),
        (["--round", progress_round.round.slug, "--municipality", "165"], "deltager ikke"),
    ):
        result = runner.invoke(args=["report", "progress", *args, "--output", out])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, result.output
    assert not (tmp_path / "x.pdf").exists()
