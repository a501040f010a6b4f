"""Rate limits in Django's cache (fixed windows), and the client's IP address.

A fixed window is counted with ``cache.add`` (creates the counter only if absent) and
``cache.incr``. On Redis (production) both are single atomic commands, so concurrent requests in
several worker processes never lose a count; LocMem does them under a lock (one process). Django's
database cache implements ``incr`` as read-then-write, so two requests racing in the same instant
may count once: the limit is then slightly soft (never stricter than configured), which is
acceptable for a cache that only serves single-server set-ups. The window is aligned to multiples
of ``window_seconds``; ``Retry-After`` is the time left in it.

On Django's Redis cache a hit is one round trip: ``SET key 0 EX timeout NX`` and ``INCR key`` in one
pipeline (Django's own ``cache.incr`` on Redis is an ``EXISTS`` then an ``INCR``, two round trips).
The counter stays readable with ``cache.get`` (Django stores plain integers in Redis as such).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import RateLimited


def rate_limit_hit(
    *, key: str, limit: int, window_seconds: int = 60, now: float | None = None
) -> None:
    """Count one hit on ``key``; raise :class:`RateLimited` when it is over ``limit`` in the window.

    ``limit <= 0`` disables the limit.
    """
    if limit <= 0:
        return
    moment = time.time() if now is None else now
    window = int(moment // window_seconds)
    cache_key = f"ratelimit:{key}:{window_seconds}:{window}"
    # keep the counter a little past its window so a slow clock never resets it early
    timeout = window_seconds + 5
    count = _redis_hit(cache_key, timeout)
    if count is None:
        try:
            # the common case (the window's counter exists) costs one increment
            count = cache.incr(cache_key)
        except ValueError:  # first hit of the window (or another request creates it right now)
            count = 1 if cache.add(cache_key, 1, timeout=timeout) else cache.incr(cache_key)
    if count > limit:
        window_end = (window + 1) * window_seconds
        retry_after = max(1, math.ceil(window_end - moment))
        raise RateLimited(
            _("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.")
            % {"seconds": retry_after},
            retry_after=retry_after,
        )


def _redis_hit(cache_key: str, timeout: int) -> int | None:
    """Count one hit in one round trip when the cache is Django's Redis cache, else None."""
    backend = getattr(cache, "_cache", None)  # RedisCache's client; LocMem's dict; else absent
    if not isinstance(backend, RedisCacheClient):
        return None
    key = cache.make_and_validate_key(cache_key)
    client = backend.get_client(key, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.set(key, 0, ex=timeout, nx=True)
    pipe.incr(key)
    return int(pipe.execute()[1])


def client_ip(request: HttpRequest) -> str:
    """The caller's IP address.

    ``REMOTE_ADDR`` unless ``settings.LAPOR["TRUSTED_PROXY_COUNT"]`` (default 0) says that many
    reverse proxies in front of us append to ``X-Forwarded-For``; then the address that the
    outermost trusted proxy saw (the N-th from the right) is taken.
    """
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    trusted = int(getattr(settings, "LAPOR", {}).get("TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) >= trusted:
        return hops[-trusted]
    return hops[0] if hops else remote
