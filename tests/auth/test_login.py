from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db


def test_login_page_is_danish_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Log ind" in response.get_data(as_text=True)
    assert response.headers["Content-Language"] == "da"


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_municipal_user_logs_in_and_sees_own_municipality(client, make_user, login):
    user = make_user(Role.MUNICIPAL, code=751)
    login(user)
    page = client.get("/").get_data(as_text=True)
    assert "Aarhus Kommune" in page
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id))
    assert "login" in list(events)
