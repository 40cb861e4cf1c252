"""Who sees which thread, by role and municipality, through the pages; the thread page, the
inbox, the panels, a rejected message keeping what was typed, and downloads."""

from __future__ import annotations

import io

import pytest

from portal.auth.models import Role
from portal.conversations import services
from portal.conversations.models import ThreadKind
from portal.db import db
from portal.review.models import Review, ReviewStatus
from tests.conversations.helpers import EXE, PDF
from tests.world import OTHER, OWN, USERS, build_world


@pytest.fixture
def world(app):
    return build_world()


def _expected(role: Role, code: int | None, whose: int) -> set[int]:
    """The answers a user may get for a thread of municipality ``whose``."""
    if role == Role.COORDINATOR:
        return {200}
    if role in (Role.MUNICIPAL, Role.LEADERSHIP) and code == whose == OWN:
        return {200}
    if role in (Role.MUNICIPAL, Role.LEADERSHIP):
        return {404}  # the thread of another municipality, or national leadership: none
    return {403}  # reviewers, regional consultants, admins: no conversations at all


@pytest.mark.parametrize("key", list(USERS))
def test_who_sees_which_thread_every_role_own_and_other(client, login, world, key):
    role, code = USERS[key]
    login(world.users[key])
    seen = {}
    for whose in (OWN, OTHER):
        values = world.values[whose]
        for path in (
            f"/samtaler/ansoegning/{values['application_id']}",
            f"/samtaler/deltagelse/{values['participation_id']}",
            f"/samtaler/rapport/{values['item_id']}",
            f"/samtaler/bilag/{values['attachment_id']}",
        ):
            status = client.get(path).status_code
            seen[path] = status
            assert status in _expected(role, code, whose) or (
                status == 404 and 403 in _expected(role, code, whose)
            ), (key, path, status)
    inbox = client.get("/samtaler/")
    if role in (Role.COORDINATOR, Role.MUNICIPAL, Role.LEADERSHIP):
        assert inbox.status_code == 200
        page = inbox.get_data(as_text=True)
        shows_own = "Aarhus" in page
        shows_other = "Odense" in page
        assert shows_own == (role == Role.COORDINATOR or code == OWN), key
        assert shows_other == (role == Role.COORDINATOR), key
    else:
        assert inbox.status_code == 403


def test_a_reviewer_assigned_to_the_application_never_sees_its_thread(client, login, world):
    review = db.session.get(Review, world.values[OWN]["review_id"])
    login(review.reviewer)
    application_id = world.values[OWN]["application_id"]
    assert client.get(f"/vurdering/ansoegning/{application_id}").status_code == 200
    assert client.get(f"/samtaler/ansoegning/{application_id}").status_code == 403
    page = client.get(f"/vurdering/ansoegning/{application_id}").get_data(as_text=True)
    assert "Et spørgsmål" not in page and "/samtaler/" not in page


def test_a_municipality_never_sees_the_reviewers_notes(client, login, world):
    review = db.session.get(Review, world.values[OWN]["review_id"])
    review.comment_experience = "INTERN NOTE: svag erfaring"
    review.status = ReviewStatus.SUBMITTED
    db.session.commit()
    login(world.users["municipal"])
    application_id = world.values[OWN]["application_id"]
    for path in (f"/ansoegninger/{application_id}", f"/samtaler/ansoegning/{application_id}"):
        response = client.get(path)
        assert response.status_code == 200
        assert "INTERN NOTE" not in response.get_data(as_text=True)


def test_a_leadership_user_reads_the_thread_but_cannot_write(client, login, world):
    login(world.users["leadership"])
    path = f"/samtaler/ansoegning/{world.values[OWN]['application_id']}"
    page = client.get(path).get_data(as_text=True)
    assert "Et spørgsmål" in page and "Send beskeden" not in page
    assert client.post(path, data={"body": "Hej"}).status_code == 403


