"""The admin's user pages: list, create, edit, deactivate, reset password."""

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.auth.services import user_listing, user_sorts
from portal.db import db
from portal.pagination import apply_sort, paginate
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


NON_ADMIN_ROLES = [Role.MUNICIPAL, Role.COORDINATOR, Role.REVIEWER, Role.LEADERSHIP]


def user_urls(target_id):
    """Every URL of the user pages with the methods it answers and a harmful POST body."""
    return [
        ("GET", "/admin/brugere/", None),
        ("GET", "/admin/brugere/ny", None),
        ("POST", "/admin/brugere/ny", form(email="indtrænger@example.dk")),
        ("GET", f"/admin/brugere/{target_id}", None),
        (
            "POST",
            f"/admin/brugere/{target_id}",
            {"email": "kapret@example.dk", "name": "Kapret", "role": "admin", "version": "1"},
        ),
        ("POST", f"/admin/brugere/{target_id}/aktiv", {"active": "0"}),
        ("POST", f"/admin/brugere/{target_id}/adgangskode", {"password": "overtaget-123"}),
    ]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_every_other_role_is_refused_every_user_page(app, client, make_user, login, role):
    target = make_user(Role.MUNICIPAL, code=751)
    actor = make_user(role, code=101 if role == Role.MUNICIPAL else None)
    before = (target.email, target.role, target.active, target.password_hash, user_count())
    login(actor)
    for method, url, data in user_urls(target.id):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, (role, method, url, response.status_code)
    db.session.refresh(target)
    assert (target.email, target.role, target.active, target.password_hash, user_count()) == before
    assert (
        app.test_client()
        .post("/login", data={"email": target.email, "password": PASSWORD})
        .status_code
        == 302
    )


def test_anonymous_is_sent_to_login(client, make_user):
    target = make_user(Role.MUNICIPAL)
    for method, url, data in user_urls(target.id):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)
    db.session.refresh(target)
    assert target.active and target.role == Role.MUNICIPAL


def test_roles_are_shown_in_danish(client, admin, make_user):
    for role in NON_ADMIN_ROLES:
        make_user(role)
    page = client.get("/admin/brugere/").get_data(as_text=True)
    for label in (
        "Kommunal medarbejder",
        "Koordinator",
        "Bedømmer",
        "Ledelse",
        "Administrator",
    ):
        assert f"<td>{label}</td>" in page


def test_role_sorts_by_its_danish_label(client, admin, make_user):
    make_user(Role.REVIEWER, name="Bente Bedømmer")
    make_user(Role.LEADERSHIP, name="Lis Ledelse", code=751)
    make_user(Role.COORDINATOR, name="Karl Koordinator")
    page = client.get("/admin/brugere/?sort=role").get_data(as_text=True)
    order = [page.index(name) for name in ("Anna Admin", "Bente", "Karl", "Lis")]
    assert order == sorted(order)  # Administrator, Bedømmer, Koordinator, Ledelse


def test_paging_a_tied_sort_shows_every_user_exactly_once(client, admin, make_user, app):
    per_page = app.config["PAGE_SIZE"]
    made = {make_user(Role.MUNICIPAL, code=461).email for _ in range(per_page + 5)}
    seen = []
    for number in (1, 2):
        page = client.get(f"/admin/brugere/?role=municipal&sort=role&page={number}")
        seen += [e for e in made if f"<td>{e}</td>" in page.get_data(as_text=True)]
    assert len(seen) == len(made) and set(seen) == made


def test_the_list_costs_the_same_queries_for_few_and_many(client, admin, make_user, count_queries):
    def queries():
        with count_queries() as counter:
            assert client.get("/admin/brugere/?sort=municipality").status_code == 200
        return counter.count

    for _ in range(3):
        make_user(Role.MUNICIPAL, code=461)
    few = queries()
    for n in range(20):
        make_user(Role.LEADERSHIP, code=[101, 751, 461, 147][n % 4])
    assert queries() == few


def test_search_wildcards_are_plain_characters(client, admin, make_user):
    make_user(Role.COORDINATOR, name="Procent 100% Hansen")
    make_user(Role.COORDINATOR, name="Understreg Jensen")
    percent = client.get("/admin/brugere/?q=100%25").get_data(as_text=True)
    assert "Procent 100% Hansen" in percent and "1 bruger" in percent
    underscore = client.get("/admin/brugere/?q=_").get_data(as_text=True)
    assert "Ingen brugere matcher søgningen." in underscore


