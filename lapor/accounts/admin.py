"""Django admin for accounts: users (login by e-mail), API tokens (revoke only), training."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, TrainingRecord, User
from .services import user_membership_errors
from .tokens import token_revoke


class _MembershipMixin(forms.ModelForm):
    """Checks role, organisation and unit together, with the rules of `user_create`."""

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if "role" in self.fields:
            for error in user_membership_errors(
                role=cleaned.get("role") or "",
                agency=cleaned.get("agency"),
                unit=cleaned.get("unit"),
            ):
                field = error["field"] if error["field"] in self.fields else None
                self.add_error(field, error["message"])
        return cleaned


class UserCreateForm(_MembershipMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "agency", "unit")


class UserEditForm(_MembershipMixin, UserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "full_name",
            "phone",
            "email_verified_at",
            "role",
            "agency",
            "unit",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identitas"), {"fields": ("full_name", "phone", "email_verified_at")}),
        (_("Peran dan instansi"), {"fields": ("role", "agency", "unit")}),
        (
            _("Hak akses situs admin"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Waktu"), {"fields": ("last_login", "last_active_at", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "agency",
                    "unit",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("email", "full_name", "role", "agency", "unit", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff", ("agency", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("agency", "unit")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    raw_id_fields = ("agency", "unit")
    readonly_fields = ("last_login", "last_active_at", "date_joined")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "token_hash",
        "created_at",
        "updated_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # a token made here could never be shown to its owner: create it through the API or
        # `manage.py create_user --api-token`
        return False

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token)
            count += 1
        self.message_user(
            request, _("%(count)d token dicabut.") % {"count": count}, messages.SUCCESS
        )


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "provider", "completed_on", "hours")
    list_filter = ("completed_on",)
    list_select_related = ("user",)
    search_fields = ("title", "provider", "user__email", "user__full_name")
    raw_id_fields = ("user",)
    date_hierarchy = "completed_on"
