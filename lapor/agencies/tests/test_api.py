"""GET /api/v1/agencies, /agencies/{code}, /categories, /regions: filters, bounds, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from lapor.agencies.models import Category
from lapor.agencies.services import unit_create

from .factories import AgencyFactory, CategoryFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def registry(small_regions):
    """Two provinces with cities, a ministry with a sub-agency, and Surabaya's units."""
    jatim = AgencyFactory.create(
        code="35", name="Pemerintah Provinsi Jawa Timur", type="provinsi", region_id="35"
    )
    sby = AgencyFactory.create(
        code="35.78",
        name="Pemerintah Kota Surabaya",
        short_name="Pemkot Surabaya",
        type="kota",
        parent=jatim,
        region_id="35.78",
    )
    AgencyFactory.create(
        code="35.07",
        name="Pemerintah Kabupaten Malang",
        type="kabupaten",
        parent=jatim,
        region_id="35.07",
    )
    dki = AgencyFactory.create(
        code="31", name="Pemerintah Provinsi DKI Jakarta", type="provinsi", region_id="31"
    )
    AgencyFactory.create(
        code="31.71",
        name="Pemerintah Kota Jakarta Pusat",
        type="kota",
        parent=dki,
        region_id="31.71",
    )
    kemenkes = AgencyFactory.create(
        code="kemenkes", name="Kementerian Kesehatan", short_name="Kemenkes", type="kementerian"
    )
    AgencyFactory.create(
        code="bpom",
        name="Badan Pengawas Obat dan Makanan",
        short_name="BPOM",
        type="lembaga",
        parent=kemenkes,
    )
    kec = unit_create(agency=sby, code="sby-kec-sukolilo", name="Kecamatan Sukolilo")
    unit_create(agency=sby, code="sby-kel-keputih", name="Kelurahan Keputih", parent=kec)
    unit_create(agency=sby, code="sby-dsdabm", name="Dinas Sumber Daya Air dan Bina Marga")
    return sby


def _codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_list_agencies_envelope_and_query_count(client, registry, django_assert_max_num_queries):
    # when
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/agencies", {"page_size": 3})
    # then
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["page"], body["page_size"]) == (7, 1, 3)
    assert _codes(response) == ["31", "31.71", "35"]
    assert body["items"][1]["parent"] == "31"
    assert body["items"][1]["region"] == "31.71"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "kota"}, ["31.71", "35.78"]),
        ({"parent": "35"}, ["35.07", "35.78"]),
        ({"region": "35"}, ["35", "35.07", "35.78"]),
        ({"region": "35.78"}, ["35.78"]),
        ({"q": "surabaya"}, ["35.78"]),
        ({"q": "BPOM"}, ["bpom"]),
        ({"parent": "kemenkes", "type": "lembaga"}, ["bpom"]),
    ],
)
def test_list_agencies_filters(client, registry, params, expected):
    # when
    response = client.get("/api/v1/agencies", params)
    # then
    assert response.status_code == 200
    assert _codes(response) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"type": "dinas"}, "type"),
    ],
)
def test_list_agencies_bad_parameters_are_422_problems(client, registry, params, field):
    # when
    response = client.get("/api/v1/agencies", params)
    # then
    assert response.status_code == 422
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == 422
    assert field in [e["field"] for e in body["errors"]]


def test_page_past_the_end_is_empty(client, registry):
    # when
    response = client.get("/api/v1/agencies", {"page": 5, "page_size": 100})
    # then
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["count"] == 7


def test_agency_detail_with_units_in_two_queries(client, registry, django_assert_max_num_queries):
    # when (the code contains a dot)
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/agencies/35.78")
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["name"] == "Pemerintah Kota Surabaya"
    assert body["parent"] == "35"
    assert body["region_name"] == "Kota Surabaya"
    units = {u["code"]: u for u in body["units"]}
    assert units["sby-kel-keputih"]["parent"] == "sby-kec-sukolilo"
    assert units["sby-kel-keputih"]["path"] == "sby-kec-sukolilo/sby-kel-keputih/"
    assert units["sby-dsdabm"]["parent"] is None


