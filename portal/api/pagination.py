"""Cursor pagination: a list is ordered by a unique key and a page ends with an opaque
cursor (the last key, signed so a client cannot forge a position) to ask for the next."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.api.problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-cursor")


def encode(position) -> str:
    return _serializer().dumps(position)


def decode(cursor: str | None, kind: str):
    """The position a cursor names, or None for the first page."""
    if not cursor:
        return None
    try:
        found = _serializer().loads(cursor)
    except BadSignature:
        raise Problem("bad-request", "cursor") from None
    if not isinstance(found, list) or len(found) != 2 or found[0] != kind:
        raise Problem("bad-request", "cursor")
    return found[1]


def page(items: list, limit: int, kind: str, key) -> tuple[list, str | None]:
    """``items``: up to ``limit + 1`` rows in key order; the page and the next cursor."""
    more = len(items) > limit
    items = items[:limit]
    return items, encode([kind, key(items[-1])]) if more and items else None
