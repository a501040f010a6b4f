"""On Django's Redis cache a rate-limit hit is one pipelined round trip (SET NX EX + INCR)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from lapor.core import ratelimit
from lapor.core.errors import RateLimited


class _FakeRedis:
    """Just enough of redis-py for the pipeline: a dict of counters with their expiry."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self.expiry: dict[str, int] = {}
        self.round_trips = 0

    def pipeline(self, transaction: bool = True) -> _FakePipeline:
        return _FakePipeline(self)


class _FakePipeline:
    def __init__(self, redis: _FakeRedis) -> None:
        self.redis = redis
        self.ops: list[tuple[Any, ...]] = []

    def set(self, key: str, value: int, *, ex: int, nx: bool) -> None:
        self.ops.append(("set", key, value, ex, nx))

    def incr(self, key: str) -> None:
        self.ops.append(("incr", key))

    def execute(self) -> list[Any]:
        self.redis.round_trips += 1
        out: list[Any] = []
        for op in self.ops:
            if op[0] == "set":
                _, key, value, ex, nx = op
                if nx and key in self.redis.values:
                    out.append(None)
                    continue
                self.redis.values[key] = value
                self.redis.expiry[key] = ex
                out.append(True)
            else:
                self.redis.values[op[1]] += 1
                out.append(self.redis.values[op[1]])
        return out


class _FakeClient(RedisCacheClient):
    def __init__(self, redis: _FakeRedis) -> None:  # no connection pool
        self.redis = redis

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        return self.redis


class _FakeCache:
    def __init__(self, redis: _FakeRedis) -> None:
        self._cache = _FakeClient(redis)

    def make_and_validate_key(self, key: str) -> str:
        return f":1:{key}"


def test_each_hit_is_one_round_trip_and_the_window_expires(monkeypatch):
    # given Django's Redis cache (its client faked)
    redis = _FakeRedis()
    monkeypatch.setattr(ratelimit, "cache", _FakeCache(redis))
    # when three hits are counted against a limit of three
    for _ in range(3):
        ratelimit.rate_limit_hit(key="ip:1", limit=3, window_seconds=60, now=125.0)
    # then each was one round trip, the counter expires a little after its window
    assert redis.round_trips == 3
    assert redis.values == {":1:ratelimit:ip:1:60:2": 3}
    assert redis.expiry == {":1:ratelimit:ip:1:60:2": 65}
    # and the fourth is refused with the time left in the window
    with pytest.raises(RateLimited) as refused:
        ratelimit.rate_limit_hit(key="ip:1", limit=3, window_seconds=60, now=125.0)
    assert refused.value.retry_after == 55
