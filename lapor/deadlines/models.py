"""Versioned deadline rules and administrator overrides of the holiday calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lapor.core.models import TimeStampedModel

from .choices import OverrideKind, SlaClass, SlaStep


class HolidayOverride(TimeStampedModel):
    """A day added to or removed from the non-working days by decree, with its legal basis."""

    date = models.DateField(unique=True)
    kind = models.CharField(max_length=16, choices=OverrideKind.choices)
    name = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=300, help_text="e.g. Keppres 10/2024")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaRuleSet(TimeStampedModel):
    """One version of the SLA ladder. Reports keep the version that applied to them.

    A draft (``published_at`` empty, no version number) may be edited in the admin; publishing
    (``lapor.deadlines.services``) numbers it, and from then on it never changes.
    """

    version = models.PositiveIntegerField(unique=True, null=True, blank=True, editable=False)
    name = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=300, blank=True)
    effective_from = models.DateTimeField(db_index=True)
    cutoff_hour = models.PositiveSmallIntegerField(default=16)
    notes = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        if self.version is None:
            return f"draft: {self.name}"
        return f"v{self.version} {self.name}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class SlaRule(models.Model):
    """One rung of the ladder: for a report type and complexity class, a step takes N days."""

    ruleset = models.ForeignKey(SlaRuleSet, on_delete=models.CASCADE, related_name="rules")
    report_type = models.CharField(max_length=32, blank=True, help_text="empty = every type")
    sla_class = models.CharField(
        max_length=20, choices=SlaClass.choices, blank=True, help_text="empty = every class"
    )
    step = models.CharField(max_length=20, choices=SlaStep.choices)
    days = models.PositiveIntegerField()
    working_days = models.BooleanField(default=True, help_text="False = calendar days")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ruleset", "report_type", "sla_class", "step"], name="uniq_sla_rule"
            )
        ]
