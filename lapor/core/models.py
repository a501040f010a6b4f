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
