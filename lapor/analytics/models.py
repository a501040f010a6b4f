"""Aggregate tables of the report events (rebuilt by `services.daily_stats_rebuild`).

`DailyAgencyStat` holds one row per local day (Asia/Jakarta), organisation, unit and scope;
`MonthlyAgencyStat` the same counters per month and organisation (no unit), for the national and
profile figures. Both are derived data: a rebuild replaces the rows of its range.
"""

from __future__ import annotations

from django.db import models

from .choices import Scope


class StatCounters(models.Model):
    """The additive counters (same names as `metrics.Counters`)."""

    scope = models.CharField(max_length=8, choices=Scope.choices)
    submitted = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    forwarded_out = models.PositiveIntegerField(default=0)
    bounced = models.PositiveIntegerField(default=0)
    first_responses = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    responded_on_time = models.PositiveIntegerField(default=0)
    timed_responses = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    archived = models.PositiveIntegerField(default=0)
    became_late = models.PositiveIntegerField(default=0)
    disputed = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    response_days_sum = models.PositiveIntegerField(default=0)
    close_days_sum = models.PositiveIntegerField(default=0)
    close_count = models.PositiveIntegerField(default=0)
    # histogram of working days to the first response (see metrics.RESPONSE_BINS)
    resp_days_le0 = models.PositiveIntegerField(default=0)
    resp_days_le1 = models.PositiveIntegerField(default=0)
    resp_days_le2 = models.PositiveIntegerField(default=0)
    resp_days_le3 = models.PositiveIntegerField(default=0)
    resp_days_le4 = models.PositiveIntegerField(default=0)
    resp_days_le5 = models.PositiveIntegerField(default=0)
    resp_days_le6 = models.PositiveIntegerField(default=0)
    resp_days_le7 = models.PositiveIntegerField(default=0)
    resp_days_le8 = models.PositiveIntegerField(default=0)
    resp_days_le9 = models.PositiveIntegerField(default=0)
    resp_days_le10 = models.PositiveIntegerField(default=0)
    resp_days_le15 = models.PositiveIntegerField(default=0)
    resp_days_le30 = models.PositiveIntegerField(default=0)
    resp_days_le60 = models.PositiveIntegerField(default=0)
    resp_days_gt60 = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyAgencyStat(StatCounters):
    """Counters of one local day, organisation (None: not routed yet) and unit (None: none)."""

    day = models.DateField()
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "agencies.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["agency", "scope", "day"], name="dstat_agency_day_idx"),
            models.Index(fields=["scope", "day"], name="dstat_scope_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}/{self.unit_id} {self.scope}"


class MonthlyAgencyStat(StatCounters):
    """Counters of one month (first day) and organisation, rolled up from the daily rows."""

    month = models.DateField()
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["scope", "month", "agency"], name="mstat_scope_month_idx"),
            models.Index(fields=["agency", "scope", "month"], name="mstat_agency_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agency_id} {self.scope}"
