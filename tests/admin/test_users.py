"""The admin's user pages: list, create, edit, deactivate, reset password."""

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.db import db
from tests.conftest import PASSWORD, municipality


@pytest.fixture
def admin(make_user, login):
    user = make_user(Role.ADMIN, name="Anna Admin")
    login(user)
    return user


def user_count():
    return db.session.scalar(select(func.count(User.id)))


def form(**overrides):
    data = {
        "email": "ny@aarhus.dk",
        "name": "Ny Projektleder",
        "role": "municipal",
        "municipality_id": str(municipality(751).id),
        "password": "en-lang-kode-1",
        "active": "y",
    }
    data.update(overrides)
    return data


def test_list_search_filter_sort_and_paginate(client, admin, make_user, app):
    for n in range(30):
        make_user(Role.MUNICIPAL, code=461, name=f"Odense bruger {n:02d}")
    make_user(Role.LEADERSHIP, code=751, name="Aarhus direktør")
    first = client.get("/admin/brugere/").get_data(as_text=True)
    assert "32 brugere" in first and "Side 1 af 2" in first
    found = client.get("/admin/brugere/?q=direktør").get_data(as_text=True)
    assert "Aarhus direktør" in found and "Odense bruger" not in found
    by_role = client.get("/admin/brugere/?role=leadership").get_data(as_text=True)
    assert "1 bruger" in by_role
    by_municipality = client.get(
        f"/admin/brugere/?municipality={municipality(461).id}&sort=-name&page=2"
    ).get_data(as_text=True)
    assert "30 brugere" in by_municipality and "Odense bruger 04" in by_municipality
    assert "Odense bruger 29" not in by_municipality  # descending: 29 is on page 1
    assert client.get("/admin/brugere/?sort=password_hash").status_code == 200
    assert client.get("/admin/brugere/?page=999").status_code == 200


def test_admin_creates_a_municipal_user_who_can_log_in(client, admin):
    assert client.post("/admin/brugere/ny", data=form()).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "ny@aarhus.dk"))
    assert user.role == Role.MUNICIPAL and user.municipality.code == 751
    created = select(AuditEvent).where(
        AuditEvent.action == "user_created", AuditEvent.object_id == user.id
    )
    assert db.session.scalar(created).actor_id == admin.id
    client.post("/logout")
    assert (
        client.post(
            "/login", data={"email": "NY@aarhus.dk", "password": "en-lang-kode-1"}
        ).status_code
        == 302
    )


def test_temporary_password_is_shown_once(client, admin):
    response = client.post("/admin/brugere/ny", data=form(password=""), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Midlertidig adgangskode til ny@aarhus.dk: " in page
    shown = page.split("Midlertidig adgangskode til ny@aarhus.dk: ")[1][:14]
    client.post("/logout")
    assert (
        client.post("/login", data={"email": "ny@aarhus.dk", "password": shown}).status_code == 302
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"municipality_id": ""},
            "municipality_id",
            "En kommunal bruger skal høre til en kommune.",
        ),
        ({"role": "coordinator"}, "municipality_id", "hører ikke til en kommune"),
        ({"email": "ikke-en-adresse"}, "email", "Angiv en gyldig e-mailadresse."),
        ({"password": "kort"}, "password", "mindst 10 tegn"),
        ({"name": ""}, "name", "Angiv et navn."),
    ],
)
def test_refusals_at_the_field_keep_the_input(client, admin, overrides, field, message):
    before = user_count()
    response = client.post("/admin/brugere/ny", data=form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page.split(f'id="{field}-error"')[1].split("</p>")[0]
    if field != "name":
        assert 'value="Ny Projektleder"' in page
    assert user_count() == before


def test_duplicate_email_is_refused_case_insensitively(client, admin, make_user):
    make_user(Role.MUNICIPAL, email="ny@aarhus.dk")
    response = client.post("/admin/brugere/ny", data=form(email="NY@Aarhus.dk"))
    assert "Der findes allerede en bruger med denne e-mailadresse." in response.get_data(
        as_text=True
    )


def test_edit_role_and_municipality_with_conflict_on_a_stale_form(client, admin, make_user):
    user = make_user(Role.MUNICIPAL, code=751)
    url = f"/admin/brugere/{user.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'name="version" type="hidden" value="{user.version}"' in page
    data = {
        "email": user.email,
        "name": user.name,
        "role": "leadership",
        "municipality_id": str(municipality(461).id),
        "version": str(user.version),
    }
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(user)
    assert user.role == Role.LEADERSHIP and user.municipality.code == 461 and user.active
    stale = client.post(url, data={**data, "role": "reviewer"})
    assert "ændret af en anden" in stale.get_data(as_text=True)
    db.session.refresh(user)
    assert user.role == Role.LEADERSHIP
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_updated"))
    assert audit.details["changes"]["role"] == ["municipal", "leadership"]


def test_admin_cannot_demote_or_deactivate_themself(client, admin):
    data = {
        "email": admin.email,
        "name": admin.name,
        "role": "coordinator",
        "municipality_id": "",
        "version": str(admin.version),
    }
    response = client.post(f"/admin/brugere/{admin.id}", data=data)
    assert "Du kan ikke ændre din egen rolle" in response.get_data(as_text=True)
    client.post(f"/admin/brugere/{admin.id}/aktiv", data={"active": "0"})
    db.session.refresh(admin)
    assert admin.active and admin.role == Role.ADMIN


def test_deactivation_ends_the_users_session_and_login(app, client, admin, make_user):
    user = make_user(Role.MUNICIPAL)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/").status_code == 200
    client.post(f"/admin/brugere/{user.id}/aktiv", data={"active": "0"})
    assert other.get("/").status_code == 302
    assert "Forkert e-mail eller adgangskode." in other.post(
        "/login", data={"email": user.email, "password": PASSWORD}
    ).get_data(as_text=True)
    client.post(f"/admin/brugere/{user.id}/aktiv", data={"active": "1"})
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_reset_password(app, client, admin, make_user):
    user = make_user(Role.COORDINATOR)
    client.post(f"/admin/brugere/{user.id}/adgangskode", data={"password": "helt-ny-kode-42"})
    other = app.test_client()
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert (
        other.post("/login", data={"email": user.email, "password": "helt-ny-kode-42"}).status_code
        == 302
    )
    short = client.post(
        f"/admin/brugere/{user.id}/adgangskode", data={"password": "kort"}, follow_redirects=True
    )
    assert "mindst 10 tegn" in short.get_data(as_text=True)


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/brugere/999999").status_code == 404
