"""Base models shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at`, set by the database layer, not by business code."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """The first response to a request carrying an `Idempotency-Key`, replayed for 24 hours.

    Holds nothing readable about the client or the response: HMACs of the scope (operation and
    client: user id or address) and of the key, and the response encrypted with a key derived
    from the raw Idempotency-Key (see lapor/core/idempotency.py and ADR 0008)."""

    scope_hash = models.CharField(max_length=64, help_text="HMAC of the operation and client")
    key_hash = models.CharField(max_length=64, help_text="HMAC of the scope and the raw key")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request")
    status_code = models.PositiveSmallIntegerField()
    sealed_response = models.TextField(
        help_text="the response, AES-GCM with a key from the raw key"
    )
    content_type = models.CharField(max_length=100, default="application/json")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_hash", "key_hash"], name="uniq_idempotency_scope_key"
            )
        ]
