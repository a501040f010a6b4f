"""The admin pages of the registry load, search regions by code prefix and name, save units."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lapor.agencies.models import Unit
from lapor.agencies.services import unit_create

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(email="root@example.org", password="x")
    client.force_login(user)
    return client


def test_region_changelist_searches_by_code_prefix_and_name(
    admin_client, small_regions, django_assert_max_num_queries
):
    # when
    with django_assert_max_num_queries(12):
        by_code = admin_client.get("/admin/agencies/region/", {"q": "35.78.01"})
    by_name = admin_client.get("/admin/agencies/region/", {"q": "kebraon"})
    by_level = admin_client.get("/admin/agencies/region/", {"level__exact": "1"})
    # then
    assert by_code.status_code == 200
    assert [r.code for r in by_code.context["cl"].result_list] == [
        "35.78.01",
        "35.78.01.1001",
        "35.78.01.1002",
    ]
    assert [r.code for r in by_name.context["cl"].result_list] == ["35.78.01.1002"]
    assert [r.code for r in by_level.context["cl"].result_list] == ["31", "35"]


@pytest.mark.parametrize("page", ["agency", "unit", "category"])
def test_other_changelists_load(admin_client, page):
    # given
    agency = AgencyFactory.create(code="35.78")
    unit_create(agency=agency, code="a", name="A")
    # when
    response = admin_client.get(f"/admin/agencies/{page}/", {"q": "a"})
    # then
    assert response.status_code == 200


def test_agency_change_page_shows_its_units(admin_client):
    # given
    agency = AgencyFactory.create(code="35.78")
    unit_create(agency=agency, code="sby-dsdabm", name="DSDABM")
    # when
    response = admin_client.get(f"/admin/agencies/agency/{agency.pk}/change/")
    # then
    assert response.status_code == 200
    assert b"sby-dsdabm" in response.content


def test_saving_a_unit_in_the_admin_sets_its_path(admin_client):
    # given
    agency = AgencyFactory.create(code="35.78")
    parent = unit_create(agency=agency, code="kec", name="Kecamatan")
    # when
    response = admin_client.post(
        "/admin/agencies/unit/add/",
        {
            "agency": agency.pk,
            "code": "kel",
            "name": "Kelurahan",
            "parent": parent.pk,
            "is_active": "on",
        },
    )
    # then
    assert response.status_code == 302
    assert Unit.objects.get(code="kel").path == "kec/kel/"
