from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ReplyTemplate, ResponseFingerprint


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "unit", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("title", "body", "agency__name", "agency__code")
    list_select_related = ("agency", "unit")
    raw_id_fields = ("agency", "unit", "created_by")
    readonly_fields = ("created_at", "updated_at")


@admin.register(ResponseFingerprint)
class ResponseFingerprintAdmin(admin.ModelAdmin):
    """Read-only: fingerprints are written by the routing services only."""

    list_display = ("event", "agency", "responded_at", "is_templated", "nearest_score")
    list_filter = ("is_templated",)
    list_select_related = ("event", "agency")
    raw_id_fields = ("event", "agency", "report", "nearest_event")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
