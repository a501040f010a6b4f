"""Read-only views of the aggregate tables (derived data: rebuild, never edit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DailyAgencyStat, MonthlyAgencyStat


class _ReadOnly(admin.ModelAdmin):
    list_filter = ("scope",)
    list_select_related = ("agency",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DailyAgencyStat)
class DailyAgencyStatAdmin(_ReadOnly):
    list_display = ("day", "agency", "unit", "scope", "received", "first_responses", "closed")
    date_hierarchy = "day"
    raw_id_fields = ("agency", "unit")


@admin.register(MonthlyAgencyStat)
class MonthlyAgencyStatAdmin(_ReadOnly):
    list_display = ("month", "agency", "scope", "received", "first_responses", "closed")
    raw_id_fields = ("agency",)
