"""Throttling of failed logins, per account and per address, with the ``limits`` library.

Memory storage in one process; Redis when ``REDIS_URL`` is set, so several app processes
share the count.
"""

from __future__ import annotations

import math
import time

from limits import parse, storage, strategies


class LoginThrottle:
    def __init__(self, storage_uri: str, limit: str) -> None:
        self.storage = storage.storage_from_string(storage_uri)
        self.strategy = strategies.MovingWindowRateLimiter(self.storage)
        self.limit = parse(limit)

    @staticmethod
    def _keys(email: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("account", email.strip().lower())]
        if address:
            keys.append(("address", address))
        return keys

    def wait_seconds(self, email: str, address: str | None) -> int:
        """Seconds until the next attempt is allowed; 0 when it is allowed now."""
        wait = 0
        for kind, key in self._keys(email, address):
            if not self.strategy.test(self.limit, "login", kind, key):
                stats = self.strategy.get_window_stats(self.limit, "login", kind, key)
                wait = max(wait, math.ceil(stats.reset_time - time.time()), 1)
        return wait

    def failed(self, email: str, address: str | None) -> None:
        for kind, key in self._keys(email, address):
            self.strategy.hit(self.limit, "login", kind, key)

    def succeeded(self, email: str) -> None:
        self.strategy.clear(self.limit, "login", "account", email.strip().lower())

    def reset(self) -> None:
        self.storage.reset()
