"""The national view of a large round reads what it shows (issue 19 items 1 and 3): the
communities' table a page at a time, sorted by the reader's column, with the round's totals
beneath every page, from the round's stored summary; an indicator's page of municipalities
reads only that page's rows, with the count, the median and the status counts over the
whole round from the summary."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal import rendered
from portal.auth.models import Role
from portal.dashboards import round_communities, round_rows, summary
from portal.db import db
from portal.participations.models import Community
from portal.results.read import data_version
from tests.dashboards.helpers import key_of, many_municipalities, measure, screen_round, stored

SIZES = {"Alfa": 1, "Beta": 3, "Gamma": 2}  # and one municipality in no community


@pytest.fixture
def seven():
    """Seven municipalities: in Alfa (1), Beta (3), Gamma (2) and one not placed; each a
    different latest value of km_avoided; the round's summary kept, as the worker keeps it."""
    rendered.clear()
    round_ = screen_round()
    communities = {name: Community(round=round_, name=name) for name in SIZES}
    db.session.add_all(communities.values())
    made = many_municipalities(round_, communities["Alfa"], 7, 2)
    placed = [name for name, n in SIZES.items() for _ in range(n)] + [None]
    for p, name in zip(made, placed, strict=True):
        p.community = communities[name] if name else None
    for n, p in enumerate(made):
        measure(p, "km_avoided", [100 + 7 * ((n * 3) % 7)], date(2025, 12, 1))
    stored()
    summary.summary(round_, data_version(round_.id), keep=True)
    db.session.commit()
    return round_, made


def _rows(text: str) -> list[str]:
    """The communities' table's row headers, in order."""
    table = text[text.index('id="faellesskaber"') :]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<th scope="row">(.*?)</th>', body)
    ]


def _total_row(text: str) -> str:
    table = text[text.index('id="faellesskaber"') :]
    return table[table.index("<tfoot>") : table.index("</tfoot>")]


def _municipalities(text: str) -> list[str]:
    """The municipalities' names in an indicator page's table, in order."""
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    return [n.strip() for n in re.findall(r'<th scope="row">([^<]+)</th>', body)]


def test_the_communities_table_is_paged_sorted_and_totalled_over_every_row(
    client, make_user, login, seven, monkeypatch
):
    round_, _made = seven
    monkeypatch.setattr(round_communities, "PER_PAGE", 2)
    login(make_user(Role.COORDINATOR))
    url = f"/oversigt/forloeb/{round_.slug}"
    first, second = (
        client.get(url).get_data(as_text=True),
        client.get(f"{url}?page=2").get_data(as_text=True),
    )

    assert _rows(first) == ["Alfa", "Beta"]  # by name, the unplaced last
    assert _rows(second) == ["Gamma", "Ikke placeret"]
    assert "Side 1 af 2" in first and "Side 2 af 2" in second
    # the round's totals beneath every page: seven municipalities, not the page's
    assert _total_row(first) == _total_row(second)
    assert '<td class="num">7</td>' in _total_row(first)
    # links carry the sort in effect and land on the table
    assert f'href="{url}?sort=name&amp;page=2#faellesskaber"' in first
    assert 'aria-sort="ascending"' in first

    by_size = client.get(f"{url}?sort=-municipalities").get_data(as_text=True)
    assert _rows(by_size) == ["Beta", "Gamma"] and 'aria-sort="descending"' in by_size
    assert _total_row(by_size) == _total_row(first)
    smallest = client.get(f"{url}?sort=municipalities&page=2").get_data(as_text=True)
    assert _rows(smallest) == ["Gamma", "Beta"]  # Alfa and the unplaced (1 each) on page 1

    # anything else: the default order; a page past the end: the last page
    assert _rows(client.get(f"{url}?sort=__class__").get_data(as_text=True)) == ["Alfa", "Beta"]
    assert _rows(client.get(f"{url}?page=99").get_data(as_text=True)) == ["Gamma", "Ikke placeret"]
    assert client.get(f"{url}?page=x").status_code == 200


def test_a_large_rounds_view_reads_no_municipalitys_rows(
    client, make_user, login, seven, monkeypatch, count_queries
):
    """With the summary kept, the view (body and table) reads it and nothing per municipality."""
    round_, _made = seven
    monkeypatch.setattr(round_rows, "ROWS_SHOWN", 2)
    monkeypatch.setattr(round_communities, "PER_PAGE", 2)

    def worked_out(*_args, **_kw):
        raise AssertionError("the summary was worked out from every municipality's rows")

    monkeypatch.setattr(summary, "summarise", worked_out)
    login(make_user(Role.COORDINATOR))
    with count_queries() as counter:
        text = client.get(f"/oversigt/forloeb/{round_.slug}?page=2").get_data(as_text=True)
    assert _rows(text) == ["Gamma", "Ikke placeret"]
    assert not [s for s in counter.statements if "indicator_results" in s]
    assert not [s for s in counter.statements if "participation_results.net" in s]


def test_an_indicators_page_reads_only_its_rows(
    client, make_user, login, seven, monkeypatch, count_queries
):
    round_, made = seven
    monkeypatch.setattr(round_rows, "ROWS_PER_PAGE", 3)
    km = key_of(round_, "km_avoided")
    read = []
    evaluations = round_rows.stored_evaluations
    monkeypatch.setattr(
        round_rows,
        "stored_evaluations",
        lambda ps, **kw: read.append(len(ps)) or evaluations(ps, **kw),
    )
    monkeypatch.setattr(summary, "summarise", lambda *a, **kw: pytest.fail("worked out"))
    login(make_user(Role.COORDINATOR))
    url = f"/oversigt/forloeb/{round_.slug}/indikator/{km.id}"

    with count_queries() as counter:
        pages = [client.get(f"{url}?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    assert read == [3, 3, 1]  # each page's municipalities' stored rows, no more
    # the participations read a page at a time
    listed = [s for s in counter.statements if "FROM participations" in s and "count(" not in s]
    assert listed and all("LIMIT" in s for s in listed)

    names = [sorted(p.municipality.name for p in made)]
    shown = [name for page in pages for name in _municipalities(page)]
    assert shown == names[0]  # by name, page by page
    medians = {re.search(r"<tfoot>.*?</tfoot>", p, re.S)[0] for p in pages}
    assert len(medians) == 1  # the round's median on every page
    counts = {re.search(r"<p>[^<]*<strong>.*?</p>", p, re.S)[0] for p in pages}
    assert len(counts) == 1  # the round's status counts on every page

    # by latest value, highest first: the municipalities in the order of their value
    latest = client.get(f"{url}?sort=-latest").get_data(as_text=True)
    by_value = sorted(made, key=lambda p: -((made.index(p) * 3) % 7))
    assert _municipalities(latest) == [p.municipality.name for p in by_value[:3]]
    assert 'aria-sort="descending"' in latest
