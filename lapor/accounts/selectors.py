"""Reads of the accounts app, and the Django-side adapters of the pure policy table."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lapor.core.errors import NotFound

from .models import ApiToken, SavedInboxView, User
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


def saved_views_for(*, user: Any) -> QuerySet[SavedInboxView]:
    """The user's saved inbox views, by name (none for a visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return SavedInboxView.objects.none()
    return SavedInboxView.objects.filter(user_id=user.pk).order_by("name", "id")


OFFICER_ROLES = ("agency_admin", "unit_admin", "liaison_officer")


def officers_for_assignment(
    *, agency: Any, unit: Any = None, include_subunits: bool = False
) -> QuerySet[User]:
    """Active officers of `agency` (agency admins, unit admins, liaison officers) who may work
    on a report of `unit`: officers without a unit, of that unit, or of one of its ancestors.
    Without `unit` (a report at the organisation's level) only officers without a unit.

    `include_subunits` also lists the officers of units below `unit` (every unit of the agency
    when `unit` is None): the choice offered for several reports at once, each then checked."""
    if agency is None:
        return User.objects.none()
    qs = User.objects.filter(agency=agency, is_active=True, role__in=OFFICER_ROLES)
    covering = Q(unit__isnull=True)
    if unit is not None:
        ancestors = _unit_ancestor_paths(str(unit.path))
        covering |= Q(unit__agency=agency, unit__path__in=ancestors)
        if include_subunits:
            covering |= Q(unit__agency=agency, unit__path__startswith=str(unit.path))
    elif include_subunits:
        covering = Q()
    return qs.filter(covering).select_related("unit").order_by("full_name", "email", "id")


def _unit_ancestor_paths(path: str) -> list[str]:
    """A unit's path and every ancestor's (paths are "/a/b/c/"-style prefixes)."""
    parts = [p for p in path.split("/") if p]
    lead = "/" if path.startswith("/") else ""
    trail = "/" if path.endswith("/") else ""
    return [lead + "/".join(parts[: i + 1]) + trail for i in range(len(parts))]
