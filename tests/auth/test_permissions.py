"""The one place that answers "what may this user see": scope() and get_scoped_or_404()."""

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from portal.auth.models import Role, User
from portal.auth.permissions import (
    can_edit_programmes,
    can_manage_users,
    can_see_municipality,
    get_scoped_or_404,
    scope,
)
from portal.db import db


@pytest.fixture
def people(make_user):
    return {
        "aarhus": make_user(Role.MUNICIPAL, code=751),
        "odense": make_user(Role.MUNICIPAL, code=461),
        "aarhus_leader": make_user(Role.LEADERSHIP, code=751),
        "national_leader": make_user(Role.LEADERSHIP),
        "coordinator": make_user(Role.COORDINATOR),
        "admin": make_user(Role.ADMIN),
        "reviewer_without": make_user(Role.REVIEWER),
    }


def _visible_emails(user):
    stmt = scope(select(User.email), user, User.municipality_id)
    return set(db.session.scalars(stmt))


def test_municipal_and_local_leadership_see_only_their_municipality(people):
    for key in ("aarhus", "aarhus_leader"):
        visible = _visible_emails(people[key])
        assert visible == {people["aarhus"].email, people["aarhus_leader"].email}


@pytest.mark.parametrize("key", ["national_leader", "coordinator", "admin"])
def test_national_users_see_every_municipality(people, key):
    visible = _visible_emails(people[key])
    assert {people["aarhus"].email, people["odense"].email} <= visible


def test_a_user_without_municipality_who_is_not_national_sees_nothing(people):
    assert _visible_emails(people["reviewer_without"]) == set()


def test_scoped_getter_answers_404_for_another_municipality(people):
    odense_user = people["odense"]
    with pytest.raises(NotFound):
        get_scoped_or_404(User, odense_user.id, people["aarhus"])
    with pytest.raises(NotFound):
        get_scoped_or_404(User, 999_999, people["coordinator"])
    assert get_scoped_or_404(User, odense_user.id, people["coordinator"]) is odense_user
    assert get_scoped_or_404(User, odense_user.id, odense_user) is odense_user


def test_named_permissions(people):
    assert can_manage_users(people["admin"]) and not can_manage_users(people["coordinator"])
    assert can_edit_programmes(people["coordinator"])
    assert not can_edit_programmes(people["admin"])
    assert not can_edit_programmes(people["aarhus"])
    assert can_see_municipality(people["aarhus"], people["aarhus"].municipality_id)
    assert not can_see_municipality(people["aarhus"], people["odense"].municipality_id)
    assert not can_see_municipality(people["reviewer_without"], None)
