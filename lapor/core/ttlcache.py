"""Small per-process caches with a maximum age, for the few reads on hot write paths.

A :class:`LocalTTLCache` keeps values in this process only. A reader says how old a value it
accepts (``max_age`` seconds); a writer in this process calls :meth:`LocalTTLCache.clear` (the
owning app does it from its services or from ``post_save`` / ``post_delete`` receivers), so the
process that made a change sees it at once, and every other process within ``max_age``.

Every cache registers itself; :func:`clear_all` empties them all (the test suite does it before
each test, as rolled-back rows must not survive in a cache).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings

_registry: list[LocalTTLCache] = []


def hot_path_max_age() -> float:
    """How stale (seconds) the cached reads of the submission path may be: ``LAPOR["HOT_PATH_CACHE_SECONDS"]``, default 2."""
    return float(getattr(settings, "LAPOR", {}).get("HOT_PATH_CACHE_SECONDS", 2.0))


class LocalTTLCache:
    """A dict of ``key -> (loaded_at, value)`` guarded by a lock (threads share a process)."""

    def __init__(self, name: str, *, max_entries: int = 1024) -> None:
        self.name = name
        self.max_entries = max_entries
        self._data: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        _registry.append(self)

    def get_or_load(
        self, key: Hashable, load: Callable[[], Any], *, max_age: float, cache_none: bool = False
    ) -> Any:
        """The cached value when younger than ``max_age``, else ``load()`` (stored unless it is
        None and ``cache_none`` is false). ``max_age <= 0`` always loads and stores nothing."""
        if max_age <= 0:
            return load()
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and now - hit[0] < max_age:
            return hit[1]
        value = load()
        if value is not None or cache_none:
            with self._lock:
                if len(self._data) >= self.max_entries:
                    self._data.clear()
                self._data[key] = (now, value)
        return value

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget everything (usable directly as a signal receiver)."""
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    for registered in list(_registry):
        registered.clear()
