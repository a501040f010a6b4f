"""Loading the Kemendagri regions: idempotent upsert, level filter, the real file once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lapor.agencies.models import Region
from lapor.agencies.package_data import REGIONS_FILE, read_rows
from lapor.agencies.selectors import region_ancestors, region_children, region_search
from lapor.agencies.services import region_load

from .conftest import SMALL_REGIONS

pytestmark = pytest.mark.django_db


def test_load_small_subset_links_parents(small_regions):
    # given the fixture subset loaded
    # then rows and parent links are there
    assert small_regions.created == 9
    assert Region.objects.count() == 9
    village = Region.objects.get(code="35.78.01.1001")
    assert village.parent_id == "35.78.01"
    assert village.level == 4
    assert village.kind == "kelurahan"
    assert Region.objects.get(code="35").parent_id is None


def test_rerun_changes_nothing_and_a_changed_name_is_updated(small_regions):
    # given a region renamed in the database
    Region.objects.filter(code="35.78").update(name="Surabaya (lama)")
    # when the file is loaded again
    result = region_load(rows=read_rows(SMALL_REGIONS))
    # then only that row is written back
    assert (result.created, result.updated, result.unchanged) == (0, 1, 8)
    assert Region.objects.get(code="35.78").name == "Kota Surabaya"
    again = region_load(rows=read_rows(SMALL_REGIONS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)


def test_max_level_limits_the_load(db):
    # when only provinces and regencies are loaded
    result = region_load(rows=read_rows(SMALL_REGIONS), max_level=2)
    # then
    assert result.rows == 5
    assert not Region.objects.filter(level__gt=2).exists()


def test_command_loads_a_given_file(db, capsys):
    # when
    call_command("load_regions", file=str(SMALL_REGIONS))
    # then
    assert Region.objects.count() == 9
    assert "9 created" in capsys.readouterr().out


def test_selectors_children_search_and_ancestors(small_regions):
    # then
    assert [r.code for r in region_children(parent_code=None)] == ["31", "35"]
    assert [r.code for r in region_children(parent_code="35")] == ["35.07", "35.78"]
    assert [r.code for r in region_search(q="35.78.0")] == [
        "35.78.01",
        "35.78.01.1001",
        "35.78.01.1002",
        "35.78.02",
    ]
    assert [r.code for r in region_search(q="karang", level=4)] == ["35.78.01.1001"]
    village = Region.objects.get(code="35.78.01.1002")
    assert [r.code for r in region_ancestors(region=village)] == ["35", "35.78", "35.78.01"]


def test_the_real_package_file_loads_whole(db):
    # given the 91,599-row package file (the only test that loads all of it; its speed is
    # measured by `make run`'s timing in docs/performance.md, not here)
    # when
    result = region_load(rows=read_rows(REGIONS_FILE))
    # then
    assert result.created == 91_599
    assert Region.objects.filter(level=4).count() == 91_599 - 38 - 514 - 7_285
