"""The per-token rate limit is shared through Redis: two app processes (two limiters on one
Redis, here a private redis-server on a free port) count one token's requests together; a
Redis that does not answer leaves each process counting alone, never refusing for it."""

from __future__ import annotations

from portal.api.limits import TokenLimiter
from tests.faults.processes import RedisServer


def test_two_processes_share_one_tokens_count_through_redis():
    server = RedisServer()
    server.start()
    try:
        first, second = TokenLimiter(server.url, "3/minute"), TokenLimiter(server.url, "3/minute")
        waits = [first.hit("7"), second.hit("7"), first.hit("7"), second.hit("7")]
        assert waits[:3] == [0, 0, 0] and waits[3] >= 1
        assert first.hit("8") == 0  # another token has its own count
    finally:
        server.stop()
    # Redis gone: each process counts in its own memory
    assert [first.hit("9") for _ in range(3)] == [0, 0, 0]
    assert first.hit("9") >= 1
