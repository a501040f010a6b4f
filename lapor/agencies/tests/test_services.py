"""The small write services: agency_create, unit_create (paths), category_create."""

from __future__ import annotations

import datetime as dt

import pytest

from lapor.agencies.models import Unit
from lapor.agencies.services import (
    agency_create,
    category_create,
    unit_create,
    unit_path,
    unit_paths_rebuild,
)
from lapor.core.errors import Conflict, ValidationFailed

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_agency_create_checks_code_type_and_uniqueness():
    # when
    agency = agency_create(code="kemenkes", name="Kementerian Kesehatan", type="kementerian")
    # then
    assert agency.pk is not None
    with pytest.raises(Conflict):
        agency_create(code="kemenkes", name="Lagi", type="kementerian")
    with pytest.raises(ValidationFailed):
        agency_create(code="Kemen Kes", name="X", type="kementerian")
    with pytest.raises(ValidationFailed):
        agency_create(code="x", name="X", type="dinas")


def test_unit_create_sets_the_path_from_the_parent():
    # given
    agency = AgencyFactory.create()
    # when
    root = unit_create(agency=agency, code="kec", name="Kecamatan")
    child = unit_create(agency=agency, code="kel", name="Kelurahan", parent=root)
    # then
    assert root.path == "kec/"
    assert child.path == "kec/kel/"
    assert unit_path(parent=child, code="rw-1") == "kec/kel/rw-1/"
    with pytest.raises(Conflict):
        unit_create(agency=agency, code="kec", name="Duplikat")


def test_unit_create_refuses_a_parent_of_another_agency():
    # given
    parent = unit_create(agency=AgencyFactory.create(), code="a", name="A")
    # when / then
    with pytest.raises(ValidationFailed):
        unit_create(agency=AgencyFactory.create(), code="b", name="B", parent=parent)


def test_paths_are_rebuilt_after_a_code_changes():
    # given a two-level tree
    agency = AgencyFactory.create()
    root = unit_create(agency=agency, code="old", name="Root")
    unit_create(agency=agency, code="leaf", name="Leaf", parent=root)
    # when the root's code changes
    Unit.objects.filter(pk=root.pk).update(code="new")
    changed = unit_paths_rebuild(agency_id=agency.pk)
    # then both paths follow
    assert changed == 2
    assert Unit.objects.get(code="leaf").path == "new/leaf/"


def test_category_create_validates_dates_and_codes():
    # when
    parent = category_create(code="infra", name_id="Infrastruktur", name_en="Infrastructure")
    child = category_create(
        code="infra.jalan",
        name_id="Jalan",
        parent=parent,
        valid_from=dt.date(2024, 1, 1),
    )
    # then
    assert child.parent_id == parent.pk
    with pytest.raises(Conflict):
        category_create(code="infra", name_id="Lagi")
    with pytest.raises(ValidationFailed):
        category_create(
            code="x", name_id="X", valid_from=dt.date(2024, 2, 1), valid_to=dt.date(2024, 1, 1)
        )
