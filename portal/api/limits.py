"""Per-token rate limits (the ``limits`` library, a moving window) with ``Retry-After``,
shared through Redis when ``REDIS_URL`` (or ``RATELIMIT_STORAGE_URI``) names one, as the
login throttle is (``portal.auth.throttle``); and the body size limit (413)."""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from limits import parse, storage, strategies
from limits.errors import StorageError

from portal.api.problems import Problem
from portal.ratelimit import limit_storage


class TokenLimiter:
    def __init__(self, storage_uri: str, limit: str) -> None:
        self.storage = limit_storage(storage_uri)
        self.shared = strategies.MovingWindowRateLimiter(self.storage)
        # Redis is a helper, not a gate: while it does not answer, each process counts alone
        self.local = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self.limit = parse(limit)

    def hit(self, key: str) -> int:
        """Count one request of the token ``key``: 0 to go ahead, else seconds to wait."""
        try:
            limiter = self.shared
            allowed = limiter.hit(self.limit, "api", key)
        except StorageError:
            limiter = self.local
            allowed = limiter.hit(self.limit, "api", key)
        if allowed:
            return 0
        stats = limiter.get_window_stats(self.limit, "api", key)
        return max(math.ceil(stats.reset_time - time.time()), 1)


def init_app(app: Flask) -> None:
    uri = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    app.extensions["api_limiter"] = TokenLimiter(uri, app.config["API_RATE_LIMIT"])


def check_rate(token_id: int) -> None:
    wait = current_app.extensions["api_limiter"].hit(str(token_id))
    if wait:
        raise Problem("too-many-requests", headers={"Retry-After": str(wait)}, retry_after=wait)


def check_size() -> None:
    """Refuse a body over ``API_MAX_BODY`` bytes before reading it."""
    limit = current_app.config["API_MAX_BODY"]
    length = request.content_length
    if length is not None and length > limit:
        raise Problem("too-large", max_bytes=limit)
    request.max_content_length = limit  # a body without a length is cut there (413)
