"""The demo's conversation: in the open round Odense asks the coordinator a question with its
budget attached (a PDF), the coordinator answers by asking for a correction — which reopens
the application with the answer as its reason — and Odense corrects its motivation and
submits again, so the application shows what changed between its two versions. Made through
the same services as the pages, inside the open round's part of the demo (loaded once)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

from portal.applications import services as applications
from portal.applications.data import ApplicationData
from portal.applications.models import Application
from portal.auth.models import User
from portal.conversations import services as conversations
from portal.conversations.models import ThreadKind

QUESTION = (
    "Vi har vedhæftet vores budget for skærmbesøg. Skal vi medregne licensen til"
    " skærmbesøgsløsningen i egenfinansieringen, eller dækker tilskuddet den?"
)
ANSWER = (
    "Tak for budgettet. Licensen skal med i egenfinansieringen. Skriv desuden i motivationen,"
    " hvor mange borgere I regner med at nå det første år, og indsend ansøgningen igen."
)
CORRECTED = (
    "Vi vil udbrede skærmbesøg i sygeplejen og frigøre tid. Det første år regner vi med at nå"
    " 120 borgere i hjemmesygeplejen."
)


def budget_pdf() -> bytes:
    """A one-page PDF, small enough to keep in the demo as bytes (WeasyPrint not needed)."""
    text = "Budget for skaermbesoeg 2026: licens 85.000 kr., udstyr 40.000 kr."
    stream = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    start = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    )
    return out.getvalue()


def load_conversation(
    application: Application,
    data: ApplicationData,
    municipal: User,
    coordinator: User,
    now: datetime,
) -> None:
    subject = conversations.Subject(ThreadKind.APPLICATION, application)
    conversations.post_message(
        subject,
        QUESTION,
        [conversations.Upload(io.BytesIO(budget_pdf()), "budget-skaermbesoeg-2026.pdf")],
        actor=municipal,
    )
    conversations.post_message(subject, ANSWER, actor=coordinator, ask_correction=True)
    applications.save_draft(application, replace(data, motivation=CORRECTED), actor=municipal)
    applications.submit(application, actor=municipal, now=now)
    conversations.post_message(
        subject, "Motivationen er rettet, og ansøgningen er indsendt igen.", actor=municipal
    )
