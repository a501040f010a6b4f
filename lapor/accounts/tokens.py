"""API tokens: created shown once, stored as SHA-256, revocable, with a last-used time."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, User

TOKEN_PREFIX = "lpr_"
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once, never stored


def token_create(*, user: User, name: str, expires_at: datetime | None = None) -> IssuedToken:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 8],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    return IssuedToken(token=token, raw=raw)


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def token_authenticate(*, raw_token: str) -> User | None:
    """The active user a raw token belongs to, or None for a wrong, expired or revoked token."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__agency", "user__unit")
        .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
