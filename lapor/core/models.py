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


class OutboxMessage(models.Model):
    """A fact another part of the system reacts to (a notification, a webhook, an aggregate
    refresh), written in the same transaction as the change that caused it and delivered by the
    task queue after commit (`lapor.core.outbox`)."""

    topic = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="every subscriber delivered (or gave up)"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                name="outbox_pending_idx",
                condition=models.Q(processed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.topic}"


class OutboxDelivery(models.Model):
    """One subscriber's delivery of one message: a failing subscriber is retried on its own and
    never makes the others run again."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=100)
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "subscriber"], name="uniq_outbox_delivery_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.subscriber}"
