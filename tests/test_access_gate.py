"""The access gate: a policy for every municipality-owned model, default deny, and each rule's
SQL condition and object test agreeing with each other."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import inspect, select
from werkzeug.exceptions import NotFound

from portal import access
from portal.auth.models import Role
from portal.db import Base, db
from portal.participations.models import Participation
from portal.programmes.models import RoundStatus
from portal.reporting.models import ReportingRequirement
from tests.factories import create_programme, create_round
from tests.world import OTHER, OWN, USERS, build_world


def municipality_owned_models() -> list[type]:
    return sorted(
        (
            mapper.class_
            for mapper in Base.registry.mappers
            if "municipality_id" in mapper.local_table.columns
        ),
        key=lambda model: model.__name__,
    )


def test_every_model_with_a_municipality_has_a_policy():
    models = municipality_owned_models()
    assert len(models) >= 10
    missing = [m.__name__ for m in models if m not in access.POLICIES]
    assert not missing, f"no access policy in portal/access/policies.py for {missing}"


def test_a_model_without_a_policy_is_refused_loudly(make_user):
    from portal.programmes.models import Indicator

    with pytest.raises(LookupError, match="no access policy"):
        access.visible(select(Indicator), make_user(Role.COORDINATOR))


@pytest.fixture
def world(app):
    return build_world()


def _actions(policy: access.Policy) -> list[str]:
    return ["read", "change", *policy.other]


def test_sql_condition_and_object_test_agree_for_every_policy_role_and_object(world):
    """For every model of the world, every action, every role: ``visible`` selects exactly
    the objects ``allows`` admits."""
    checked = 0
    for key, user in world.users.items():
        for code in (OWN, OTHER):
            for obj in world.objects[code]:
                model = type(obj)
                ident = inspect(obj).identity
                for action in _actions(access.policy_of(model)):
                    rows = db.session.scalars(
                        access.visible(select(model), user, action, model)
                    ).all()
                    in_sql = any(inspect(r).identity == ident for r in rows)
                    assert in_sql == access.allows(user, obj, action), (
                        key,
                        model.__name__,
                        action,
                        code,
                    )
                    checked += 1
    assert checked > 300


@pytest.mark.parametrize("key", [k for k, (_role, code) in USERS.items() if code is not None])
def test_a_municipality_user_never_reads_another_municipalitys_rows(world, key):
    user = world.users[key]
    for obj in world.objects[OTHER]:
        assert not access.allows(user, obj, "read"), (key, type(obj).__name__)
        assert not access.allows(user, obj, "change"), (key, type(obj).__name__)


def test_default_deny_a_reviewer_sees_nothing_of_their_own_municipality(world):
    """The old ``scope()`` showed a reviewer who belongs to a municipality its rows unless
    the domain remembered to shut reviewers out; the gate grants only what a policy names."""
    reviewer = world.users["reviewer"]
    for obj in world.objects[OWN]:
        if type(obj).__name__ in ("Application", "Review"):
            continue  # granted by the review policy: assignments only (none here)
        assert not access.allows(reviewer, obj), type(obj).__name__
    assert db.session.scalars(access.visible(select(Participation), reviewer)).all() == []


def test_a_role_no_policy_names_sees_nothing(world):
    stranger = SimpleNamespace(
        is_authenticated=True, active=True, role="auditor", municipality_id=None, id=0
    )
    for model in municipality_owned_models():
        assert db.session.scalars(access.visible(select(model), stranger)).all() == []
    anonymous = SimpleNamespace(is_authenticated=False)
    assert db.session.scalars(access.visible(select(ReportingRequirement), anonymous)).all() == []


def test_get_visible_or_404(world):
    municipal, coordinator = world.users["municipal"], world.users["coordinator"]
    own, other = world.values[OWN]["participation_id"], world.values[OTHER]["participation_id"]
    assert access.get_visible_or_404(Participation, own, municipal).id == own
    assert access.get_visible_or_404(Participation, other, coordinator).id == other
    for ident in (other, 999_999, 10**20, "1"):
        with pytest.raises(NotFound):
            access.get_visible_or_404(Participation, ident, municipal)


@pytest.mark.parametrize("key", list(USERS))
def test_only_coordinators_and_admins_see_a_round_in_draft(world, key):
    sees = USERS[key][0] in (Role.COORDINATOR, Role.ADMIN)
    draft = create_round(create_programme(), status=RoundStatus.DRAFT)
    user = world.users[key]
    if sees:
        assert access.round_or_404(draft.slug, user) is draft
    else:
        with pytest.raises(NotFound):
            access.round_or_404(draft.slug, user)
    published = world.values[OWN]["round_slug"]
    assert access.round_or_404(published, user).slug == published


class _Recording:
    """A user that notes every attribute the gate reads of it."""

    def __init__(self, user) -> None:
        object.__setattr__(self, "_user", user)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name):
        self.read.add(name)
        return getattr(self._user, name)


def test_a_statement_kept_per_reader_key_reads_nothing_else_of_the_user(world):
    """Statements narrowed for one user are kept and used again for every user with the same
    ``reader_key`` (``access.kept_visible``: the dashboard, the header's unread count):
    every rule of every policy, for every role, reads nothing of a user that the key does
    not hold."""
    keyed = {"is_authenticated", "active", "id", "role", "municipality_id", "region"}
    reader = access.reader_key(SimpleNamespace(**dict.fromkeys(keyed, 7)))
    assert reader == (7,) * len(keyed)  # the key holds exactly these
    read: set[str] = set()
    for user in world.users.values():
        for model, policy in access.POLICIES.items():
            for action in _actions(policy):
                recording = _Recording(user)
                access.condition(model, recording, action)
                read |= recording.read
    assert read and read <= keyed, read - keyed


def test_report_audiences_a_member_sees_another_members_amounts_never_its_notes(world):
    """The report audiences (``amount``, ``note``, ``compare``) with Odense moved into
    Aarhus's community: Aarhus's users see Odense's grant, payment and figures side by side,
    never its payment's note nor its rows otherwise; the SQL and the object test agree."""
    from portal.participations.models import Community, Disbursement

    own_community = db.session.get(Community, world.values[OWN]["community_id"])
    theirs = db.session.get(Participation, world.values[OTHER]["participation_id"])
    theirs.community = own_community
    db.session.flush()
    payment = db.session.get(Disbursement, world.values[OTHER]["disbursement_id"])
    expected = {
        (theirs, "amount"): True,
        (payment, "amount"): True,
        (theirs, "compare"): True,
        (payment, "note"): False,
        (theirs, "read"): False,
        (payment, "read"): False,
    }
    for key in ("municipal", "leadership"):
        user = world.users[key]
        for (obj, action), sees in expected.items():
            model = type(obj)
            assert access.allows(user, obj, action) is sees, (key, model.__name__, action)
            rows = db.session.scalars(access.visible(select(model), user, action, model)).all()
            assert (obj in rows) is sees, (key, model.__name__, action)
    # and the regional consultant of Aarhus's region: Odense is another region's, whatever
    # the community
    regional = world.users["regional"]
    for (obj, action), _sees in expected.items():
        assert not access.allows(regional, obj, action), (type(obj).__name__, action)


def test_each_users_reach_is_what_the_figures_policy_reads_and_national_is_one_thing(world):
    """The reach (``access.reach``) is the one answer to "how far": every role that reads
    participations within its reach sees exactly the reach's rows, a national reach is
    exactly the users who see every municipality's rows, and the regional consultant of
    Aarhus's region reaches Aarhus and not Odense."""
    everyone = set(db.session.scalars(select(Participation.id)))
    for key, user in world.users.items():
        reach = access.reach_of(user)
        seen = set(
            db.session.scalars(access.visible(select(Participation.id), user, model=Participation))
        )
        in_reach = set(
            db.session.scalars(select(Participation.id).where(reach.where(Participation)))
        )
        if access.policy_of(Participation).read.get(user.role) is access.IN_REACH:
            assert seen == in_reach, key
        assert access.is_national(user) == (in_reach == everyone), key
        assert access.reaches_every(user, Participation) == (seen == everyone), key
    regional = access.reach_of(world.users["regional"])
    assert regional.extent == access.Extent.REGION and regional.region == "Region Midtjylland"
    own = world.values[OWN]["participation_id"]
    other = world.values[OTHER]["participation_id"]
    assert regional.covers(db.session.get(Participation, own).municipality_id)
    assert not regional.covers(db.session.get(Participation, other).municipality_id)
