"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest

_TRANSACTIONAL_FIXTURES = ("transactional_db", "live_server")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (threads, live server) flush the database when they end, which would
    also remove what data migrations put there (the SLA ladder v1, …) for the next transactional
    test. Serialized rollback makes each of them start from the migrated state instead."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = any(f in getattr(item, "fixturenames", ()) for f in _TRANSACTIONAL_FIXTURES)
        if marker is not None:
            transactional = transactional or bool(
                marker.kwargs.get("transaction") or (marker.args and marker.args[0])
            )
        if transactional:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reset_cache():
    from django.core.cache import cache

    from lapor.core.ttlcache import clear_all

    cache.clear()
    clear_all()  # per-process caches of the submission path: rolled-back rows must not linger
    yield
