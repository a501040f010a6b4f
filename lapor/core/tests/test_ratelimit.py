"""Fixed-window rate limits in the cache, and the client IP."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory

from lapor.core.errors import RateLimited
from lapor.core.ratelimit import client_ip, rate_limit_hit

T0 = 60 * 28_333_334 + 40.0  # 40 s into a one-minute window


def test_hits_up_to_the_limit_pass_then_429_with_retry_after():
    # given
    for _ in range(3):
        rate_limit_hit(key="ip:1.2.3.4", limit=3, window_seconds=60, now=T0)
    # when
    with pytest.raises(RateLimited) as caught:
        rate_limit_hit(key="ip:1.2.3.4", limit=3, window_seconds=60, now=T0 + 5)
    # then: 15 s are left in the window
    assert caught.value.retry_after == 15
    assert caught.value.status == 429


def test_keys_are_counted_separately():
    # given
    rate_limit_hit(key="ip:a", limit=1, now=T0)
    # when / then
    rate_limit_hit(key="ip:b", limit=1, now=T0)
    with pytest.raises(RateLimited):
        rate_limit_hit(key="ip:a", limit=1, now=T0)


def test_a_new_window_starts_fresh():
    # given
    rate_limit_hit(key="acct:7", limit=1, now=T0)
    with pytest.raises(RateLimited):
        rate_limit_hit(key="acct:7", limit=1, now=T0 + 1)
    # when / then: the next minute allows again
    rate_limit_hit(key="acct:7", limit=1, now=T0 + 25)


def test_zero_limit_disables():
    # when / then
    for _ in range(50):
        rate_limit_hit(key="x", limit=0, now=T0)


@pytest.mark.django_db(transaction=True)
def test_works_on_the_database_cache(settings):
    # given: the database cache the project uses without Redis
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lapor_cache_test",
        }
    }
    call_command("createcachetable", verbosity=0)
    # when
    rate_limit_hit(key="db", limit=2, now=T0)
    rate_limit_hit(key="db", limit=2, now=T0)
    # then
    with pytest.raises(RateLimited) as caught:
        rate_limit_hit(key="db", limit=2, now=T0)
    assert caught.value.retry_after == 20
    assert "DatabaseCache" in type(caches["default"]).__name__
    assert caches["default"].get("ratelimit:db:60:28333334") == 3


def test_client_ip_uses_remote_addr_by_default():
    # given
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.1"
    )
    # when / then: X-Forwarded-For is ignored unless a proxy is trusted
    assert client_ip(request) == "10.0.0.9"


def test_client_ip_behind_trusted_proxies(settings):
    # given: one trusted proxy appends the address it saw
    settings.LAPOR = {**settings.LAPOR, "TRUSTED_PROXY_COUNT": 1}
    request = RequestFactory().post(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    # when / then: the spoofable left part is ignored
    assert client_ip(request) == "203.0.113.7"
    settings.LAPOR = {**settings.LAPOR, "TRUSTED_PROXY_COUNT": 2}
    assert client_ip(request) == "6.6.6.6"


def test_a_counter_created_by_a_concurrent_request_is_incremented(monkeypatch):
    # given: our increment finds no counter, then another request creates it before our add
    from django.core.cache import cache

    real_incr = cache.incr
    calls = {"n": 0}

    def incr_racing(key, delta=1, version=None):
        calls["n"] += 1
        if calls["n"] == 1:
            cache.add(key, 1, timeout=65)  # the other request's first hit
            raise ValueError(key)
        return real_incr(key, delta)

    monkeypatch.setattr(cache, "incr", incr_racing)
    # when
    rate_limit_hit(key="race", limit=5, now=T0)
    # then: both hits are counted
    assert cache.get("ratelimit:race:60:28333334") == 2
