"""Conditional GET for pages built from stored data: an ETag from what the page shows (the
stored results' version and whatever else the page reads), and a 304 with no body when the
browser already holds that version. Pages are per user: ``private, no-cache`` lets the
browser keep them but always ask first.

A 200 is drawn afresh for every request: a browser that holds the page asks with its ETag and
gets the 304, and what a page rests on is kept by its own version where it is costly to draw
(``dashboards.sections``). A per-session copy of whole pages was measured and removed: it
spared only a re-read without ``If-None-Match``, which browsers do not make."""

from __future__ import annotations

import hashlib

from flask import Response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import Select

from portal.conversations.reading import (
    remember_unread_messages,
    unread_messages,
    unread_messages_query,
)
from portal.db import one_trip
from portal.notifications.services import remember_unread, unread_count, unread_query


def read_versions(*statements: Select, entity: Select | None = None, params: dict | None = None):
    """The row of each of ``statements`` (one-row queries of what the page's version rests
    on), read in one round trip with the header's unread count, which ``page_etag`` and the
    page then use without asking again; with ``entity``, the page's object too (see
    ``db.one_trip``): ``(object, rows)``, or ``None`` when there is no such object."""
    unread = unread_query(current_user)
    talk = unread_messages_query(current_user)  # the menu's unread messages
    extra = tuple(s for s in (unread, talk) if s is not None)
    found = one_trip(*statements, *extra, entity=entity, params=params)
    if found is None:
        return None
    obj, rows = found if entity is not None else (None, found)
    if talk is not None:
        remember_unread_messages(current_user, rows.pop()[0])
    if unread is not None:
        remember_unread(current_user, rows.pop()[0])
    return (obj, rows) if entity is not None else rows


def page_etag(*parts) -> str:
    """A weak-enough ETag over ``parts`` plus what every page's frame shows: the user (and
    their session), role and municipality, the language and the header's counts of unread
    notices and messages."""
    municipality = current_user.municipality  # loaded with the user
    frame = (
        current_user.get_id(),
        current_user.name,
        current_user.role,
        municipality.name if municipality else None,
        str(get_locale()),
        unread_count(current_user),
        unread_messages(current_user),
    )
    return hashlib.sha256(repr((frame, parts)).encode()).hexdigest()[:32]


def not_modified(etag: str) -> Response | None:
    """A 304 when the request already holds ``etag`` (and no flash message waits to be
    shown, which only a fresh page would show)."""
    if "_flashes" in session or not request.if_none_match.contains(etag):
        return None
    response = Response(status=304)
    return _headers(response, etag)


def _headers(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def with_etag(body: str, etag: str) -> Response:
    return _headers(Response(body), etag)
