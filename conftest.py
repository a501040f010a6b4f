"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reset_cache():
    from django.core.cache import cache

    cache.clear()
    yield
