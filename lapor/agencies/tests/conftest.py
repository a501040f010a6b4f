"""Fixtures of the registry tests: a small region subset and a seeded registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from lapor.agencies.package_data import REGIONS_FILE, read_rows
from lapor.agencies.services import region_load, registry_seed

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL_REGIONS = FIXTURES / "regions_small.csv"


@pytest.fixture
def small_regions(db):
    """Two provinces, three regencies/cities, two districts and two villages."""
    return region_load(rows=read_rows(SMALL_REGIONS))


@pytest.fixture
def seeded(db):
    """Provinces and regencies/cities from the package file (552 rows), then the seed."""
    region_load(rows=read_rows(REGIONS_FILE), max_level=2)
    return registry_seed()
