"""Reports, their append-only hash-chained events, attachments and supports.

Nothing here holds business rules: every status change goes through
`lapor.reports.services.report_act`, which writes an `Event` in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce

from lapor.core.models import TimeStampedModel
from lapor.deadlines.choices import SlaClass, SlaStep

from .choices import Channel, ClockEnd, ReportType, Status


class Report(TimeStampedModel):
    tracking_id = models.CharField(max_length=16, unique=True)
    type = models.CharField(max_length=32, choices=ReportType.choices, db_index=True)
    title = models.CharField(max_length=150)
    content = models.TextField()
    category = models.ForeignKey(
        "agencies.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text="the organisation now responsible; empty while with the national admin",
    )
    unit = models.ForeignKey(
        "agencies.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    requested_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the organisation the reporter chose, if any",
    )
    region = models.ForeignKey(
        "agencies.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    address = models.CharField(max_length=500, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    event_date = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    is_anonymous = models.BooleanField(default=False)
    is_confidential = models.BooleanField(default=False, db_index=True)

    # who reported: an account, or a guest holding the reporter key (only its hash is kept)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reporter_key_hash = models.CharField(max_length=64, blank=True)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=32, blank=True)

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # the organisation whose desk the report is on: the responsible one, or — while it waits in
    # the national queue — the one the reporter chose. Computed by the database (stored), so an
    # organisation's inbox is one indexable condition instead of an OR across two columns.
    desk_agency_id = models.GeneratedField(
        expression=Coalesce("agency", "requested_agency"),
        output_field=models.BigIntegerField(null=True),
        db_persist=True,
    )
    is_postponed = models.BooleanField(default=False)
    postpone_reason = models.TextField(blank=True)
    postponed_until = models.DateField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True, help_text="when the clocks paused")

    # deadlines: the ladder version that applied, the class, and the nearest running due time
    # (kept from the running `ReportClock` rows, for the inbox's sort and index)
    sla_ruleset = models.ForeignKey(
        "deadlines.SlaRuleSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sla_class = models.CharField(
        max_length=20, choices=SlaClass.choices, default=SlaClass.COMPLAINT
    )
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    deadline_step = models.CharField(max_length=20, blank=True)

    # milestones (denormalised from events for fast lists; the events remain the truth)
    submitted_at = models.DateTimeField(db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(
        null=True, blank=True, help_text="when the organisation now responsible received it"
    )
    first_response_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    referred_to_ombudsman_at = models.DateTimeField(null=True, blank=True)
    forward_count = models.PositiveSmallIntegerField(
        default=0, help_text="times forwarded to another organisation (bukan wewenang)"
    )

    archive_reason = models.CharField(
        max_length=32, blank=True, help_text="a code of the ArchiveReason table"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    supports_count = models.PositiveIntegerField(default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reports",
    )
    last_event_hash = models.CharField(max_length=64, blank=True)
    import_source = models.CharField(max_length=64, blank=True, help_text="set by import_history")

    class Meta:
        indexes = [
            models.Index(fields=["agency", "status", "deadline"], name="report_inbox_idx"),
            models.Index(fields=["desk_agency_id", "status", "deadline"], name="report_desk_idx"),
            models.Index(fields=["status", "deadline"], name="report_status_deadline_idx"),
            models.Index(
                fields=["is_confidential", "status", "-submitted_at"], name="report_public_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_id


class ReportClock(models.Model):
    """One deadline of a report: a step that started, its due time, and how it ended.

    Written only by `lapor.reports.clocks` inside the transaction of the action (every start,
    meet and end is also in the event's `data`: this table is the timeline's projection that
    lists, the late sweep and statistics read). See docs/adr/0007-regulation-lifecycle.md.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="clocks")
    step = models.CharField(max_length=20, choices=SlaStep.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="whose clock: the receiving organisation (empty: the national queue)",
    )
    started_at = models.DateTimeField()
    start_seq = models.PositiveIntegerField(help_text="the event that started it")
    due_at = models.DateTimeField()
    ruleset = models.ForeignKey(
        "deadlines.SlaRuleSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sla_class = models.CharField(max_length=20, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    extended_days = models.PositiveIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_seq = models.PositiveIntegerField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=ClockEnd.choices, blank=True)
    late_at = models.DateTimeField(
        null=True, blank=True, help_text="when the late sweep recorded the missed due time"
    )

    class Meta:
        ordering = ["report", "start_seq", "id"]
        indexes = [
            models.Index(fields=["report", "ended_at"], name="clock_report_running_idx"),
            models.Index(fields=["agency", "step", "started_at"], name="clock_agency_step_idx"),
            # the late sweep: running, unmarked, unpaused rows by due time
            models.Index(
                fields=["due_at"],
                name="clock_late_sweep_idx",
                condition=models.Q(ended_at__isnull=True, late_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.step} due {self.due_at:%Y-%m-%d}"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None


class ArchiveReason(models.Model):
    """Why a report may be archived (rejected): data that officials edit (domain.md §3)."""

    code = models.SlugField(max_length=32, unique=True)
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    description_id = models.TextField(blank=True, help_text="told to the reporter")
    description_en = models.TextField(blank=True)
    names_original = models.BooleanField(
        default=False, help_text="the archive names the original report (duplicates)"
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_id

    def name(self, language: str | None) -> str:
        return self.name_en if (language or "").startswith("en") and self.name_en else self.name_id


class ReportRedaction(models.Model):
    """The original of a text an officer redacted (`redact` action): for the national admin only."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="redactions")
    event = models.ForeignKey("Event", on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=32, help_text="title, content, or event:<seq>")
    original = models.TextField()
    redacted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "id"]


class Event(models.Model):
    """One fact on a report's timeline. Append-only and hash-chained per report."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(help_text="1, 2, 3 … within the report")
    action = models.CharField(max_length=32, db_index=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(
        max_length=32, help_text="role at the time, or 'system'/'reporter'"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    from_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_unit = models.ForeignKey(
        "agencies.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "agencies.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_code = models.CharField(max_length=32, blank=True)
    text = models.TextField(blank=True)
    deadline = models.DateTimeField(null=True, blank=True, help_text="the deadline in force after")
    sla_step = models.CharField(max_length=20, blank=True)
    is_internal = models.BooleanField(default=False, help_text="internal note: never public")
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["report", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["report", "seq"], name="uniq_event_seq_per_report")
        ]
        indexes = [models.Index(fields=["to_agency", "action", "at"], name="event_stats_idx")]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.seq} {self.action}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    metadata_removed = models.BooleanField(
        default=False,
        help_text="the file's metadata (author, GPS, …) was removed; when False, an anonymous "
        "report's attachment is never shown to the organisation",
    )


class Support(models.Model):
    """A signed-in user's support (dukung) of a report: once per user."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="uniq_support_per_user")
        ]
