"""Communities: size limits, one lead, deletion, and the suggestion with its explanations."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import db
from portal.errors import Conflict, InvalidInput, NotAllowed
from portal.notifications.texts import round_names
from portal.participations import communities
from portal.participations.suggestion import accept_suggestion, suggest
from tests.conftest import municipality
from tests.participations.helpers import CODES, approve, fixed_round, participation


def small_round(**fields):
    return fixed_round(community_min=2, community_max=3, **fields)


def test_the_maximum_and_one_lead_are_enforced_with_a_clear_message():
    round_ = small_round()
    lead = participation(round_, 751, role="lead")
    community = communities.create_community(round_, "Fællesskab Aarhus", actor=None, lead=lead)
    assert lead.community is community
    for code in CODES[:3]:
        communities.assign(participation(round_, code), community, actor=None)
    fourth = participation(round_, CODES[3])
    with pytest.raises(NotAllowed) as info:
        communities.assign(fourth, community, actor=None)
    assert "højst 3" in info.value.message and "Fællesskab Aarhus" in info.value.message
    second_lead = participation(round_, 461, role="lead")
    with pytest.raises(NotAllowed) as info:
        communities.assign(second_lead, community, actor=None)
    assert "allerede en skaleringsleder (Aarhus)" in info.value.message
    view = communities.overview(round_).communities[0]
    assert (view.size, view.full, view.under_minimum, view.lead) == (3, True, False, lead)


def test_under_the_minimum_is_flagged_not_refused():
    round_ = small_round()
    community = communities.create_community(round_, "Nord", actor=None)
    communities.assign(participation(round_, 851), community, actor=None)
    view = communities.overview(round_).communities[0]
    assert view.size == 1 and view.under_minimum and view.lead is None


def test_names_are_unique_in_the_round_and_required():
    round_ = small_round()
    communities.create_community(round_, "Nord", actor=None)
    for name, expected in (("nord", "allerede"), ("  ", "navn"), ("x" * 151, "højst")):
        with pytest.raises(InvalidInput) as info:
            communities.create_community(round_, name, actor=None)
        assert expected in info.value.message and info.value.field == "name"
    communities.create_community(fixed_round(), "Nord", actor=None)  # another round: fine


def test_a_community_of_another_round_is_refused():
    round_, other = small_round(), small_round()
    foreign = communities.create_community(other, "Andet", actor=None)
    with pytest.raises(NotAllowed):
        communities.assign(participation(round_, 101), foreign, actor=None)


def test_membership_changes_are_audited_and_stale_forms_refused():
    round_ = small_round()
    a = communities.create_community(round_, "A", actor=None)
    b = communities.create_community(round_, "B", actor=None)
    p = participation(round_, 101)
    communities.assign(p, a, actor=None)
    with pytest.raises(Conflict):
        communities.assign(p, b, actor=None, version=p.version - 1)
    communities.assign(p, b, actor=None, version=p.version)
    line = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "community_membership_changed")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert line.details["changes"]["community"] == ["A", "B"]
    assert line.round_id == round_.id and line.municipality_id == p.municipality_id


def test_deleting_a_community_leaves_its_members_unassigned():
    round_ = small_round()
    lead = participation(round_, 751, role="lead")
    community = communities.create_community(round_, "Midt", actor=None, lead=lead)
    member = participation(round_, 101)
    communities.assign(member, community, actor=None)
    communities.delete_community(community, actor=None)
    assert lead.community is None and member.community is None
    assert communities.overview(round_).communities == []
    assert len(communities.overview(round_).unassigned) == 2


def test_placement_notifies_the_municipality(monkeypatch):
    calls = []
    monkeypatch.setattr(
        communities, "notify", lambda ids, kind, params, link="": calls.append((ids, kind, params))
    )
    round_ = small_round()
    community = communities.create_community(round_, "Syd", actor=None)
    p = participation(round_, 461)
    communities.assign(p, community, actor=None)
    assert calls == [
        ([p.municipality_id], "community_placed", {**round_names(round_), "community": "Syd"})
    ]


# The suggestion


def set_population(**by_code):
    for code, population in by_code.items():
        municipality(int(code.removeprefix("m"))).population = population
    db.session.flush()


def placements(suggestion):
    return {p.participation.municipality.name: p.target.name for p in suggestion.placements}


def test_a_community_per_lead_and_the_maximum_respected():
    round_ = small_round()
    participation(round_, 751, role="lead")
    participation(round_, 461, role="lead")
    for code in CODES[:7]:
        participation(round_, code)
    s = suggest(round_)
    assert [t.name for t in s.new_communities] == ["Fællesskab Aarhus", "Fællesskab Odense"]
    sizes = {}
    for name in placements(s).values():
        sizes[name] = sizes.get(name, 0) + 1
    assert sizes == {"Fællesskab Aarhus": 3, "Fællesskab Odense": 3}
    assert len(s.unplaced) == 1
    assert "Alle fællesskaber er fulde (højst 3" in s.unplaced[0].reason


def test_regions_are_mixed_and_each_placement_explained():
    round_ = fixed_round(community_min=1, community_max=10)
    participation(round_, 751, role="lead")  # Aarhus, Midtjylland
    participation(round_, 461, role="lead")  # Odense, Syddanmark
    set_population(m751=360_000, m461=205_000, m101=650_000, m561=115_000, m657=90_000)
    participation(round_, 101)  # København, Hovedstaden: the biggest goes first
    participation(round_, 561)  # Esbjerg, Syddanmark: away from Odense
    participation(round_, 657)  # Herning, Midtjylland: away from Aarhus
    s = suggest(round_)
    where = placements(s)
    assert where["Esbjerg"] == "Fællesskab Aarhus"
    assert where["Herning"] == "Fællesskab Odense"
    reasons = {p.participation.municipality.name: p.reason for p in s.placements}
    # København first: both empty, no one from Hovedstaden, Odense is smaller.
    assert where["København"] == "Fællesskab Odense"
    assert reasons["København"] == (
        "Placeret i Fællesskab Odense: 0 af 10 pladser brugt, ingen andre fra Region"
        " Hovedstaden, mindst samlet befolkning."
    )
    assert reasons["Esbjerg"] == (
        "Placeret i Fællesskab Aarhus: 0 af 10 pladser brugt, ingen andre fra Region"
        " Syddanmark, færrest medlemmer."
    )
    assert "færrest fra samme region" in reasons["Herning"]


def test_without_every_population_size_is_not_weighed_and_the_page_says_so(
    client, login, make_user
):
    from portal.auth.models import Role

    round_ = fixed_round(community_min=1, community_max=10)
    participation(round_, 751, role="lead")
    participation(round_, 461, role="lead")
    set_population(m751=360_000, m461=205_000)  # København's is missing
    participation(round_, 101)
    s = suggest(round_)
    assert not s.weighs_size and s.population_credit is None
    reason = next(p.reason for p in s.placements)
    assert "befolkning" not in reason  # the tie goes by name, not by half-known sizes
    assert reason.endswith("først i alfabetisk rækkefølge.")
    db.session.commit()
    login(make_user(role=Role.COORDINATOR))
    page = client.get(f"/deltagere/forloeb/{round_.slug}/faellesskaber/forslag").get_data(
        as_text=True
    )
    assert "kan ikke veje størrelse og blander efter region alene" in page
    communities_page = client.get(f"/deltagere/forloeb/{round_.slug}/faellesskaber")
    assert "Indbyggere" in communities_page.get_data(as_text=True)  # two have one


def test_joint_applicants_stay_together_and_with_their_lead():
    round_ = fixed_round(community_min=1, community_max=4)
    approve(round_, 751, role="lead", members=[101, 147])  # Aarhus leads with two
    approve(round_, 461, role="lead")
    approve(round_, 151, members=[153])  # a joint pair of participants
    approve(round_, 157)
    s = suggest(round_)
    where = placements(s)
    assert where["København"] == where["Frederiksberg"] == "Fællesskab Aarhus"
    assert where["Ballerup"] == where["Brøndby"]
    reasons = {p.participation.municipality.name: p.reason for p in s.placements}
    assert reasons["København"].startswith(
        "Placeret i Fællesskab Aarhus sammen med Aarhus og Frederiksberg, som kommunen søgte"
    )
    assert "sammen med Brøndby (fælles ansøgning)" in reasons["Ballerup"]
    # Aarhus's own come first; then the pair goes to the emptier Odense.
    assert where["Ballerup"] == "Fællesskab Odense"
    assert len(where) == 5


def test_a_joint_group_that_fits_nowhere_is_listed_with_why():
    round_ = fixed_round(community_min=1, community_max=2)
    approve(round_, 751, role="lead")
    approve(round_, 101, members=[147, 151])
    s = suggest(round_)
    assert not s.placements
    assert {u.participation.municipality.name for u in s.unplaced} == {
        "København",
        "Frederiksberg",
        "Ballerup",
    }
    assert "intet fællesskab har 3 ledige pladser" in s.unplaced[0].reason


def test_without_leads_nothing_is_placed():
    round_ = small_round()
    participation(round_, 101)
    s = suggest(round_)
    assert s.empty and "ingen skaleringsleder" in s.unplaced[0].reason


def test_accepting_the_suggestion_places_everyone_in_one_go():
    round_ = small_round()
    participation(round_, 751, role="lead")
    for code in CODES[:2]:
        participation(round_, code)
    shown = suggest(round_)
    assert shown.warnings == []
    accept_suggestion(round_, shown.fingerprint, actor=None)
    overview = communities.overview(round_)
    assert [c.community.name for c in overview.communities] == ["Fællesskab Aarhus"]
    assert overview.communities[0].size == 2 and overview.unassigned == []
    assert overview.communities[0].lead.municipality.name == "Aarhus"
    with pytest.raises(NotAllowed):
        accept_suggestion(round_, suggest(round_).fingerprint, actor=None)


def test_a_changed_suggestion_is_refused_on_accept():
    round_ = small_round()
    participation(round_, 751, role="lead")
    participation(round_, 101)
    shown = suggest(round_)
    participation(round_, 147)  # approved meanwhile
    with pytest.raises(Conflict):
        accept_suggestion(round_, shown.fingerprint, actor=None)
    assert communities.overview(round_).communities == []


def test_warnings_for_communities_left_under_the_minimum():
    round_ = fixed_round(community_min=5, community_max=10)
    participation(round_, 751, role="lead")
    participation(round_, 101)
    assert suggest(round_).warnings == [
        "Fællesskab Aarhus får 1 deltagerkommuner, færre end forløbets mindste antal på 5."
    ]
