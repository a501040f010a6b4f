"""Django admin for reports: read-only.

Statuses change only through `services.report_act` and events are append-only, so the admin
shows reports, timelines and the outbox without letting anyone edit or delete them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Event, OutboxMessage, Report


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ("seq", "action", "at", "actor_role", "from_status", "to_status", "to_agency", "text")
    readonly_fields = fields
    ordering = ("seq",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(_ReadOnly):
    list_display = ("tracking_id", "type", "status", "agency", "deadline", "submitted_at")
    list_filter = ("status", "type", "channel", "is_confidential", "is_anonymous")
    search_fields = ("tracking_id", "title")
    list_select_related = ("agency",)
    raw_id_fields = ("agency", "unit", "category", "region", "reporter", "duplicate_of")
    inlines = (EventInline,)
    date_hierarchy = "submitted_at"


@admin.register(Event)
class EventAdmin(_ReadOnly):
    list_display = ("report", "seq", "action", "at", "actor_role", "from_status", "to_status")
    list_filter = ("action", "actor_role")
    list_select_related = ("report",)
    search_fields = ("report__tracking_id",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(_ReadOnly):
    list_display = ("topic", "created_at", "processed_at", "attempts")
    list_filter = ("topic",)
