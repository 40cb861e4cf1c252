"""The round's review as XLSX (real numbers) and an application's PDF dossier (read back)."""

from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import db
from portal.review import decisions, services
from tests.review.conftest import AAR, CPH, GEN, ODE, apply, assign, mid, submitted


def test_the_whole_review_exports_to_xlsx_with_numbers(
    app, client, login, round_, coordinator, expert, reviewer
):
    aarhus = apply(round_, AAR)
    odense = apply(round_, ODE)
    apply(round_, CPH, role="lead")
    submitted(aarhus, expert, coordinator, 5, 3, 1)  # 3.5
    submitted(aarhus, reviewer, coordinator, 4, 4, 4)  # 4.0 → 3.75
    abstained = assign(odense, expert, coordinator)
    services.declare_conflict(abstained, "Tidligere ansat i Odense.", actor=expert)
    with app.test_request_context():
        decisions.decide(aarhus, "approved", "Bedst bedømt.", actor=coordinator)
    db.session.commit()
    login(coordinator)
    response = client.get(f"/vurdering/forloeb/{round_.slug}/bedoemmelser.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["Ansøgninger", "Bedømmelser"]
    sheet = book["Ansøgninger"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    rows = {
        r[2]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    row = rows["Aarhus"]
    assert row["Rang"] == 1 and row["Gennemsnitlig vægtet score"] == 3.75
    assert row["Færdige bedømmelser"] == 2 and row["Tildelte bedømmelser"] == 2
    assert row["Afgørelse"] == "Godkendt" and row["Begrundelse"] == "Bedst bedømt."
    assert rows["Odense"]["Gennemsnitlig vægtet score"] is None
    average_cell = sheet.cell(row=[c.value for c in sheet["C"]].index("Aarhus") + 1, column=10)
    assert isinstance(average_cell.value, float) and average_cell.number_format == "0.00"

    reviews = book["Bedømmelser"]
    assert reviews.freeze_panes == "A2"
    header = [c.value for c in reviews[1]]
    lines = [
        dict(zip(header, r, strict=True)) for r in reviews.iter_rows(min_row=2, values_only=True)
    ]
    first = next(r for r in lines if r["Bedømmer"] == "Erik Ekspert" and r["Kommune"] == "Aarhus")
    assert first["Kommunens erfaring: score"] == 5
    assert isinstance(first["Kommunens erfaring: score"], int)
    assert first["Vægtet score"] == 3.5
    assert first["Ledelsesmæssig forankring: kommentar"] == "God leadership"
    conflict = next(r for r in lines if r["Kommune"] == "Odense")
    assert (
        conflict["Status"] == "Inhabil" and conflict["Inhabilitet"] == "Tidligere ansat i Odense."
    )
    assert db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "review_exported", AuditEvent.round_id == round_.id
        )
    )


def test_an_application_exports_to_a_pdf_dossier(app, client, login, round_, coordinator, expert):
    application = apply(
        round_, CPH, role="lead", members=[mid(GEN)], motivation="Vi vil skalere i hele byen."
    )
    submitted(application, expert, coordinator, 5, 3, 1)
    with app.test_request_context():
        decisions.decide(application, "waitlisted", "Afventer flere deltagere.", actor=coordinator)
    db.session.commit()
    login(coordinator)
    response = client.get(f"/vurdering/ansoegning/{application.id}/dossier.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ansøgning fra København" in text and "Gentofte" in text
    assert "Vi vil skalere i hele byen." in text
    assert "Erik Ekspert" in text and "3,50" in text  # (2×5 + 3 + 1) / 4
    assert "God experience" in text
    assert "På venteliste" in text and "Afventer flere deltagere." in text
    assert f"Side 1 af {len(reader.pages)}" in text
    assert db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "dossier_downloaded", AuditEvent.application_id == application.id
        )
    )


def test_the_pdf_renderer_loads_nothing_from_outside(monkeypatch):
    import urllib.request

    from portal.pdf import render_pdf

    fetched = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda self, url, *a, **k: fetched.append(url)
    )
    pdf = render_pdf(
        '<html lang="da"><head><title>t</title><link rel="stylesheet" href="http://x.test/a.css">'
        '</head><body><p>Tekst</p><img src="https://x.test/b.png" alt="billede">'
        '<img src="file:///etc/passwd" alt="fil"></body></html>'
    )
    assert fetched == []
    assert "Tekst" in PdfReader(BytesIO(pdf)).pages[0].extract_text()


def test_reasons_and_comments_are_text_in_the_workbook(
    app, client, login, round_, coordinator, expert
):
    """A decision reason or a reviewer's note shaped like a formula stays text."""
    aarhus = apply(round_, AAR)
    odense = apply(round_, ODE)
    services.declare_conflict(
        assign(odense, expert, coordinator), '=HYPERLINK("http://x")', actor=expert
    )
    with app.test_request_context():
        decisions.decide(aarhus, "approved", "@SUM(1+1)", actor=coordinator)
    db.session.commit()
    login(coordinator)
    book = load_workbook(
        BytesIO(client.get(f"/vurdering/forloeb/{round_.slug}/bedoemmelser.xlsx").data)
    )
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    planted = [c for c in cells if c.value in ("@SUM(1+1)", '=HYPERLINK("http://x")')]
    assert len(planted) == 2 and all(c.quotePrefix for c in planted)
