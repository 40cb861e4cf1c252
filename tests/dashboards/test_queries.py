"""The queries behind each dashboard do not grow with the number of municipalities or of
measurements: 2 against 12 municipalities, 3 against 36 months."""

import pytest

from portal.auth.models import Role
from portal.db import db
from portal.participations.models import Community
from tests.dashboards.helpers import many_municipalities, screen_round


def urls(round_, community, first):
    return {
        "participation": f"/oversigt/deltagelse/{first.id}",
        "community": f"/oversigt/faellesskab/{community.id}",
        "round": f"/oversigt/forloeb/{round_.slug}",
        "index": "/oversigt/",
    }


def counts(client, count_queries, targets):
    result = {}
    for name, url in targets.items():
        db.session.expunge_all()  # every request loads what it needs, as in production
        with count_queries() as counter:
            assert client.get(url).status_code == 200, url
        result[name] = counter.count
    return result


def setup(count, months):
    round_ = screen_round()
    community = Community(round=round_, name="Alle")
    db.session.add(community)
    made = many_municipalities(round_, community, count, months)
    return round_, community, made


@pytest.mark.parametrize("grown", [(12, 3), (2, 36)], ids=["12 municipalities", "36 months"])
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MUNICIPAL])
def test_queries_do_not_grow_with_municipalities_or_months(
    client, make_user, login, count_queries, role, grown
):
    small = setup(2, 3)
    code = small[2][0].municipality.code
    login(make_user(role, code=code if role == Role.MUNICIPAL else None))
    targets = urls(*small[:2], small[2][0])
    if role == Role.MUNICIPAL:
        del targets["round"]
    few = counts(client, count_queries, targets)
    big = setup(*grown)
    big_targets = urls(*big[:2], next(p for p in big[2] if p.municipality.code == code))
    if role == Role.MUNICIPAL:
        del big_targets["round"]
    many = counts(client, count_queries, big_targets)
    assert many == few
    print(role.value, few)
    assert max(few.values()) <= 20, few
