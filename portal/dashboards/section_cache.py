"""Rendered page sections kept by their data's version, per language, in this process: the
national view's 98 × 8 rows and charts are the same for every national reader until the
stored results (or the round, or the day) change, and the key says exactly that. A bounded
LRU: a new version simply misses, the old one ages out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask_babel import get_locale
from markupsafe import Markup

SIZE = 64
_sections: OrderedDict[tuple, Markup] = OrderedDict()
_lock = threading.Lock()


def get_or_render(key: Hashable, render: Callable[[], str]) -> Markup:
    full = (key, str(get_locale()))
    with _lock:
        found = _sections.get(full)
        if found is not None:
            _sections.move_to_end(full)
            return found
    html = Markup(render())
    with _lock:
        _sections[full] = html
        while len(_sections) > SIZE:
            _sections.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _sections.clear()
