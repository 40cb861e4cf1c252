"""A person whose name and e-mail are spread over the portal the way use spreads them: in
their user, an application's contact fields, the audit log's details, an e-mail in the
outbox and a notice's words — and a second person of the same first name who must stay."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from portal.audit import services as audit
from portal.auth.models import Role, User
from portal.db import Base, db
from portal.notifications.models import Notification, OutboxMessage
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round

NAME = "Søren Sletmig Østergaard"
EMAIL = "soren.sletmig@aarhus.dk"


@dataclass
class Spread:
    person: User
    admin: User
    other: User
    application_id: int


@pytest.fixture
def spread(make_user) -> Spread:
    admin = make_user(Role.ADMIN)
    person = make_user(Role.MUNICIPAL, 751, name=NAME, email=EMAIL)
    other = make_user(Role.MUNICIPAL, 751, name="Søren Andersen", email="soren.a@aarhus.dk")
    round_ = create_round(create_programme())
    application = create_application(
        round_,
        municipality(751).id,
        project_lead_name=NAME,
        project_lead_email=EMAIL.upper(),  # typed in capitals: still the same address
        motivation=f"Kontakt {NAME} for spørgsmål.",
    )
    audit.record(
        "user_updated",
        actor=admin,
        obj=person,
        ip="10.1.2.3",
        changes={"name": ["Søren Sletmig", NAME], "email": ["s@aarhus.dk", EMAIL]},
    )
    db.session.add(
        OutboxMessage(to_address=EMAIL, subject="Påmindelse", body=f"Kære {NAME}\n\nHusk tallene.")
    )
    db.session.add(Notification(user_id=person.id, kind="reminder", params={"name": NAME}))
    db.session.commit()
    return Spread(person, admin, other, application.id)


def naive_scan(needles: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (table, column) whose value contains a needle — read row by row in Python, not
    through the module under test."""
    found = []
    lowered = [n.lower() for n in needles]
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, bytes) or value is None:
                    continue
                text = (
                    value
                    if isinstance(value, str)
                    else json.dumps(value, default=str, ensure_ascii=False)
                )
                if any(n in text.lower() for n in lowered):
                    found.append((table.name, column))
    return found
