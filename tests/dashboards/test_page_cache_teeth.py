"""What hand-made mutants of the page caches showed untested (issue 20, item 8): the ETag
and the kept page must change with the user's role and with the session, not only with
the user."""

from __future__ import annotations

import re

from portal.auth import services as auth_services
from portal.auth.models import Role
from portal.db import db
from tests.conftest import PASSWORD
from tests.dashboards.helpers import two_municipalities


def tokens(page: str) -> set[str]:
    fields = re.findall(r'<input[^>]*name="csrf_token"[^>]*>', page)
    return {re.search(r'value="([^"]+)"', field).group(1) for field in fields}


def test_a_user_whose_role_changes_gets_a_fresh_page_not_a_304(client, make_user, login):
    _round, _community, kbh, _frb = two_municipalities()
    db.session.commit()
    user = make_user(Role.MUNICIPAL, code=101)
    admin = make_user(Role.ADMIN)
    login(user)
    url = f"/oversigt/deltagelse/{kbh.id}"
    first = client.get(url)
    assert first.status_code == 200
    data = auth_services.UserData(
        email=user.email, name=user.name, role=Role.LEADERSHIP, municipality_id=user.municipality_id
    )
    auth_services.update_user(user, data, actor=admin)
    db.session.commit()
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]


def test_one_user_in_two_sessions_never_gets_the_other_sessions_form_token(app, make_user):
    _round, _community, kbh, _frb = two_municipalities()
    db.session.commit()
    user = make_user(Role.MUNICIPAL, code=101)
    url = f"/oversigt/deltagelse/{kbh.id}"
    seen = []
    for _ in range(2):  # two browsers, one person
        browser = app.test_client()
        assert (
            browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
        page = browser.get(url)
        assert page.status_code == 200
        with browser.session_transaction() as kept:
            own = kept.get("csrf_token")
        found = tokens(page.get_data(as_text=True))
        assert found, "the page has a form token"
        seen.append((own, found))
    (first_session, first_page), (second_session, second_page) = seen
    assert first_session != second_session
    assert first_page.isdisjoint(second_page)  # the kept page was not handed to the other
