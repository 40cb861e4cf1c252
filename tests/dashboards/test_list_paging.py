"""Paging and sorting a list already at hand (``pagination.page_of``, ``sort_items``), as the
national view pages a round summary's communities: the same rules as a query's pages."""

from __future__ import annotations

from portal.pagination import page_of, sort_items

ROWS = [("b", 3), ("a", None), ("c", 1), ("d", 3)]
SORTS = {"name": lambda r: r[0], "n": lambda r: r[1]}


def test_a_list_is_paged_like_a_query():
    items = list(range(7))
    assert page_of(items, 2, 3).items == [3, 4, 5]
    last = page_of(items, 99, 3, {"page": "99", "sort": "n", "_anchor": "x"})
    assert (last.items, last.number, last.pages, last.total) == ([6], 3, 3, 7)
    assert last.args == {"sort": "n"}  # no page, nothing url_for would read as its own
    assert page_of([], 1, 3).items == [] and page_of([], 1, 3).pages == 1


def test_a_list_is_sorted_empty_last_ties_in_their_order():
    assert sort_items(ROWS, "n", SORTS, "name") == (
        [("c", 1), ("b", 3), ("d", 3), ("a", None)],
        "n",
    )
    assert sort_items(ROWS, "-n", SORTS, "name")[0] == [("b", 3), ("d", 3), ("c", 1), ("a", None)]
    assert sort_items(ROWS, "__class__", SORTS, "name") == (sorted(ROWS), "name")
    assert sort_items(ROWS, None, SORTS, "-name")[1] == "-name"
