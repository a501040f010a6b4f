"""Django admin for reports: read-only, except the archive reasons (data officials edit).

Reports change only through `report_act` and events are append-only, so the admin shows reports,
their clocks and timelines without letting anyone edit or delete them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lapor.core.admin import ReadOnlyAdmin

from .models import ArchiveReason, Event, Report, ReportClock


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ("seq", "action", "at", "actor_role", "from_status", "to_status", "to_agency", "text")
    readonly_fields = fields
    ordering = ("seq",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClockInline(admin.TabularInline):
    model = ReportClock
    extra = 0
    can_delete = False
    fields = ("step", "agency", "started_at", "due_at", "met_at", "ended_at", "end_reason",
              "late_at", "extended_days", "paused_working_days")  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("tracking_id", "type", "status", "agency", "deadline", "submitted_at")
    list_filter = ("status", "type", "channel", "is_confidential", "is_anonymous")
    search_fields = ("tracking_id", "title")
    list_select_related = ("agency",)
    raw_id_fields = ("agency", "unit", "category", "region", "reporter", "duplicate_of")
    inlines = (ClockInline, EventInline)
    date_hierarchy = "submitted_at"


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("report", "seq", "action", "at", "actor_role", "from_status", "to_status")
    list_filter = ("action", "actor_role")
    list_select_related = ("report",)
    search_fields = ("report__tracking_id",)


@admin.register(ArchiveReason)
class ArchiveReasonAdmin(admin.ModelAdmin):
    """Officials add and word the reasons; a reason in use is deactivated, never deleted."""

    list_display = ("code", "name_id", "name_en", "names_original", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    ordering = ("sort_order", "code")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
