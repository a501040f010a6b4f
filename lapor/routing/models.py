"""Saved reply templates and the fingerprints of sent answers (for the near-identical check).

No logic here: writes go through `lapor.routing.services`, reads through `selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.core.models import TimeStampedModel


class ReplyTemplate(TimeStampedModel):
    """An organisation's saved reply (optionally meant for one of its units)."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="reply_templates"
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reply_templates",
        help_text="empty: offered to the whole organisation",
    )
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"))
    is_active = models.BooleanField(_("aktif"), default=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["agency", "title"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "title"], name="uniq_reply_template_title")
        ]

    def __str__(self) -> str:
        return self.title


class ResponseFingerprint(models.Model):
    """The MinHash signature of one officer's answer (a `respond` event), written once.

    `is_templated` and `nearest_*` record, at the time of the answer, whether it was
    near-identical to an earlier answer of the same organisation to another report
    (monev indicator 3.4 counts them).
    """

    event = models.OneToOneField(
        "reports.Event", on_delete=models.CASCADE, related_name="fingerprint"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="response_fingerprints"
    )
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="response_fingerprints"
    )
    responded_at = models.DateTimeField(help_text="the event's time")
    signature = models.CharField(max_length=512, help_text="MinHash, 64 × 32-bit values in hex")
    length = models.PositiveIntegerField(help_text="words after normalisation")
    is_templated = models.BooleanField(default=False)
    nearest_event = models.ForeignKey(
        "reports.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nearest_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "-responded_at"], name="fingerprint_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"fingerprint of event {self.event_id}"
