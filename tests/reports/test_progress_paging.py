"""A large round's progress page a page at a time (``reports.paging``), and the round's
business cases added up read from its stored summary (issue 19): what the page shows equals
the whole computation (every participation's business case worked out, every row)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from portal.auth.models import Role
from portal.dashboards import summary
from portal.reports import paging, progress_promise
from portal.reports.model import RowKind
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope
from portal.results.read import data_version

AT = datetime(2025, 12, 1, 12, tzinfo=UTC)


@pytest.fixture
def small_pages(monkeypatch):
    """Two rows a page: the fixture's three municipalities make two pages."""
    monkeypatch.setattr(paging, "PER_PAGE", 2)


def _keep(round_) -> None:
    summary.summary(round_, data_version(round_.id), keep=True)


def test_page_one_equals_the_whole_computation_for_its_municipalities(
    app, progress_round, small_pages, monkeypatch
):
    round_ = progress_round.round
    _keep(round_)
    scope = ReportScope(round=round_)
    with app.test_request_context(f"/rapporter/fremdrift/{round_.slug}"):
        whole = progress_report(scope, live=True, generated_at=AT)
        # the page reads the business cases added up from the stored summary: none is
        # worked out again
        monkeypatch.setattr(progress_promise, "promised", pytest.fail)
        page = progress_report(scope, page=True, generated_at=AT)
        assert paging.cut(page, {}, "reports.progress", {"slug": round_.slug}) == 2
    assert page.summary == whole.summary and page.main_table is None
    assert len(page.sections) == len(whole.sections)
    cut = 0
    for mine, theirs in zip(page.sections, whole.sections, strict=True):
        assert (mine.title, mine.paragraphs, mine.facts) == (
            theirs.title,
            theirs.paragraphs,
            theirs.facts,
        )
        assert [c.alt for c in mine.charts] == [c.alt for c in theirs.charts]
        for shown, every in zip(mine.tables, theirs.tables, strict=True):
            data = [r.values for r in every.rows if not r.is_sum]
            sums = [(r.kind, r.values) for r in every.rows if r.is_sum]
            if shown.pager is None:
                assert [r.values for r in shown.rows] == [r.values for r in every.rows]
                continue
            cut += 1
            assert [r.values for r in shown.rows if not r.is_sum] == data[:2]
            # the median and the total over every municipality, beneath the page
            assert [(r.kind, r.values) for r in shown.rows if r.is_sum] == sums
            assert shown.pager.rows == len(data) == 3
    assert cut >= 3  # the benefits, each measured indicator's rows, the words


def test_the_kept_sums_of_the_promises_equal_those_worked_out(app, progress_round):
    from portal.benefits.calculation import programme_models
    from portal.reports import promised_json
    from portal.reports.progress import round_data

    round_ = progress_round.round
    _keep(round_)
    with app.test_request_context():
        data = round_data(round_, None)
        assert data.promised is not None
        model = programme_models([round_.programme_id])[round_.programme_id]
        live = progress_promise.promised(round_, data.evaluations, model)
        assert promised_json.to_json(data.promised) == promised_json.to_json(live)
        assert data.promised.shown == live.shown and live.shown


def test_a_stale_summary_is_not_read(app, progress_round):
    """A summary of an older results version: the business cases are worked out."""
    from portal.reports.progress import round_data
    from tests.dashboards.helpers import cost, stored

    round_ = progress_round.round
    _keep(round_)
    cost(progress_round.aar, 100, date(2025, 10, 1))
    stored()
    with app.test_request_context():
        assert round_data(round_, None).promised is None


def _table(page: str, table_id: str) -> str:
    found = re.search(rf'<table id="{table_id}".*?</table>', page, re.S)
    assert found, table_id
    return found.group(0)


def test_the_page_pages_and_sorts_its_municipalities(
    client, make_user, login, progress_round, small_pages
):
    login(make_user(Role.COORDINATOR))
    slug = progress_round.round.slug
    url = f"/rapporter/fremdrift/{slug}"
    first = client.get(url).get_data(as_text=True)
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert "Side 1 af 2" in first and "Side 2 af 2" in second
    assert f'<a rel="next" href="{url}?page=2#s2-t1">' in first
    benefits = [_table(first, "s2-t1"), _table(second, "s2-t1")]  # Gevinster pr. kommune
    names = ("København", "Frederiksberg", "Aarhus")
    assert [sum(n in b for n in names) for b in benefits] == [2, 1]
    assert all(sum(n in b for b in benefits) == 1 for n in names)
    totals = [re.search(r'<tr class="total">.*?</tr>', b, re.S).group(0) for b in benefits]
    assert totals[0] == totals[1] and "445.902" in totals[0].replace("\xa0", " ")
    # 421.002 + 18.700 + 6.200 kr. net beneath both pages; by net, highest first: Aarhus on
    # the first page
    by_net = client.get(f"{url}?sort=-s2-t1.6").get_data(as_text=True)
    table = _table(by_net, "s2-t1")
    assert "Aarhus" in table and 'aria-sort="descending"' in table
    assert f'<a rel="next" href="{url}?sort=-s2-t1.6&amp;page=2#s5-t1">' in by_net
    assert "Aarhus" not in _table(first, "s2-t1")  # by name (as built): Aarhus, unplaced, last
    # the other tables keep their order; an unknown sort is the default
    assert client.get(f"{url}?sort=x.1&page=99").status_code == 200


def test_a_round_of_a_page_or_less_is_not_paged(client, make_user, login, progress_round):
    login(make_user(Role.COORDINATOR))
    page = client.get(f"/rapporter/fremdrift/{progress_round.round.slug}").get_data(as_text=True)
    assert "Side 1 af" not in page and "aria-sort" not in page
    assert RowKind.TOTAL.value in page


def test_the_csv_is_the_main_table_of_the_whole_report(app, progress_round):
    """The round's CSV builds its main table alone: the same rows as the whole report's."""
    scope = ReportScope(round=progress_round.round)
    with app.test_request_context():
        whole = progress_report(scope, generated_at=AT)
        main = progress_report(scope, main_only=True, generated_at=AT)
    assert main.sections == [] and main.key_figures is None
    assert [r.values for r in main.main_table.rows] == [r.values for r in whole.main_table.rows]
    assert len(main.main_table.rows) == 12  # three municipalities × four indicators
