"""Named permissions: what each role may do, asked by name (views and templates alike)."""

import pytest

from portal.auth.models import Role
from portal.auth.permissions import can_edit_programmes, can_manage_users, can_see_draft_rounds


@pytest.fixture
def people(make_user):
    return {
        "aarhus": make_user(Role.MUNICIPAL, code=751),
        "coordinator": make_user(Role.COORDINATOR),
        "admin": make_user(Role.ADMIN),
        "reviewer": make_user(Role.REVIEWER),
    }


def test_named_permissions(people):
    assert can_manage_users(people["admin"]) and not can_manage_users(people["coordinator"])
    assert can_edit_programmes(people["coordinator"])
    assert not can_edit_programmes(people["admin"])
    assert not can_edit_programmes(people["aarhus"])
    assert can_see_draft_rounds(people["coordinator"]) and can_see_draft_rounds(people["admin"])
    assert not can_see_draft_rounds(people["aarhus"])
    assert not can_see_draft_rounds(people["reviewer"])
