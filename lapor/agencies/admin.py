"""Django admin for the registry; the Region list stays fast on 91k rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from .models import Agency, Category, Region, Unit
from .services import unit_path, unit_paths_rebuild


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows (`SELECT COUNT(*) FROM (… LIMIT CAP)`), never the whole table.

    Past the cap the admin shows CAP results and the last pages are reached by narrowing the
    search or the filters instead.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self.object_list[: self.CAP].count()  # type: ignore[union-attr,attr-defined]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    search_help_text = "Kode (awalan, mis. 35.78) atau nama wilayah"
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    ordering = ("code",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Region], search_term: str
    ) -> tuple[QuerySet[Region], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.replace(".", "").isdigit():
            return queryset.filter(code__startswith=term), False
        return queryset.filter(name__icontains=term), False


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ("code", "name", "parent", "path", "is_active")
    readonly_fields = ("path",)
    raw_id_fields = ("parent",)
    extra = 0
    show_change_link = True
    ordering = ("path",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return super().get_queryset(request).select_related("parent")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "type", "parent", "region", "is_connected")
    list_filter = ("type", "is_connected")
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent", "region")
    autocomplete_fields = ("parent",)
    raw_id_fields = ("region",)
    ordering = ("code",)
    show_full_result_count = False
    inlines = (UnitInline,)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Unit:
            unit_paths_rebuild(agency_id=form.instance.pk)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "agency", "parent", "path", "is_active")
    list_filter = ("is_active", "agency__type")
    search_fields = ("code", "name", "agency__code", "agency__name")
    list_select_related = ("agency", "parent")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("parent",)
    readonly_fields = ("path",)
    ordering = ("agency__code", "path")
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        obj.path = unit_path(parent=obj.parent, code=obj.code)
        super().save_model(request, obj, form, change)
        if change and {"code", "parent"} & set(form.changed_data):
            unit_paths_rebuild(agency_id=obj.agency_id)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_id", "name_en", "parent", "agency", "valid_from", "valid_to")
    list_filter = (("agency", admin.EmptyFieldListFilter), "valid_to")
    search_fields = ("code", "name_id", "name_en")
    list_select_related = ("parent", "agency")
    autocomplete_fields = ("parent", "agency")
    ordering = ("code",)
    show_full_result_count = False