def test_unknown_agency_is_a_404_problem(client, registry):
    # when
    response = client.get("/api/v1/agencies/35.99")
    # then
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM)
    assert response.json()["code"] == "not_found"
    assert "35.99" in response.json()["detail"]


@pytest.fixture
def categories(registry):
    infra = CategoryFactory.create(
        code="infrastruktur", name_id="Infrastruktur", name_en="Infrastructure", sort_order=1
    )
    CategoryFactory.create(
        code="infrastruktur.jalan", name_id="Jalan", name_en="Roads", parent=infra
    )
    CategoryFactory.create(code="kesehatan", name_id="Kesehatan", name_en="Health", sort_order=2)
    CategoryFactory.create(
        code="lama", name_id="Topik lama", name_en="Old topic", valid_to=dt.date(2020, 12, 31)
    )
    Category.objects.create(code="sby-2304", name_id="PJU", parent=infra, agency=registry)


def test_categories_default_to_the_national_tree_in_indonesian(
    client, categories, django_assert_max_num_queries
):
    # when
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/categories")
    # then: national, currently valid, parents before children
    assert _codes(response) == ["infrastruktur", "infrastruktur.jalan", "kesehatan"]
    item = response.json()["items"][1]
    assert (item["name"], item["name_id"], item["name_en"]) == ("Jalan", "Jalan", "Roads")
    assert item["parent"] == "infrastruktur"


def test_categories_in_english_when_asked(client, categories):
    # when
    response = client.get("/api/v1/categories", HTTP_ACCEPT_LANGUAGE="en")
    # then
    assert response.json()["items"][0]["name"] == "Infrastructure"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "35.78"}, ["infrastruktur", "infrastruktur.jalan", "kesehatan", "sby-2304"]),
        ({"valid_on": "2020-06-01"}, ["infrastruktur", "infrastruktur.jalan", "kesehatan", "lama"]),
        ({"q": "roads"}, ["infrastruktur.jalan"]),
        ({"parent": "infrastruktur", "agency": "35.78"}, ["infrastruktur.jalan", "sby-2304"]),
    ],
)
def test_categories_filters(client, categories, params, expected):
    # when
    response = client.get("/api/v1/categories", params)
    # then
    assert response.status_code == 200
    assert _codes(response) == expected


def test_categories_bad_date_is_422(client, categories):
    # when
    response = client.get("/api/v1/categories", {"valid_on": "2020-13-01"})
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "valid_on"


def test_regions_picker(client, small_regions, django_assert_max_num_queries):
    # when: provinces, then a province's regencies, then a search
    with django_assert_max_num_queries(2):
        provinces = client.get("/api/v1/regions")
    regencies = client.get("/api/v1/regions", {"parent": "35"})
    villages = client.get("/api/v1/regions", {"q": "karang", "level": 4})
    by_code = client.get("/api/v1/regions", {"q": "35.78.0", "parent": "35.78"})
    # then
    assert _codes(provinces) == ["31", "35"]
    assert _codes(regencies) == ["35.07", "35.78"]
    assert regencies.json()["items"][1] == {
        "code": "35.78",
        "name": "Kota Surabaya",
        "level": 2,
        "kind": "kota",
        "parent": "35",
    }
    assert _codes(villages) == ["35.78.01.1001"]
    assert _codes(by_code) == ["35.78.01", "35.78.02"]


def test_region_detail_and_404(client, small_regions):
    # when
    response = client.get("/api/v1/regions/35.78.01.1002")
    missing = client.get("/api/v1/regions/99.99")
    bad_level = client.get("/api/v1/regions", {"level": 5})
    # then
    body = response.json()
    assert body["parent"] == "35.78.01"
    assert [a["code"] for a in body["ancestors"]] == ["35", "35.78", "35.78.01"]
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith(PROBLEM)
    assert bad_level.status_code == 422
