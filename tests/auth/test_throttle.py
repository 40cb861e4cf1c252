"""The failed-login throttle with Redis storage: several app processes share the count."""

import os
import threading
import uuid

import pytest

from portal.auth.throttle import LoginThrottle

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")


def test_two_processes_share_the_count_through_redis():
    _redis_or_skip()
    email = f"{uuid.uuid4().hex}@example.dk"
    first = LoginThrottle(REDIS_URL, "5/minute")
    second = LoginThrottle(REDIS_URL, "5/minute")
    for _ in range(3):
        assert first.attempt(email, "10.0.0.1") == 0
    for _ in range(2):
        assert second.attempt(email, "10.0.0.1") == 0
    wait = first.attempt(email, "10.0.0.1")
    assert 0 < wait <= 60
    second.succeeded(email, "10.0.0.1")
    assert first.attempt(email, "10.0.0.1") == 0


def test_five_attempts_per_account_and_address():
    throttle = LoginThrottle("memory://", "5/minute")
    for _ in range(5):
        assert throttle.attempt("a@example.dk", "10.0.0.1") == 0
    assert throttle.attempt("a@example.dk", "10.0.0.1") > 0


def test_one_persons_typos_do_not_lock_out_colleagues_behind_the_same_nat():
    throttle = LoginThrottle("memory://", "5/minute")
    for _ in range(6):
        throttle.attempt("a@example.dk", "10.0.0.1")
        throttle.failed("10.0.0.1")
    assert throttle.attempt("b@example.dk", "10.0.0.1") == 0  # a colleague, same address
    assert throttle.attempt("a@example.dk", "10.0.0.2") == 0  # the same person elsewhere


def test_one_account_guessed_from_many_addresses_is_stopped():
    throttle = LoginThrottle("memory://", "5/minute", account_limit="20/minute")
    for n in range(20):
        assert throttle.attempt("a@example.dk", f"10.0.1.{n}") == 0
    assert throttle.attempt("a@example.dk", "10.0.2.1") > 0


def test_many_accounts_tried_from_one_address_are_stopped():
    throttle = LoginThrottle("memory://", "5/minute", address_limit="10/minute")
    for n in range(10):
        assert throttle.attempt(f"u{n}@example.dk", "10.0.0.9") == 0
        throttle.failed("10.0.0.9")
    assert throttle.attempt("new@example.dk", "10.0.0.9") > 0
    assert throttle.attempt("new@example.dk", "10.0.0.8") == 0


def test_successful_logins_of_many_users_through_one_proxy_are_not_throttled():
    throttle = LoginThrottle("memory://", "5/minute", address_limit="10/minute")
    for n in range(30):
        assert throttle.attempt(f"u{n}@example.dk", "10.0.0.9") == 0
        throttle.succeeded(f"u{n}@example.dk", "10.0.0.9")


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_parallel_attempts_are_counted_atomically(backend):
    """30 guesses at once against a limit of 5: exactly 5 go ahead."""
    if backend == "redis":
        _redis_or_skip()
    throttle = LoginThrottle("memory://" if backend == "memory" else REDIS_URL, "5/minute")
    email = f"{uuid.uuid4().hex}@example.dk"
    barrier = threading.Barrier(30)
    allowed = []

    def guess():
        barrier.wait(10)
        if throttle.attempt(email, "10.0.0.1") == 0:
            allowed.append(1)

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(allowed) == 5
