"""Rendered HTML kept by the version of what it shows: in this process, a bounded LRU (the
national view's body), and on disk for every process of the app
(``Kept``: each municipality's own dashboard sections, drawn before their reader comes). The
key says exactly what the HTML rests on, so a new version simply misses; the language is
always part of it."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, has_app_context
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


class Kept:
    """HTML kept in files of one folder (``SECTIONS_FOLDER``), shared by the app's processes
    and kept across restarts, one file per name and language (say a participation's own
    sections), holding the digest of the key it was drawn for: a file drawn for another
    version is drawn again and replaced, so the folder never grows past one file per name.
    Without a folder (``SECTIONS_FOLDER`` empty) it keeps nothing."""

    def _path(self, name: str) -> str | None:
        folder = current_app.config.get("SECTIONS_FOLDER")
        return os.path.join(folder, f"{name}.{get_locale()}.html") if folder else None

    @staticmethod
    def _digest(key: Hashable) -> str:
        return hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, name: str, key: Hashable) -> Markup | None:
        path = self._path(name)
        if path is None:
            return None
        try:
            with open(path, encoding="utf-8") as f:
                head = f.readline()
                return Markup(f.read()) if head[:-1] == self._digest(key) else None
        except OSError:
            return None

    def put(self, name: str, key: Hashable, html: str) -> Markup:
        path = self._path(name)
        if path is not None:
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                # Two processes may draw the same: write aside, then swap in whole.
                with tempfile.NamedTemporaryFile(
                    "w", encoding="utf-8", dir=os.path.dirname(path), suffix=".tmp", delete=False
                ) as out:
                    out.write(f"{self._digest(key)}\n{html}")
                os.replace(out.name, path)
            except OSError:  # a read-only folder costs a drawing, never the page
                pass
        return Markup(html)

    def get_or_render(self, name: str, key: Hashable, render: Callable[[], str]) -> Markup:
        found = self.get(name, key)
        return found if found is not None else self.put(name, key, render())

    def clear(self) -> None:
        folder = current_app.config.get("SECTIONS_FOLDER")
        if folder and os.path.isdir(folder):
            for name in os.listdir(folder):
                if name.endswith(".html"):
                    os.unlink(os.path.join(folder, name))


# The national view's 98 × 8 rows and charts are the same for every national reader until
# the stored results (or the round, or the day) change.
sections = Rendered(64)
# Each municipality's own dashboard sections (``dashboards.sections``), for every process.
kept = Kept()


def clear() -> None:
    """Forget everything rendered (in an app context: the kept files too)."""
    sections.clear()
    if has_app_context():
        kept.clear()