def test_page_links_carry_the_filters_but_no_url_instructions(client, admin, make_user):
    for _ in range(30):
        make_user(Role.MUNICIPAL, code=461)
    response = client.get(
        "/admin/brugere/?role=municipal&_external=1&_scheme=javascript&_anchor=x&endpoint=y"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "javascript:" not in page and "#x" not in page
    assert 'href="/admin/brugere/?role=municipal&amp;page=2"' in page


def test_page_past_the_end_shows_the_last_page(client, admin, make_user):
    for n in range(30):
        make_user(Role.MUNICIPAL, code=461, name=f"Bruger {n:02d}")
    page = client.get("/admin/brugere/?page=999&sort=name").get_data(as_text=True)
    assert "Side 2 af 2" in page and "Bruger 29" in page and "Bruger 00" not in page


def test_refused_create_keeps_the_chosen_role_and_municipality(client, admin):
    aarhus = municipality(751).id
    page = client.post("/admin/brugere/ny", data=form(email="")).get_data(as_text=True)
    assert '<option selected value="municipal">' in page
    assert f'<option selected value="{aarhus}">' in page
    assert "Angiv en e-mailadresse." in page.split('id="email-error"')[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("role", "with_municipality", "accepted"),
    [
        ("municipal", True, True),
        ("municipal", False, False),
        ("reviewer", True, True),
        ("reviewer", False, True),
        ("leadership", True, True),
        ("leadership", False, True),
        ("coordinator", True, False),
        ("coordinator", False, True),
        ("admin", True, False),
        ("admin", False, True),
    ],
)
def test_which_roles_belong_to_a_municipality(client, admin, role, with_municipality, accepted):
    chosen = str(municipality(751).id) if with_municipality else ""
    response = client.post("/admin/brugere/ny", data=form(role=role, municipality_id=chosen))
    user = db.session.scalar(select(User).where(User.email == "ny@aarhus.dk"))
    assert (response.status_code == 302) == accepted == (user is not None)
    if not accepted:
        error = response.get_data(as_text=True).split('id="municipality_id-error"')[1]
        assert "kommune" in error.split("</p>")[0]


@pytest.mark.parametrize("posted", ["²", "99999999999999999999", "abc", "0"])
def test_a_forged_municipality_is_refused_at_the_field(client, admin, posted):
    response = client.post("/admin/brugere/ny", data=form(municipality_id=posted))
    assert response.status_code == 200
    error = response.get_data(as_text=True).split('id="municipality_id-error"')[1]
    assert "Ukendt kommune." in error.split("</p>")[0]
    assert db.session.scalar(select(User).where(User.email == "ny@aarhus.dk")) is None


def test_refused_edit_keeps_what_was_typed(client, admin, make_user):
    user = make_user(Role.MUNICIPAL, code=751, name="Gammelt Navn")
    make_user(Role.COORDINATOR, email="optaget@example.dk")
    data = {
        "email": "OPTAGET@example.dk",
        "name": "Nyt Navn",
        "role": "leadership",
        "municipality_id": str(municipality(461).id),
        "version": str(user.version),
    }
    page = client.post(f"/admin/brugere/{user.id}", data=data).get_data(as_text=True)
    error = page.split('id="email-error"')[1].split("</p>")[0]
    assert "Der findes allerede en bruger med denne e-mailadresse." in error
    assert 'value="Nyt Navn"' in page and 'value="OPTAGET@example.dk"' in page
    assert '<option selected value="leadership">' in page
    assert f'<option selected value="{municipality(461).id}">' in page
    db.session.refresh(user)
    assert user.name == "Gammelt Navn" and user.role == Role.MUNICIPAL


def test_editing_a_user_of_an_inactive_municipality_keeps_it(client, admin, make_user):
    user = make_user(Role.MUNICIPAL, code=751)
    aarhus = municipality(751)
    aarhus.active = False
    db.session.commit()
    page = client.get(f"/admin/brugere/{user.id}").get_data(as_text=True)
    assert f'<option selected value="{aarhus.id}">' in page
    data = {
        "email": user.email,
        "name": "Omdøbt",
        "role": "municipal",
        "municipality_id": str(aarhus.id),
        "version": str(user.version),
    }
    assert client.post(f"/admin/brugere/{user.id}", data=data).status_code == 302
    db.session.refresh(user)
    assert user.name == "Omdøbt" and user.municipality_id == aarhus.id


def test_deactivation_asks_first_and_is_audited(client, admin, make_user):
    user = make_user(Role.REVIEWER)
    page = client.get(f"/admin/brugere/{user.id}").get_data(as_text=True)
    assert f'data-confirm="Deaktivér {user.email}?' in page
    client.post(f"/admin/brugere/{user.id}/aktiv", data={"active": "0"})
    listing = client.get("/admin/brugere/?q=" + user.email).get_data(as_text=True)
    assert "Deaktiveret" in listing
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_id == user.id, AuditEvent.actor_id == admin.id
        )
    ).all()
    assert "user_deactivated" in actions


