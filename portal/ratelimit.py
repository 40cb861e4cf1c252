"""The storage the rate limits count in (the ``limits`` library): Redis when a ``redis://``
URI names one — shared by every app process, with short timeouts, its errors wrapped so a
caller can fall back to counting alone — else the URI's own (``memory://`` in tests)."""

from __future__ import annotations

from limits import storage

CONNECT_TIMEOUT = 1  # seconds: an unreachable Redis costs a request at most this


def limit_storage(uri: str) -> storage.Storage:
    if uri.startswith(("redis://", "rediss://")):
        return storage.storage_from_string(
            uri,
            wrap_exceptions=True,
            socket_connect_timeout=CONNECT_TIMEOUT,
            socket_timeout=CONNECT_TIMEOUT,
        )
    return storage.storage_from_string(uri)
