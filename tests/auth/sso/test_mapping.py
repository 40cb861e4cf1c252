"""The one mapping from a provider's identity to a portal user, at the service level."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.auth.sso.identity import Refused
from portal.auth.sso.mapping import admit
from portal.auth.sso.models import ExternalLogin
from portal.db import db
from tests.auth.sso.helpers import (
    AARHUS_CVR,
    COORDINATOR,
    LEADERSHIP,
    NATIONAL_CVR,
    ODENSE_CVR,
    PROJECT_LEAD,
    REGIONAL,
    REGIONAL_MIDT,
    identity,
)
from tests.conftest import municipality

pytestmark = pytest.mark.usefixtures("sso_config")


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(ExternalLogin)),
    )


def _audit(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _refused(person) -> Refused:
    before = _counts()
    with pytest.raises(Refused) as caught:
        admit(person)
    assert _counts() == before, "a refused login creates nothing"
    line = _audit("sso_refused")[-1]
    assert line.details["code"] == caught.value.code
    assert line.details["subject"] == person.subject
    assert str(caught.value.reason)  # a Danish text for the refusal page
    return caught.value


def test_a_project_lead_of_a_known_municipality_is_created_there_at_first_login():
    user = admit(identity())
    assert (user.role, user.municipality_id) == (Role.MUNICIPAL, municipality(751).id)
    assert (user.email, user.name) == ("anna@aarhus.example", "Anna Andersen")
    link = db.session.scalar(select(ExternalLogin).where(ExternalLogin.user_id == user.id))
    assert (link.issuer, link.subject, link.protocol) == (
        "https://idp.example/",
        "person-1",
        "oidc",
    )
    assert link.last_login_at is not None and user.last_login_at is not None
    created = _audit("user_created")[-1]
    assert created.object_id == user.id and created.details["protocol"] == "oidc"
    assert _audit("sso_linked")[-1].object_id == user.id


def test_no_password_matches_a_user_made_by_single_sign_on():
    from portal.auth.services import authenticate

    user = admit(identity())
    assert authenticate(user.email, user.password_hash) is None
    assert authenticate(user.email, "") is None


def test_the_next_login_finds_the_same_user_by_provider_and_subject():
    first = admit(identity())
    again = admit(identity(email="anna.new@aarhus.example"))
    assert again.id == first.id
    assert _counts()[1] == 1


@pytest.mark.parametrize(
    ("roles", "cvr", "expected"),
    [
        ((LEADERSHIP,), AARHUS_CVR, (Role.LEADERSHIP, 751, None)),
        ((REGIONAL,), AARHUS_CVR, (Role.REGIONAL, None, "Region Midtjylland")),
        ((REGIONAL_MIDT,), NATIONAL_CVR, (Role.REGIONAL, None, "Region Midtjylland")),
        ((COORDINATOR,), NATIONAL_CVR, (Role.COORDINATOR, None, None)),
        ((LEADERSHIP,), NATIONAL_CVR, (Role.LEADERSHIP, None, None)),
        # several mapped roles: the first in the table wins (coordinator before project lead)
        ((PROJECT_LEAD, COORDINATOR, "unknown"), NATIONAL_CVR, (Role.COORDINATOR, None, None)),
    ],
)
def test_roles_map_through_the_table_onto_the_organisation(roles, cvr, expected):
    user = admit(identity(roles=roles, cvr=cvr))
    role, code, region = expected
    assert user.role == role
    assert user.municipality_id == (municipality(code).id if code else None)
    assert user.region == region


@pytest.mark.parametrize(
    ("person", "code"),
    [
        (identity(cvr="87654321"), "unknown_cvr"),
        (identity(cvr=None), "missing_cvr"),
        (identity(roles=(f"{PROJECT_LEAD}x",)), "unmapped_role"),
        (identity(roles=()), "no_role"),
        (identity(roles=(COORDINATOR,)), "role_is_national"),
        (identity(cvr=NATIONAL_CVR), "role_needs_municipality"),
        (identity(cvr=NATIONAL_CVR, roles=(REGIONAL,)), "no_region"),
        (identity(email=None), "missing_email"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_login_without_a_known_organisation_and_a_mapped_role_is_refused(person, code):
    assert _refused(person).code == code


def test_a_deactivated_user_stays_out():
    from portal.auth.services import set_active

    user = admit(identity())
    admin = User(email="op@example.dk", name="Op", role=Role.ADMIN, password_hash="!")
    db.session.add(admin)
    db.session.flush()
    set_active(user, False, actor=admin)
    assert _refused(identity()).code == "deactivated"
    assert not db.session.get(User, user.id).active


def test_a_change_of_role_and_municipality_at_the_provider_applies_at_the_next_login():
    user = admit(identity())
    moved = admit(identity(cvr=ODENSE_CVR, roles=(LEADERSHIP,), name="Anna Berg"))
    assert moved.id == user.id
    assert (moved.role, moved.municipality_id, moved.name) == (
        Role.LEADERSHIP,
        municipality(461).id,
        "Anna Berg",
    )
    assert moved.municipality.code == 461
    changed = _audit("user_updated")[-1]
    assert changed.object_id == user.id
    assert changed.details["changes"]["role"] == ["municipal", "leadership"]
    assert changed.details["changes"]["municipality_id"] == [
        municipality(751).id,
        municipality(461).id,
    ]
    assert changed.municipality_id == municipality(461).id
    # nothing changed: nothing audited
    admit(identity(cvr=ODENSE_CVR, roles=(LEADERSHIP,), name="Anna Berg"))
    assert len(_audit("user_updated")) == 1


def test_a_refused_change_leaves_the_user_as_they_were():
    user = admit(identity())
    _refused(identity(cvr="87654321"))
    assert (user.role, user.municipality_id) == (Role.MUNICIPAL, municipality(751).id)


def test_where_no_role_comes_the_role_an_admin_gave_stays(make_user):
    made = make_user(Role.LEADERSHIP, code=751, email="anna@aarhus.example")
    user = admit(identity(roles=()))
    assert user.id == made.id and user.role == Role.LEADERSHIP
    assert _audit("sso_linked")[-1].object_id == made.id
    # the municipality still follows the CVR; a role from the provider still wins
    assert admit(identity(roles=(PROJECT_LEAD,))).role == Role.MUNICIPAL


def test_a_user_an_admin_made_takes_the_providers_role_when_first_linked(make_user):
    made = make_user(Role.LEADERSHIP, code=751, email="anna@aarhus.example")
    user = admit(identity(roles=(PROJECT_LEAD,)))
    assert user.id == made.id and user.role == Role.MUNICIPAL
    assert _audit("user_updated")[-1].details["changes"]["role"] == ["leadership", "municipal"]


def test_an_e_mail_of_another_organisation_or_an_operator_is_not_taken_over(make_user):
    make_user(Role.MUNICIPAL, code=461, email="anna@aarhus.example")
    assert _refused(identity()).code == "email_in_use"
    make_user(Role.ADMIN, email="op@kl.example")
    assert _refused(
        identity(cvr=NATIONAL_CVR, roles=(COORDINATOR,), email="op@kl.example")
    ).code == ("email_in_use")


def test_a_second_identity_at_the_same_provider_does_not_take_over_a_linked_user():
    admit(identity())
    assert _refused(identity(subject="person-2")).code == "email_in_use"


def test_an_inactive_municipality_is_not_a_known_organisation():
    municipality(751).active = False
    db.session.flush()
    assert _refused(identity()).code == "unknown_cvr"
