"""The failed-login throttle with Redis storage: several app processes share the count."""

import os
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
        first.failed(email, None)
    for _ in range(2):
        second.failed(email, None)
    wait = first.wait_seconds(email, None)
    assert 0 < wait <= 60
    second.succeeded(email)
    assert first.wait_seconds(email, None) == 0


def test_memory_throttle_allows_four_failures_and_blocks_the_fifth():
    throttle = LoginThrottle("memory://", "5/minute")
    for _ in range(4):
        throttle.failed("a@example.dk", "10.0.0.1")
    assert throttle.wait_seconds("a@example.dk", "10.0.0.1") == 0
    throttle.failed("a@example.dk", "10.0.0.1")
    assert throttle.wait_seconds("a@example.dk", "10.0.0.2") > 0  # the account
    assert throttle.wait_seconds("b@example.dk", "10.0.0.1") > 0  # the address
    assert throttle.wait_seconds("b@example.dk", "10.0.0.2") == 0
