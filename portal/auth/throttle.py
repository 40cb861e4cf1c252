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
share the count.
"""

from __future__ import annotations

import math
import time

from limits import parse, storage, strategies


class LoginThrottle:
    def __init__(
        self,
        storage_uri: str,
        limit: str,
        account_limit: str = "20/minute",
        address_limit: str = "100/minute",
    ) -> None:
        self.storage = storage.storage_from_string(storage_uri)
        self.strategy = strategies.MovingWindowRateLimiter(self.storage)
        self.limit = parse(limit)
        self.account_limit = parse(account_limit)
        self.address_limit = parse(address_limit)

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
        self.storage.reset()
