"""Throttling of password checks with the ``limits`` library.

An attempt is counted *before* the password is checked, with the storage's atomic
``hit`` (it adds one and says in the same step whether the limit still holds), so thirty
parallel guesses at one account get exactly as many checks as the limit allows. A login
that succeeds clears its account's counts; failures keep counting.

What is counted, so one person's typos behind a municipality's NAT do not lock out the
colleagues sharing the address:

- per account and address: ``LOGIN_FAILURE_LIMIT`` (5 a minute), the ordinary case;
- per account from anywhere: ``LOGIN_ACCOUNT_LIMIT``, higher, against guessing one account
  from many addresses;
- failures per address for any account: ``LOGIN_ADDRESS_LIMIT``, much higher, against
  trying many accounts from one address (only failures: a whole town hall logging in on a
  Monday morning through one proxy is not an attack).

The current-password check on the account page is counted per account the same way.

Memory storage in one process; Redis when ``REDIS_URL`` is set, so several app processes
share the count. Redis is a helper, not a gate: while it does not answer, the counts are
kept in this process's memory (each process then counts on its own, so a guesser gets at
most the limit per process), the log says so once, and the next attempt after
``RETRY_SECONDS`` tries Redis again; when it answers, the log says that too.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time

from limits import parse, storage, strategies
from limits.errors import StorageError

from portal.ratelimit import limit_storage

log = logging.getLogger(__name__)
RETRY_SECONDS = 5  # while Redis is away, how often a login tries it again


class LoginThrottle:
    def __init__(
        self,
        storage_uri: str,
        limit: str,
        account_limit: str = "20/minute",
        address_limit: str = "100/minute",
    ) -> None:
        self.storage = limit_storage(storage_uri)
        self.shared = strategies.MovingWindowRateLimiter(self.storage)
        self.local = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self._away_until = 0.0  # while Redis is away: when to try it again
        self._lock = threading.Lock()
        self.limit = parse(limit)
        self.account_limit = parse(account_limit)
        self.address_limit = parse(address_limit)

    @property
    def strategy(self) -> _Fallback:
        return _Fallback(self)

    def _call(self, name: str, *args):
        """The shared counter's ``name``, or this process's while Redis is away."""
        if time.monotonic() >= self._away_until:
            try:
                result = getattr(self.shared, name)(*args)
            except StorageError as error:
                with self._lock:
                    first = self._away_until == 0.0
                    self._away_until = time.monotonic() + RETRY_SECONDS
                if first:
                    log.warning(
                        "Redis does not answer (%s): login attempts are counted in this "
                        "process's memory until it does",
                        error.storage_error,
                    )
            else:
                with self._lock:
                    returned = self._away_until != 0.0
                    self._away_until = 0.0
                if returned:
                    log.warning("Redis answers again: login attempts are counted there")
                return result
        return getattr(self.local, name)(*args)

    @property
    def degraded(self) -> bool:
        """Counting in this process's memory, because Redis did not answer."""
        return self._away_until != 0.0

    def _keys(self, email: str, address: str | None) -> list:
        account = email.strip().lower()
        keys = [(self.account_limit, "account", account)]
        if address:
            keys.append((self.limit, "pair", f"{account}|{address}"))
        return keys

    def _attempt(self, keys: list) -> int:
        """Count one attempt against every key; the seconds to wait when one of them is
        exhausted (the attempt is refused), else 0."""
        wait = 0
        for limit, kind, key in keys:
            if not self.strategy.hit(limit, "login", kind, key):
                stats = self.strategy.get_window_stats(limit, "login", kind, key)
                wait = max(wait, math.ceil(stats.reset_time - time.time()), 1)
        return wait

    def attempt(self, email: str, address: str | None) -> int:
        """Before checking a login's password: 0 to go ahead, else the seconds to wait."""
        if address and not self.strategy.test(self.address_limit, "login", "address", address):
            stats = self.strategy.get_window_stats(self.address_limit, "login", "address", address)
            return max(math.ceil(stats.reset_time - time.time()), 1)
        return self._attempt(self._keys(email, address))

    def failed(self, address: str | None) -> None:
        """A wrong password: it counts against the address."""
        if address:
            self.strategy.hit(self.address_limit, "login", "address", address)

    def succeeded(self, email: str, address: str | None = None) -> None:
        """A correct password: this account's attempts stop counting against it."""
        for limit, kind, key in self._keys(email, address):
            self.strategy.clear(limit, "login", kind, key)

    def attempt_password_check(self, user_id: int) -> int:
        """Before checking the current password on the account page (per account)."""
        return self._attempt([(self.limit, "current-password", str(user_id))])

    def password_check_succeeded(self, user_id: int) -> None:
        self.strategy.clear(self.limit, "login", "current-password", str(user_id))

    def reset(self) -> None:
        self.local.storage.reset()
        with contextlib.suppress(StorageError):  # nothing to clear in a Redis that is away
            self.storage.reset()


class _Fallback:
    """The strategy's methods, each through ``LoginThrottle._call``."""

    def __init__(self, throttle: LoginThrottle) -> None:
        self._throttle = throttle

    def __getattr__(self, name: str):
        return lambda *args: self._throttle._call(name, *args)
