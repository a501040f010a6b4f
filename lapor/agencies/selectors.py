"""Reads of the registry: regions, agencies with their units, categories (no N+1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Model, Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from lapor.core.errors import NotFound
from lapor.core.ttlcache import LocalTTLCache

from .models import Agency, Category, Region, Unit

# --- regions ------------------------------------------------------------------------------


def region_get(*, code: str) -> Region:
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise NotFound(_("Wilayah %(code)s tidak ditemukan.") % {"code": code})
    return region


def region_children(*, parent_code: str | None) -> QuerySet[Region]:
    """The direct children of a region (the provinces when `parent_code` is None)."""
    if parent_code is None:
        return Region.objects.filter(parent__isnull=True).order_by("code")
    return Region.objects.filter(parent_id=parent_code).order_by("code")


def region_search(
    *,
    q: str | None = None,
    parent_code: str | None = None,
    level: int | None = None,
) -> QuerySet[Region]:
    """Regions by name (contains) or code prefix (when `q` looks like a code), filtered."""
    qs = Region.objects.all()
    if parent_code:
        qs = qs.filter(parent_id=parent_code)
    if level is not None:
        qs = qs.filter(level=level)
    if q:
        q = q.strip()
        if q.replace(".", "").isdigit():
            qs = qs.filter(code__startswith=q)
        else:
            qs = qs.filter(name__icontains=q)
    return qs.order_by("code")


def region_ancestors(*, region: Region) -> list[Region]:
    """The province … parent of a region, top first (one query, from the dotted code)."""
    parts = region.code.split(".")
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts))]
    if not prefixes:
        return []
    return list(Region.objects.filter(code__in=prefixes).order_by("level"))


# --- agencies -----------------------------------------------------------------------------


def agency_get(*, code: str) -> Agency:
    """One agency with its parent, region and units (units with their parent), in 2 queries."""
    units = Unit.objects.select_related("parent").order_by("path")
    agency = (
        Agency.objects.select_related("parent", "region")
        .prefetch_related(Prefetch("units", queryset=units))
        .filter(code=code)
        .first()
    )
    if agency is None:
        raise NotFound(_("Instansi %(code)s tidak ditemukan.") % {"code": code})
    return agency


def agency_list(
    *,
    type: str | None = None,
    parent: str | None = None,
    region: str | None = None,
    q: str | None = None,
    is_connected: bool | None = None,
) -> QuerySet[Agency]:
    """Agencies by type, parent code, region (the region or any region within it) and text."""
    qs = Agency.objects.select_related("parent", "region")
    if type:
        qs = qs.filter(type=type)
    if parent:
        qs = qs.filter(parent__code=parent)
    if region:
        qs = qs.filter(Q(region_id=region) | Q(region__code__startswith=f"{region}."))
    if is_connected is not None:
        qs = qs.filter(is_connected=is_connected)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("code")


def unit_get(*, agency_code: str, code: str) -> Unit:
    unit = (
        Unit.objects.select_related("agency", "parent")
        .filter(agency__code=agency_code, code=code)
        .first()
    )
    if unit is None:
        raise NotFound(_("Unit kerja %(code)s tidak ditemukan.") % {"code": code})
    return unit


def unit_descendants(*, unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit below it (by materialised path)."""
    return Unit.objects.filter(agency_id=unit.agency_id, path__startswith=unit.path)


# --- categories ---------------------------------------------------------------------------


def category_list(
    *,
    agency: str | None = None,
    valid_on: dt.date | None = None,
    q: str | None = None,
    parent: str | None = None,
) -> QuerySet[Category]:
    """The topic tree: national topics, plus the agency's own when `agency` is given."""
    qs = Category.objects.select_related("parent", "agency")
    if agency:
        qs = qs.filter(Q(agency__isnull=True) | Q(agency__code=agency))
    else:
        qs = qs.filter(agency__isnull=True)
    if valid_on is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_on)
        )
    if q:
        q = q.strip()
        qs = qs.filter(Q(name_id__icontains=q) | Q(name_en__icontains=q) | Q(code__icontains=q))
    if parent:
        # siblings in their display order
        return qs.filter(parent__code=parent).order_by("sort_order", "code")
    # national codes are dotted paths, so code order lists each parent before its children
    return qs.order_by(F("agency_id").asc(nulls_first=True), "code")


def category_get(*, code: str) -> Category:
    category = Category.objects.select_related("parent", "agency").filter(code=code).first()
    if category is None:
        raise NotFound(_("Kategori %(code)s tidak ditemukan.") % {"code": code})
    return category


# --- code look-ups of the submission path (cached per process) ----------------------------------

# Found rows only (an unknown code is asked again each time, so a new category, agency or region
# is accepted at once). Any save or delete of one in this process empties the cache; another
# process sees a change within `max_age` seconds (the codes of existing rows rarely change, and a
# row a report points to cannot be deleted).
_by_code = LocalTTLCache("agencies.by_code", max_entries=4096)
for _model in (Agency, Category, Region):
    post_save.connect(_by_code.clear, sender=_model, dispatch_uid=f"ttl-s-{_model.__name__}")
    post_delete.connect(_by_code.clear, sender=_model, dispatch_uid=f"ttl-d-{_model.__name__}")


def _lookup(model: type[Model], code: str, max_age: float) -> Any:
    return _by_code.get_or_load(
        (model._meta.label, code),
        lambda: model._default_manager.filter(code=code).first(),
        max_age=max_age,
    )


def category_by_code(code: str, *, max_age: float = 0.0) -> Category | None:
    """The category with this code, or None; ``max_age`` > 0 accepts a hit cached that long."""
    return _lookup(Category, code, max_age)  # type: ignore[no-any-return]


def agency_by_code(code: str, *, max_age: float = 0.0) -> Agency | None:
    """The agency with this code, or None; ``max_age`` as in `category_by_code`."""
    return _lookup(Agency, code, max_age)  # type: ignore[no-any-return]


def region_by_code(code: str, *, max_age: float = 0.0) -> Region | None:
    """The region with this code, or None; ``max_age`` as in `category_by_code`."""
    return _lookup(Region, code, max_age)  # type: ignore[no-any-return]


def registry_cache_clear() -> None:
    """Forget this process's cached code look-ups."""
    _by_code.clear()
