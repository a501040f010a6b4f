"""API endpoints of the agencies app (mounted under /api/v1 by lapor.api.api).

Public reads of the registry: agencies (with their units), the category tree and the Kemendagri
regions (for the region picker: province → regency/city → district → village).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from pydantic import Field

from lapor.core.pagination import Page, PageParams, paginate

from . import selectors
from .choices import AgencyType
from .models import Agency, Category, Region, Unit

router = Router(tags=["agencies"])


# --- schemas ------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(description="Kemendagri code, e.g. 35.78")
    name: str
    level: int = Field(description="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan")
    kind: str = Field(
        description="provinsi, kabupaten, kota, kecamatan, kelurahan, desa, desa_adat"
    )
    parent: str | None = Field(None, description="code of the parent region")

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id


class RegionRef(Schema):
    code: str
    name: str
    level: int


class RegionDetailOut(RegionOut):
    ancestors: list[RegionRef] = Field(description="from the province down to the parent")


class UnitOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, description="code of the parent unit")
    path: str = Field(description="unit codes from the root, '/'-separated")
    is_active: bool

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


class AgencyOut(Schema):
    code: str = Field(description="Kemendagri code for a regional government, else a slug")
    name: str
    short_name: str
    type: str
    parent: str | None = Field(None, description="code of the parent agency")
    region: str | None = Field(None, description="Kemendagri code of its region")
    is_connected: bool
    connected_on: dt.date | None = None

    @staticmethod
    def resolve_parent(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_region(obj: Agency) -> str | None:
        return obj.region_id


class AgencyDetailOut(AgencyOut):
    region_name: str | None = None
    email: str
    phone: str
    website: str
    address: str
    units: list[UnitOut]

    @staticmethod
    def resolve_region_name(obj: Agency) -> str | None:
        return obj.region.name if obj.region_id and obj.region else None

    @staticmethod
    def resolve_units(obj: Agency) -> list[Unit]:
        return list(obj.units.all())


class CategoryOut(Schema):
    code: str
    name: str = Field(description="in the request's language (Indonesian by default)")
    name_id: str
    name_en: str
    parent: str | None = None
    agency: str | None = Field(None, description="set for an organisation's own topics")
    sort_order: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @staticmethod
    def resolve_name(obj: Category) -> str:
        if (get_language() or "id").startswith("en") and obj.name_en:
            return obj.name_en
        return obj.name_id

    @staticmethod
    def resolve_parent(obj: Category) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_agency(obj: Category) -> str | None:
        return obj.agency.code if obj.agency_id and obj.agency else None


class AgencyFilters(Schema):
    type: AgencyType | None = Field(None, description="kementerian, lembaga, provinsi, …")
    parent: str | None = Field(None, max_length=64, description="code of the parent agency")
    region: str | None = Field(
        None, max_length=13, description="region code: agencies in this region or below it"
    )
    q: str | None = Field(None, max_length=100, description="name, short name or code contains")


class CategoryFilters(Schema):
    agency: str | None = Field(
        None, max_length=64, description="also include this agency's own topics"
    )
    valid_on: dt.date | None = Field(
        None, description="only categories valid on this date (default: today)"
    )
    parent: str | None = Field(None, max_length=64, description="children of this category")
    q: str | None = Field(None, max_length=100)


class RegionFilters(Schema):
    parent: str | None = Field(
        None, max_length=13, description="children of this region; the provinces when omitted"
    )
    q: str | None = Field(None, max_length=100, description="name contains, or a code prefix")
    level: int | None = Field(None, ge=1, le=4)


# --- endpoints ----------------------------------------------------------------------------


@router.get("/agencies", response=Page[AgencyOut], summary="List agencies (instansi)")
def list_agencies(
    request: HttpRequest,
    filters: Query[AgencyFilters],
    page: Query[PageParams],
) -> dict[str, Any]:
    qs = selectors.agency_list(
        type=filters.type, parent=filters.parent, region=filters.region, q=filters.q
    )
    return paginate(qs, page)


@router.get("/agencies/{code}", response=AgencyDetailOut, summary="One agency with its units")
def get_agency(request: HttpRequest, code: str) -> Agency:
    return selectors.agency_get(code=code)


@router.get("/categories", response=Page[CategoryOut], summary="The category (topic) tree")
def list_categories(
    request: HttpRequest,
    filters: Query[CategoryFilters],
    page: Query[PageParams],
) -> dict[str, Any]:
    valid_on = filters.valid_on or timezone.localdate()
    qs = selectors.category_list(
        agency=filters.agency, valid_on=valid_on, q=filters.q, parent=filters.parent
    )
    return paginate(qs, page)


@router.get("/regions", response=Page[RegionOut], summary="Kemendagri regions (for pickers)")
def list_regions(
    request: HttpRequest,
    filters: Query[RegionFilters],
    page: Query[PageParams],
) -> dict[str, Any]:
    if filters.q or filters.level is not None:
        qs = selectors.region_search(q=filters.q, parent_code=filters.parent, level=filters.level)
    else:
        qs = selectors.region_children(parent_code=filters.parent)
    return paginate(qs, page)


@router.get("/regions/{code}", response=RegionDetailOut, summary="One region and its ancestors")
def get_region(request: HttpRequest, code: str) -> Region:
    region = selectors.region_get(code=code)
    region.ancestors = selectors.region_ancestors(region=region)  # type: ignore[attr-defined]
    return region
