"""In the demo: the retention's dry run lists the former project lead, and an erased demo
user (a project lead whose name the demo spread into applications, the audit log and e-mails)
leaves no trace."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.db import db
from portal.demo import load_demo
from portal.demo.privacy import FORMER_LEAD
from portal.privacy import retention
from portal.privacy.erasure import erase_person
from tests.privacy.conftest import naive_scan


def test_the_demo_has_something_to_retain_and_an_erased_user_leaves_no_trace():
    load_demo()
    former = db.session.scalar(select(User).where(User.email == FORMER_LEAD))
    plan = retention.plan()
    assert ("inactive_users", former.id) in {(i.kind, i.row_id) for i in plan}

    lead = db.session.scalar(select(User).where(User.email == "projektleder.aarhus@demo.dk"))
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.dk"))
    needles = (lead.email, lead.name)
    assert naive_scan(needles)
    erase_person(lead, actor=admin)
    db.session.commit()
    assert naive_scan(needles) == []
