"""Request and response shapes of the reports API (contract: /work/shared/spec/api.md "Reports")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

ReportTypeLit = Literal["pengaduan", "aspirasi", "permintaan_informasi"]
ChannelLit = Literal["web", "mobile", "sms", "social", "email", "walk_in", "integration"]
StatusLit = Literal[
    "submitted", "disposed", "in_progress", "responded", "closed", "archived", "escalated"
]
SlaStateLit = Literal["on_time", "near_due", "late"]


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
    title: str = Field(..., description="10–150 characters")
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
        "the body) to reply, close, rate, reopen or escalate",
    )


class ReportOut(Schema):
    tracking_id: str
    type: ReportTypeLit
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
    deadline: datetime | None = Field(None, description="the current due time")
    sla_state: SlaStateLit | None = Field(None, description="null when no clock runs")
    created_at: datetime
    updated_at: datetime
    supports: int = Field(..., description="number of supports (dukung)")
    # beyond the contract (documented here)
    reporter: str | None = Field(
        None,
        description="the reporter's name to those allowed to see it; 'Anonim' for an anonymous "
        "report otherwise; null when not shown to the caller",
    )
    sla_class: str = Field(..., description="simple | dispute | field_check")
    deadline_step: str = Field("", description="the SLA step the deadline belongs to")
    is_postponed: bool
    postpone_reason: str
    postponed_until: date | None
    extension_reason: str = Field("", description="public reason of a deadline extension")
    archive_reason: str = Field("", description="out_of_scope | unclear | too_general | duplicate")
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
    type: ReportTypeLit | None = None
    agency: str | None = None
    category: str | None = None
    region: str | None = Field(None, description="region code: the region and every region in it")
    q: str | None = Field(None, max_length=200, description="full-text search")
    overdue: bool | None = Field(None, description="true: open reports past their deadline")
    since: date | None = Field(None, description="submitted on or after")
    until: date | None = Field(None, description="submitted on or before")
    mine: bool = Field(False, description="only the caller's own reports")


# --- action bodies ---------------------------------------------------------------------------


class _KeyBody(Schema):
    reporter_key: str | None = Field(None, description="a guest's reporter key (or X-Reporter-Key)")


class VerifyIn(_KeyBody):
    agency: str | None = Field(
        None, description="organisation code (required in the national queue)"
    )
    category: str | None = None
    sla_class: str | None = Field(None, description="simple | dispute | field_check")
    is_anonymous: bool | None = None
    is_confidential: bool | None = None


class DisposeIn(_KeyBody):
    unit: str | None = Field(None, description="unit code, down the unit tree")


class ForwardIn(_KeyBody):
    agency: str | None = Field(None, description="another organisation, or none: back to national")
    reason: str | None = None


class PostponeIn(_KeyBody):
    reason: str | None = None
    until: date | None = None


class ResumeIn(_KeyBody):
    note: str | None = None


class ExtendIn(_KeyBody):
    reason: str | None = None
    working_days: int | None = Field(None, description="at most the original length (default)")


class ArchiveIn(_KeyBody):
    reason_code: str | None = Field(
        None, description="out_of_scope | unclear | too_general | duplicate"
    )
    note: str | None = None
    duplicate_of: str | None = Field(None, description="tracking ID, for reason_code=duplicate")


class RespondIn(_KeyBody):
    content: str | None = None


class ReplyIn(_KeyBody):
    content: str | None = None
    disputes: bool = False


class CloseIn(_KeyBody):
    note: str | None = None


class ReopenIn(_KeyBody):
    reason: str | None = None


class EscalateIn(_KeyBody):
    to: str | None = Field(None, description="ombudsman")


class RateIn(_KeyBody):
    score: int | None = Field(None, description="1–5")
    comment: str | None = None


class SupportIn(_KeyBody):
    pass


class SetFlagsIn(_KeyBody):
    is_anonymous: bool | None = None
    is_confidential: bool | None = None


class NoteIn(_KeyBody):
    text: str | None = None


class AssignIn(_KeyBody):
    user: int | None = Field(None, description="id of an officer of the responsible organisation")


ACTION_BODIES: dict[str, type[_KeyBody]] = {
    "verify": VerifyIn,
    "dispose": DisposeIn,
    "forward": ForwardIn,
    "postpone": PostponeIn,
    "archive": ArchiveIn,
    "respond": RespondIn,
    "reply": ReplyIn,
    "close": CloseIn,
    "reopen": ReopenIn,
    "escalate": EscalateIn,
    "rate": RateIn,
    "support": SupportIn,
    "resume": ResumeIn,
    "extend": ExtendIn,
    "set_flags": SetFlagsIn,
    "note": NoteIn,
    "assign": AssignIn,
}
