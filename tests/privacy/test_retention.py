"""The retention table applied: what the dry run lists is exactly what the real run makes
anonymous, nothing younger is touched, figures and decisions stay, and each run is recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.applications.models import Application
from portal.audit import services as audit
from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.db import db, utcnow
from portal.notifications.models import OutboxMessage
from portal.privacy import retention
from portal.privacy.erasure import is_erased
from portal.privacy.models import RetentionRun
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round

DAY = timedelta(days=1)


def _world(make_user):
    now = utcnow()
    admin = make_user(Role.ADMIN)
    old_user = make_user(Role.MUNICIPAL, 751, name="Gamle Gunnar", email="gunnar@aarhus.dk")
    recent_user = make_user(Role.MUNICIPAL, 751)
    idle_admin = make_user(Role.ADMIN)
    old_user.last_login_at = now - 3 * 365 * DAY
    idle_admin.last_login_at = now - 3 * 365 * DAY
    recent_user.last_login_at = now - 30 * DAY
    round_ = create_round(create_programme())
    old = create_application(round_, municipality(751).id, status="rejected")
    old.decided_at = now - 4 * 365 * DAY
    young = create_application(round_, municipality(461).id, status="rejected")
    young.decided_at = now - 365 * DAY
    approved = create_application(round_, municipality(101).id, status="approved")
    approved.decided_at = now - 4 * 365 * DAY
    sent_old = OutboxMessage(
        to_address="a@b.dk", subject="s", body="Kære A", sent_at=now - 200 * DAY
    )
    sent_new = OutboxMessage(
        to_address="c@d.dk", subject="s", body="Kære C", sent_at=now - 10 * DAY
    )
    db.session.add_all([sent_old, sent_new])
    line_old = audit.record(
        "user_updated",
        actor=admin,
        obj=recent_user,
        ip="10.0.0.1",
        changes={"email": ["x@y.dk", "z@y.dk"]},
    )
    line_old.at = now - 6 * 365 * DAY
    line_new = audit.record("user_updated", actor=admin, obj=recent_user, ip="10.0.0.2")
    db.session.commit()
    return locals()


def test_the_dry_run_lists_exactly_what_the_real_run_changes(make_user):
    w = _world(make_user)
    dry, dry_record = retention.run(dry_run=True, origin="cli")
    db.session.commit()
    listed = {(i.kind, i.row_id) for i in dry}
    assert {
        ("rejected_application_contacts", w["old"].id),
        ("inactive_users", w["old_user"].id),
        ("sent_emails", w["sent_old"].id),
        ("audit_log", w["line_old"].id),
    } <= listed
    assert (
        not {
            ("rejected_application_contacts", w["young"].id),
            ("rejected_application_contacts", w["approved"].id),
            ("inactive_users", w["recent_user"].id),
            ("inactive_users", w["idle_admin"].id),
            ("sent_emails", w["sent_new"].id),
            ("audit_log", w["line_new"].id),
        }
        & listed
    )
    # the dry run changed nothing
    assert db.session.get(Application, w["old"].id).project_lead_email == "pia@kommune.dk"
    assert dry_record.dry_run and sum(dry_record.counts.values()) == len(dry)

    done, record = retention.run(dry_run=False, origin="job")
    db.session.commit()
    assert {(i.kind, i.row_id) for i in done} == listed
    assert retention.plan() == []  # nothing left to do

    old = db.session.get(Application, w["old"].id)
    assert (old.project_lead_name, old.project_lead_email, old.project_owner_name) == ("", "", "")
    assert old.status.value == "rejected" and old.decided_at is not None  # the decision stays
    assert db.session.get(Application, w["young"].id).project_lead_email == "pia@kommune.dk"
    assert is_erased(db.session.get(User, w["old_user"].id))
    assert not is_erased(db.session.get(User, w["idle_admin"].id))
    assert db.session.get(OutboxMessage, w["sent_old"].id).to_address == ""
    assert db.session.get(OutboxMessage, w["sent_new"].id).body == "Kære C"
    line = db.session.get(AuditEvent, w["line_old"].id)
    assert line.actor_id is None and line.ip is None
    assert line.details["changes"]["email"] == ["(fjernet)", "(fjernet)"]
    assert line.details["actor"] == retention.pseudonym(w["admin"].id)
    assert db.session.get(AuditEvent, w["line_new"].id).ip == "10.0.0.2"
    runs = db.session.scalars(select(RetentionRun).order_by(RetentionRun.id)).all()
    assert [(r.dry_run, r.origin) for r in runs][-2:] == [(True, "cli"), (False, "job")]


def test_the_table_in_the_configuration_decides(app, make_user):
    w = _world(make_user)
    days = dict(app.config["RETENTION"])
    app.config["RETENTION"] = {**days, "sent_emails": 5}
    try:
        ids = {i.row_id for i in retention.plan() if i.kind == "sent_emails"}
    finally:
        app.config["RETENTION"] = days
    assert {w["sent_old"].id, w["sent_new"].id} <= ids


def test_the_command_prints_what_would_go(app, make_user):
    w = _world(make_user)
    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"inactive_users\tBruger {w['old_user'].id}" in result.output
    assert "would be made anonymous" in result.output
    assert not is_erased(db.session.get(User, w["old_user"].id))


def test_the_privacy_notice_shows_the_table(client):
    page = client.get("/tilgaengelighed").get_data(as_text=True)
    assert "Privatlivserklæring" in page
    assert "Kontaktoplysninger (projektleder og projektejer) i afslåede ansøgninger" in page
    assert "1.095 dage efter afgørelsen" in page


def test_the_admins_page_lists_the_table_and_the_runs(client, login, make_user):
    admin = make_user(Role.ADMIN)
    empty = client.get("/admin/persondata/")
    assert empty.status_code == 302  # a login first
    login(admin)
    assert "Slettereglerne er ikke kørt endnu." in client.get("/admin/persondata/").get_data(
        as_text=True
    )
    retention.run(dry_run=True, origin="cli")
    db.session.commit()
    page = client.get("/admin/persondata/").get_data(as_text=True)
    assert "Prøvekørsel (cli)" in page and "730 dage efter seneste login" in page
