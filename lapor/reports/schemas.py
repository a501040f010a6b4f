"""Request and response shapes of the reports API (the contract of the API is the public spec,
"Reports"; docs/architecture.md maps it to the code)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

ReportTypeLit = Literal["pengaduan", "aspirasi", "permintaan_informasi"]
ChannelLit = Literal["web", "mobile", "sms", "social", "email", "walk_in", "integration"]
StatusLit = Literal["submitted", "disposed", "in_progress", "responded", "closed", "archived"]
OfficialStatusLit = Literal[
    "belum_terverifikasi", "belum_ditindaklanjuti", "proses", "selesai", "tunda", "arsip"
]
SlaStateLit = Literal["on_time", "near_due", "late"]
SlaClassLit = Literal["information_request", "complaint", "misconduct"]
StepLit = Literal[
    "verification", "first_response", "completion", "follow_up", "closing", "info_request"
]


class FieldError(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """`application/problem+json` (RFC 9457). A 409 of an action adds `allowed_actions`."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(..., description="e.g. not_found, mistyped_tracking_id, conflict")
    errors: list[FieldError] | None = None
    allowed_actions: list[str] | None = None


class ReportIn(Schema):
    """A new report. Lengths and codes are checked by the service, which lists every problem at
    once (`errors: [{field, message}]`)."""

    type: str = Field(..., description="pengaduan | aspirasi | permintaan_informasi")
    title: str = Field(
        "", description="10–150 characters; optional (an SMS has none): drafted from the content"
    )
    content: str = Field(..., description="30–10,000 characters: the chronology")
    category: str | None = Field(None, description="category code")
    agency: str | None = Field(None, description="code of the organisation the reporter chooses")
    region: str | None = Field(None, description="Kemendagri region code, e.g. 35.78")
    address: str = ""
    lat: float | None = Field(None, description="inside Indonesia (−11.5 … 6.5)")
    lon: float | None = Field(None, description="inside Indonesia (94.5 … 141.5)")
    event_date: date | None = Field(None, description="not in the future")
    channel: str = Field(
        "web", description="web | mobile | sms | social | email | walk_in | integration"
    )
    is_anonymous: bool = Field(
        False, description="anonim: identity hidden but from national admins"
    )
    is_confidential: bool = Field(False, description="rahasia: never public")
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""


class ReportCreated(Schema):
    tracking_id: str
    status: StatusLit
    deadline: datetime | None
    reporter_key: str | None = Field(
        None,
        description="guests only, shown once: send it as `X-Reporter-Key` (or `reporter_key` in "
        "the body) to reply, close, rate, reopen, escalate or change the privacy",
    )


class DeadlineOut(Schema):
    step: StepLit
    due: datetime
    state: SlaStateLit = Field(..., description="green / yellow / red")
    agency: str | None = Field(None, description="whose clock (null: the national queue)")
    started_at: datetime = Field(..., description="when the step's clock started (the receipt)")
    paused: bool
    late: bool = Field(..., description="the due time passed without the step")
    extended_days: int
    extension_reason: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str = Field(..., description="a permission-checked download address")
    by_organisation: bool = Field(..., description="attached to the organisation's follow-up")


class ReportOut(Schema):
    tracking_id: str
    type: Literal["pengaduan", "aspirasi", "permintaan_informasi", "whistleblowing"]
    title: str
    content: str
    category: str | None = Field(None, description="category code")
    agency: str | None = Field(None, description="code of the organisation now responsible")
    unit: str | None = Field(None, description="unit code, when disposed")
    region: str | None
    address: str
    lat: float | None
    lon: float | None
    event_date: date | None
    channel: ChannelLit
    is_anonymous: bool
    is_confidential: bool
    status: StatusLit
    official_status: OfficialStatusLit = Field(
        ..., description="the category LAPOR! publishes (Tunda: postponed while open)"
    )
    sla_class: SlaClassLit = Field(
        ..., description="information_request 5 | complaint 14 | misconduct 60 working days"
    )
    deadline: datetime | None = Field(None, description="the nearest due time in force")
    deadlines: list[DeadlineOut] = Field(
        default_factory=list, description="every running step with its due time and state"
    )
    sla_state: SlaStateLit | None = Field(None, description="null when no clock runs")
    postponed: bool = Field(..., description="tunda: the clocks are paused")
    referred_to_ombudsman_at: datetime | None = Field(
        None, description="when the referral to the Ombudsman was recorded (the report stays open)"
    )
    created_at: datetime
    updated_at: datetime
    supports: int = Field(..., description="number of supports (dukung)")
    attachments: list[AttachmentOut] = Field(
        default_factory=list, description="the files this caller may see"
    )
    # beyond the contract (documented here)
    reporter: str | None = Field(
        None,
        description="the reporter's name to those allowed to see it; 'Anonim' for an anonymous "
        "report otherwise; null when not shown to the caller",
    )
    deadline_step: str = Field("", description="the step the nearest deadline belongs to")
    postpone_reason: str
    postponed_until: date | None
    forward_count: int = Field(..., description="times forwarded to another organisation")
    received_at: datetime | None = Field(
        None, description="when the organisation now responsible received it"
    )
    archive_reason: str = Field("", description="a code of GET /api/v1/archive-reasons")
    duplicate_of: str | None = Field(None, description="tracking ID of the original report")
    rating: int | None
    submitted_at: datetime
    last_event_hash: str = Field(
        "", description="head of the timeline's hash chain; send it as If-Match to act safely"
    )
    allowed_actions: list[str] = Field(
        default_factory=list, description="the actions the caller may take now"
    )


class EventOut(Schema):
    seq: int
    action: str
    at: datetime
    actor: str | None = Field(None, description="who, when the caller may see it")
    actor_role: str
    from_status: str
    to_status: str
    from_agency: str | None
    to_agency: str | None
    from_unit: str | None
    to_unit: str | None
    reason_code: str
    text: str
    deadline: datetime | None
    sla_step: str
    is_internal: bool
    data: dict[str, object]
    prev_hash: str
    hash: str


class ReportFilterIn(Schema):
    status: StatusLit | None = None
    official_status: OfficialStatusLit | None = None
    type: ReportTypeLit | None = None
    agency: str | None = None
    category: str | None = None
    region: str | None = Field(None, description="region code: the region and every region in it")
    q: str | None = Field(None, max_length=200, description="full-text search")
    overdue: bool | None = Field(None, description="true: open reports past their deadline")
    since: date | None = Field(None, description="submitted on or after")
    until: date | None = Field(None, description="submitted on or before")
    mine: bool = Field(False, description="only the caller's own reports")
