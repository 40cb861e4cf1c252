"""The audit log page: coordinators and admins read it; nobody else."""

import pytest

from portal.auth.models import Role


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_readers_see_logins_and_changes(client, make_user, login, role):
    reader = make_user(role, name="Læser")
    target = make_user(Role.MUNICIPAL, code=751)
    client.post("/login", data={"email": target.email, "password": "forkert-kode-123"})
    login(reader)
    page = client.get("/logbog/").get_data(as_text=True)
    assert "login_failed" in page and "user_created" in page and "Aarhus" in page
    filtered = client.get("/logbog/?action=login_failed").get_data(as_text=True)
    assert "login_failed" in filtered and "<code>user_created</code>" not in filtered


@pytest.mark.parametrize(
    ("role", "code"), [(Role.MUNICIPAL, 751), (Role.LEADERSHIP, None), (Role.REVIEWER, None)]
)
def test_others_are_refused(client, make_user, login, role, code):
    login(make_user(role, code=code))
    assert client.get("/logbog/").status_code == 403
    assert "Logbog" not in client.get("/").get_data(as_text=True)
