"""Rendered HTML kept in this process by the version of what it shows: a bounded LRU per use
(the dashboards' sections, the conditional pages). The key says exactly what the HTML rests
on, so a new version simply misses and the old one ages out; the language is always part of
it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask_babel import get_locale
from markupsafe import Markup


class Rendered:
    def __init__(self, size: int) -> None:
        self.size = size
        self._html: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> Markup:
        full = (key, str(get_locale()))
        with self._lock:
            found = self._html.get(full)
            if found is not None:
                self._html.move_to_end(full)
                return found
        html = Markup(render())
        with self._lock:
            self._html[full] = html
            while len(self._html) > self.size:
                self._html.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._html.clear()


# The national view's 98 × 8 rows and charts are the same for every national reader until
# the stored results (or the round, or the day) change; a dashboard's body for every reader
# of that participation.
sections = Rendered(64)
# Whole pages, per session (``conditional.cached_page``): about 100 kB each.
pages = Rendered(128)


def clear() -> None:
    sections.clear()
    pages.clear()
