"""Admin of the calendar overrides and the SLA ladder versions.

Overrides are written through the services (so open reports' deadlines are recomputed): an
override is added or deleted, never edited. A ladder version is prepared as a draft (editable,
with its rules inline) and published with the "Terbitkan" action or `manage.py publish_sla`;
once published it is read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.core.errors import ServiceError

from .models import HolidayOverride, SlaRule, SlaRuleSet
from .services import (
    holiday_override_create,
    holiday_override_delete,
    holiday_override_problems,
    sla_ruleset_publish_draft,
)


class HolidayOverrideForm(forms.ModelForm):
    class Meta:
        model = HolidayOverride
        fields = ["date", "kind", "name", "legal_basis"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for error in holiday_override_problems(
            date=data["date"],
            kind=data["kind"],
            name=data.get("name", ""),
            legal_basis=data.get("legal_basis", ""),
        ):
            field = error["field"] if error["field"] in self.fields else None
            self.add_error(field, error["message"])
        return data


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    form = HolidayOverrideForm
    list_display = ["date", "kind", "name", "legal_basis", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_basis"]
    date_hierarchy = "date"
    actions = None  # no bulk delete: each removal goes through the service

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # delete and add again: both are recorded and recompute deadlines

    def save_model(
        self, request: HttpRequest, obj: HolidayOverride, form: Any, change: bool
    ) -> None:
        created = holiday_override_create(
            actor=request.user,
            date=obj.date,
            kind=obj.kind,
            name=obj.name,
            legal_basis=obj.legal_basis,
        )
        obj.pk = created.pk
        obj.created_by = created.created_by

    def delete_model(self, request: HttpRequest, obj: HolidayOverride) -> None:
        holiday_override_delete(actor=request.user, override=obj)


class SlaRuleInline(admin.TabularInline):
    model = SlaRule
    extra = 0
    fields = ["step", "report_type", "sla_class", "days", "working_days"]

    def _frozen(self, obj: SlaRuleSet | None) -> bool:
        return obj is not None and obj.is_published

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(SlaRuleSet)
class SlaRuleSetAdmin(admin.ModelAdmin):
    inlines = [SlaRuleInline]
    list_display = ["__str__", "version", "effective_from", "cutoff_hour", "published_at"]
    readonly_fields = ["version", "published_at", "published_by"]
    fields = [
        "name",
        "legal_basis",
        "effective_from",
        "cutoff_hour",
        "notes",
        "version",
        "published_at",
        "published_by",
    ]
    actions = ["publish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SlaRuleSet]:
        return super().get_queryset(request).select_related("published_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would not spare published versions
        return actions

    @admin.action(description=_("Terbitkan versi tangga SLA yang dipilih"))
    def publish(self, request: HttpRequest, queryset: QuerySet[SlaRuleSet]) -> None:
        for ruleset in queryset.order_by("effective_from"):
            try:
                published = sla_ruleset_publish_draft(actor=request.user, ruleset=ruleset)
            except ServiceError as exc:
                detail = "; ".join(e["message"] for e in exc.errors or []) or exc.detail
                self.message_user(request, f"{ruleset}: {detail}", messages.ERROR)
            else:
                self.message_user(request, f"{published}: {_('diterbitkan')}", messages.SUCCESS)