def test_generated_password_on_reset_is_shown_once_and_works(app, client, admin, make_user):
    user = make_user(Role.LEADERSHIP)
    page = client.post(
        f"/admin/brugere/{user.id}/adgangskode", data={"password": ""}, follow_redirects=True
    ).get_data(as_text=True)
    prefix = f"Midlertidig adgangskode til {user.email}: "
    shown = page.split(prefix)[1][:14]
    assert prefix not in client.get(f"/admin/brugere/{user.id}").get_data(as_text=True)
    other = app.test_client()
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert other.post("/login", data={"email": user.email, "password": shown}).status_code == 302
    reset = select(AuditEvent).where(
        AuditEvent.action == "password_reset", AuditEvent.object_id == user.id
    )
    assert db.session.scalar(reset).actor_id == admin.id


def test_apply_sort_checks_the_key_and_breaks_ties():
    def order_by(sort):
        stmt, key = apply_sort(user_listing(), sort, user_sorts(), "name")
        return key, str(stmt.compile()).split("ORDER BY")[1]

    key, clause = order_by("-email")
    assert key == "-email" and "users.email DESC" in clause and clause.endswith("users.id")
    for unknown in ("password_hash", "-password_hash", "name; DROP TABLE users", "", None):
        key, clause = order_by(unknown)
        assert key == "name" and "lower(users.name)" in clause and "password" not in clause


def test_paginate_runs_two_queries_and_clamps(make_user, count_queries):
    for _ in range(7):
        make_user(Role.REVIEWER)
    stmt = user_listing(role="reviewer").order_by(User.id)
    with count_queries() as counter:
        page = paginate(stmt, 99, 3, {"role": "reviewer", "page": "99", "_scheme": "javascript"})
    assert counter.count == 2
    assert (page.number, page.pages, page.total, len(page.items)) == (3, 3, 7, 1)
    assert page.has_prev and not page.has_next and page.args == {"role": "reviewer"}
    first = paginate(stmt, -5, 3)
    assert first.number == 1 and not first.has_prev and first.has_next
    empty = paginate(user_listing(search="ingen-hedder-sådan"), 4, 3)
    assert (empty.number, empty.pages, empty.total, empty.items) == (1, 1, 0, [])


def test_a_save_racing_another_gets_the_conflict_message_not_an_error(
    client, admin, make_user, monkeypatch
):
    """Both requests passed the version check; the database refuses the second write."""
    from sqlalchemy import update

    from portal.auth import services as auth_services

    user = make_user(Role.MUNICIPAL, code=751)
    real_update = auth_services.update_user

    def racing_update(target, *args, **kwargs):
        # another process saves the row between our version check and our flush
        db.session.execute(
            update(User).where(User.id == target.id).values(version=User.version + 1),
            execution_options={"synchronize_session": False},
        )
        return real_update(target, *args, **kwargs)

    monkeypatch.setattr(auth_services, "update_user", racing_update)
    data = {
        "email": user.email,
        "name": "Nyt navn",
        "role": "municipal",
        "municipality_id": str(user.municipality_id),
        "version": str(user.version),
    }
    response = client.post(f"/admin/brugere/{user.id}", data=data)
    assert response.status_code == 200
    assert "Nogen gemte det samme lige før dig." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).name != "Nyt navn"
