"""Base models shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at`, set by the database layer, not by business code."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an `Idempotency-Key`, replayed for 24 hours."""

    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=255, help_text="method, path and caller the key belongs to")
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.TextField()
    content_type = models.CharField(max_length=100, default="application/json")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="uniq_idempotency_scope_key")
        ]
