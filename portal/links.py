"""Links that services store (a notice's link, a reminder's): built from the URL map, so a
route can move without a service knowing its path."""

from __future__ import annotations

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """The path of ``endpoint`` (``"applications.detail"``), with or without a request: the
    daily command writes reminders outside one."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
