"""A person erased on request leaves no trace in any text column of any table, while what
they did stays (GDPR article 17)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.applications.models import Application
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.db import db
from portal.errors import NotAllowed
from portal.privacy.erasure import erase_person, is_erased
from tests.privacy.conftest import EMAIL, NAME, naive_scan


def test_erasure_leaves_no_trace_and_keeps_what_the_person_did(spread):
    assert naive_scan((NAME, EMAIL))  # the fixture did spread the person around
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))

    erased = erase_person(spread.person, actor=spread.admin)
    db.session.commit()

    assert naive_scan((NAME, EMAIL)) == []
    assert {"applications", "audit_events", "outbox_messages", "notifications"} <= set(
        erased.tables
    )
    person = db.session.get(User, spread.person.id)
    assert is_erased(person) and not person.active
    assert person.name == "Slettet person (Kommunal medarbejder)"
    application = db.session.get(Application, spread.application_id)
    assert application.project_lead_name == person.name
    assert application.motivation == f"Kontakt {person.name} for spørgsmål."
    assert application.status.value == "submitted"  # the application itself stays
    # the audit keeps every line, and one more saying who erased (without the name)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1
    line = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_erased"))
    assert line.actor_id == spread.admin.id and line.object_id == person.id
    # a namesake is another person
    other = db.session.get(User, spread.other.id)
    assert other.name == "Søren Andersen" and other.email == "soren.a@aarhus.dk"


def test_an_erased_person_cannot_log_in(spread, client):
    erase_person(spread.person, actor=spread.admin)
    db.session.commit()
    response = client.post("/login", data={"email": EMAIL, "password": "x" * 12})
    assert response.status_code == 200  # the login form again, no session


def test_nobody_erases_themselves_and_nobody_is_erased_twice(spread):
    with pytest.raises(NotAllowed):
        erase_person(spread.admin, actor=spread.admin)
    erase_person(spread.person, actor=spread.admin)
    with pytest.raises(NotAllowed):
        erase_person(spread.person, actor=spread.admin)


def test_the_admin_confirms_twice_and_a_rejected_confirmation_keeps_what_was_typed(
    spread, client, login
):
    login(spread.admin)
    person_page = client.get(f"/admin/persondata/{spread.person.id}")
    assert person_page.status_code == 200
    assert "Slet personens data" in person_page.get_data(as_text=True)

    first = client.get(f"/admin/persondata/{spread.person.id}/slet")
    assert "Slettet person (Kommunal medarbejder)" in first.get_data(as_text=True)

    missing_reason = client.post(
        f"/admin/persondata/{spread.person.id}/slet", data={"email": EMAIL}
    )
    page = missing_reason.get_data(as_text=True)
    assert "Der er problemer med formularen" in page and f'value="{EMAIL}"' in page
    wrong = client.post(
        f"/admin/persondata/{spread.person.id}/slet",
        data={"requested": "y", "email": "someone@else.dk"},
    )
    assert "E-mailadressen er ikke personens." in wrong.get_data(as_text=True)
    assert not is_erased(db.session.get(User, spread.person.id))

    done = client.post(
        f"/admin/persondata/{spread.person.id}/slet", data={"requested": "y", "email": EMAIL}
    )
    # a job (the worker runs it; here at once): its page with the bar, then the result
    assert done.status_code == 303 and "/filer/" in done.location
    job_page = client.get(done.location).get_data(as_text=True)
    assert "Personens navn og e-mail er slettet overalt." in job_page
    assert is_erased(db.session.get(User, spread.person.id))
    assert naive_scan((NAME, EMAIL)) == []


def test_only_admins_reach_a_persons_data(spread, client, login, make_user):
    from portal.auth.models import Role

    login(make_user(Role.COORDINATOR))
    assert client.get(f"/admin/persondata/{spread.person.id}").status_code in (403, 404)
    assert client.post(f"/admin/persondata/{spread.person.id}/eksport").status_code in (403, 404)
