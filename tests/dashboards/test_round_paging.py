"""The national view of a round summarises each indicator when the round is large (issue 19
item 7): above ``ROWS_SHOWN`` municipalities it links to the indicator's own page, which
lists ``ROWS_PER_PAGE`` rows at a time with the round's median; a small round keeps its rows
in the view."""

from __future__ import annotations

import pytest

from portal import rendered
from portal.auth.models import Role
from portal.dashboards import round_rows
from portal.db import db
from portal.participations.models import Community
from tests.dashboards.helpers import key_of, many_municipalities, screen_round, stored

NAMES = ("Ballerup", "Brøndby", "Dragør")  # ``many_municipalities``'s first three


@pytest.fixture
def three():
    rendered.clear()  # pages kept by an earlier test's (rolled back) round of the same id
    round_ = screen_round()
    community = Community(round=round_, name="Alle")
    db.session.add(community)
    many_municipalities(round_, community, 3, 2)
    stored()
    return round_


def test_a_small_round_lists_its_rows_in_the_view(client, make_user, login, three):
    login(make_user(Role.COORDINATOR))
    text = client.get(f"/oversigt/forloeb/{three.slug}").get_data(as_text=True)
    assert all(f'<th scope="row">{name}' in text for name in NAMES)
    assert "side for side" not in text


def test_a_large_round_pages_each_indicators_rows(client, make_user, login, three, monkeypatch):
    monkeypatch.setattr(round_rows, "ROWS_SHOWN", 2)
    monkeypatch.setattr(round_rows, "ROWS_PER_PAGE", 2)
    visits = key_of(three, "screen_visits")
    login(make_user(Role.COORDINATOR))
    text = client.get(f"/oversigt/forloeb/{three.slug}").get_data(as_text=True)
    link = f"/oversigt/forloeb/{three.slug}/indikator/{visits.id}"
    assert link in text and "alle 3 kommuner, side for side" in text
    rows = [f'<th scope="row">{name}' for name in NAMES]
    assert not any(row in text for row in rows)  # summarised: no table row per municipality

    first = client.get(link).get_data(as_text=True)
    second = client.get(f"{link}?page=2").get_data(as_text=True)
    assert "Side 1 af 2" in first and "Side 2 af 2" in second
    assert sum(n in first for n in NAMES) == 2 and sum(n in second for n in NAMES) == 1
    assert "Median" in first and "Median" in second  # the round's median on every page
    assert client.get(f"/oversigt/forloeb/{three.slug}/indikator/999999").status_code == 404


def test_a_municipal_user_may_not_page_the_national_view(client, make_user, login, three):
    login(make_user(Role.MUNICIPAL, code=101))
    visits = key_of(three, "screen_visits")
    response = client.get(f"/oversigt/forloeb/{three.slug}/indikator/{visits.id}")
    assert response.status_code in (403, 404)