def test_posting_on_the_page_sends_and_a_refused_file_keeps_the_text(case, client, login):
    login(case.lead)
    path = f"/samtaler/ansoegning/{case.application.id}"
    empty = client.get(path).get_data(as_text=True)
    assert "Ingen beskeder endnu." in empty
    typed = "Her er vores budget – se bilaget."
    refused = client.post(
        path,
        data={"body": typed, "attachments": [(io.BytesIO(EXE), "budget.pdf")]},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert typed in page and "error-summary" in page and "budget.pdf" in page
    sent = client.post(
        path,
        data={"body": typed, "attachments": [(io.BytesIO(PDF), "budget.pdf")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert typed in page and "budget.pdf" in page
    detail = client.get(f"/ansoegninger/{case.application.id}").get_data(as_text=True)
    assert "Samtale med koordinatoren" in detail and "1 besked" in detail


def test_unread_on_the_inbox_and_marking_read(case, client, login):
    services.post_message(
        services.Subject(ThreadKind.PARTICIPATION, case.participation),
        "Husk baseline",
        actor=case.coordinator,
    )
    db.session.commit()
    login(case.lead)
    inbox = client.get("/samtaler/").get_data(as_text=True)
    assert "1 ny" in inbox and "Husk baseline" in inbox
    thread = services.thread_of(services.Subject(ThreadKind.PARTICIPATION, case.participation))
    client.post(f"/samtaler/{thread.id}/laest")
    assert "1 ny" not in client.get("/samtaler/").get_data(as_text=True)


def test_the_coordinator_asks_for_a_correction_on_the_page(case, client, login):
    login(case.coordinator)
    response = client.post(
        f"/samtaler/ansoegning/{case.application.id}",
        data={"body": "Ret motivationen, tak.", "ask_correction": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert case.application.status.value == "draft"


def test_a_downloaded_attachment_is_the_stored_bytes(case, client, login):
    message = services.post_message(
        services.Subject(ThreadKind.REPORT, case.report),
        "Rapporten som PDF",
        [services.Upload(io.BytesIO(PDF), "rapport.pdf")],
        actor=case.lead,
    )
    db.session.commit()
    login(case.coordinator)
    response = client.get(f"/samtaler/bilag/{message.attachments[0].id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    client.post("/logout")
    login(case.odense)
    assert client.get(f"/samtaler/bilag/{message.attachments[0].id}").status_code == 404


def test_the_inbox_says_so_when_there_is_nothing(client, login, make_user):
    login(make_user(Role.MUNICIPAL, code=101))
    assert "Der er ingen samtaler endnu." in client.get("/samtaler/").get_data(as_text=True)


def test_the_audit_log_reads_the_conversations_lines(case, client, login):
    services.post_message(
        services.Subject(ThreadKind.APPLICATION, case.application),
        "Se bilagene",
        [
            services.Upload(io.BytesIO(PDF), "a.pdf"),
            services.Upload(io.BytesIO(PDF), "b.pdf"),
        ],
        actor=case.lead,
    )
    db.session.commit()
    login(case.coordinator)
    page = client.get("/logbog/").get_data(as_text=True)
    assert "Besked sendt" in page
    assert f"Bilag: a.pdf ({len(PDF)} B); b.pdf ({len(PDF)} B)" in page


def test_the_panels_on_the_participation_and_report_pages_only_for_those_who_may_read(
    case, client, login, make_user
):
    services.post_message(
        services.Subject(ThreadKind.PARTICIPATION, case.participation),
        "Velkommen i fællesskabet",
        actor=case.coordinator,
    )
    db.session.commit()
    pages = (f"/deltagere/{case.participation.id}", f"/rapportering/{case.report.id}")
    login(case.lead)
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert "Samtale med koordinatoren" in page, path
    assert "1 ny" in client.get(pages[0]).get_data(as_text=True)
    client.post("/logout")
    login(make_user(Role.REGIONAL, code=751))  # reads Aarhus's figures, not its letters
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "conversation-panel" not in response.get_data(as_text=True), path
