"""Reads of the accounts app, and the Django-side adapters of the pure policy table."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lapor.core.errors import NotFound

from .models import ApiToken, User
from .policy import Action, Actor, Target, can


def actor_for(user: Any, *, holds_reporter_key: bool = False) -> Actor:
    """The policy's view of a Django user (an `AnonymousUser` or None is a visitor).

    Reads `user.agency.code` and `user.unit.path`: load the user with
    `select_related("agency", "unit")` (as `token_authenticate` and `user_get` do) to avoid
    queries here.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(holds_reporter_key=holds_reporter_key)
    agency = user.agency if user.agency_id is not None else None
    unit = user.unit if user.unit_id is not None else None
    return Actor(
        role=user.role,
        user_id=user.pk,
        agency_code=agency.code if agency is not None else None,
        unit_path=unit.path if unit is not None else None,
        is_active=user.is_active,
        holds_reporter_key=holds_reporter_key,
    )


def user_can(
    user: Any, action: Action | str, target: Target = None, *, holds_reporter_key: bool = False
) -> bool:
    """`policy.can` for a Django user."""
    return can(actor_for(user, holds_reporter_key=holds_reporter_key), action, target)


def user_get(*, user_id: int) -> User:
    """A user with its organisation and unit loaded; NotFound otherwise."""
    user = User.objects.select_related("agency", "unit").filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("Pengguna tidak ditemukan."))
    return user


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones included, marked by `revoked_at`)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; another user's token is NotFound, not Forbidden."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("Token tidak ditemukan."))
    return token
