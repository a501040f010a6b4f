"""What one viewer sees of a report: the ONE place that decides it, for the API, the pages,
exports and feeds.

Rules (domain.md §1, §3; Perpres 76/2013 on the reporter's confidentiality):

- the reporter's identity (name, e-mail, phone) is shown to the reporter and to those the policy
  lets see it (`REPORT_VIEW_REPORTER`: never an organisation when the report is anonymous);
- text is shown with personal data masked (NIK, phone numbers, e-mail addresses) to everyone
  else — the public, and officers of an anonymous report;
- redacted text is shown redacted; the originals only to the national admin;
- an event's `data` is whitelisted for those who do not see the internals, and its `edits`
  (the reporter's original wording) only for the national admin;
- internal notes and assignment only for those who see the internals;
- attachments: `selectors.attachment_visible_to` (a file whose metadata could not be removed
  only to those who may know who uploaded it; the public only on a public report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts import policy

from . import clock, workflow
from .masking import mask_personal_data
from .models import Attachment, Event, Report, ReportRedaction
from .selectors import attachment_visible_to, report_target

if TYPE_CHECKING:
    from lapor.deadlines.workdays import WorkCalendar

ANONYMOUS_NAME = "Anonim"
REPORTER_ROLE = "reporter"

# event data any viewer may read (timeliness is public; identities and internals are not)
PUBLIC_EVENT_DATA = frozenset(
    {
        "clocks",
        "met",
        "ended",
        "late",
        "received",
        "forward_count",
        "bounce",
        "duplicate_of",
        "duplicate",
        "to",
        "consent",
        "score",
        "disputes",
        "interim",
        "step",
        "due",
        "extension_days",
        "sla_class",
        "sla_class_from",
        "sla_class_to",
        "until",
        "request_info",
        "paused_working_days",
        "info_request_expired",
    }
)
NATIONAL_ONLY_EVENT_DATA = frozenset({"edits"})


def _local(value: datetime | None) -> datetime | None:
    """Times go out with the server's offset (Asia/Jakarta, +07:00)."""
    return timezone.localtime(value) if value is not None else None


def _code(obj: Any) -> str | None:
    return getattr(obj, "code", None) if obj is not None else None


@dataclass
class EventView:
    """One timeline entry as the viewer may see it."""

    event: Event
    text: str
    actor: str | None
    data: dict[str, Any]

    def __getattr__(self, name: str) -> Any:  # seq, action, at, to_agency …
        return getattr(self.event, name)


class ReportView:
    """One report for one viewer (computed once; cheap attributes are lazy)."""

    def __init__(
        self,
        report: Report,
        actor: policy.Actor,
        *,
        now: datetime | None = None,
        cal: WorkCalendar | None = None,
    ) -> None:
        self.report = report
        self.actor = actor
        self.now = now or timezone.now()
        self._cal = cal
        self.target = report_target(report)
        self.is_reporter = policy.reporter_of_report(actor, self.target)
        self.internal = policy.can(actor, policy.Action.REPORT_VIEW_INTERNAL, self.target)
        self.sees_reporter = self.is_reporter or policy.can(
            actor, policy.Action.REPORT_VIEW_REPORTER, self.target
        )
        self.sees_originals = policy.can(actor, policy.Action.REPORT_VIEW_REDACTED, self.target)
        self.masked = not self.sees_reporter

    # --- text and identity -------------------------------------------------------------------

    def text(self, value: str) -> str:
        return mask_personal_data(value) if self.masked and value else value

    @property
    def title(self) -> str:
        return self.text(self.report.title)

    @property
    def content(self) -> str:
        return self.text(self.report.content)

    @property
    def address(self) -> str:
        return self.text(self.report.address)

    @property
    def reporter(self) -> str | None:
        """The reporter's name for those allowed; 'Anonim' on an anonymous report; else None."""
        report = self.report
        if self.sees_reporter:
            if report.reporter_id is not None and report.reporter is not None:
                return report.reporter.full_name or report.reporter.email
            return report.reporter_name or None
        return ANONYMOUS_NAME if report.is_anonymous else None

    @property
    def reporter_label(self) -> str:
        """The reporter as a page shows it (never empty)."""
        name = self.reporter
        if name:
            return name
        if self.sees_reporter:
            return _("Tamu tanpa nama")
        return _("Anonim") if self.report.is_anonymous else _("Tidak ditampilkan")

    @property
    def reporter_contact(self) -> dict[str, str] | None:
        if not self.sees_reporter:
            return None
        return {"email": self.report.reporter_email, "phone": self.report.reporter_phone}

    # --- status and deadlines ----------------------------------------------------------------

    @property
    def official_status(self) -> str:
        return str(workflow.official_status(self.report.status, self.report.is_postponed))

    @property
    def cal(self) -> WorkCalendar:
        if self._cal is None:
            self._cal = clock.calendar()
        return self._cal

    @property
    def sla_state(self) -> str | None:
        if self.report.status not in workflow.OPEN or self.report.deadline is None:
            return None
        return clock.state(self.report, self.now, self.cal)

    @cached_property
    def deadlines(self) -> list[dict[str, Any]]:
        if self.report.status not in workflow.OPEN:
            return []
        return clock.deadlines_of(self.report, self.now, self.cal)

    @cached_property
    def allowed_actions(self) -> list[str]:
        from .actions.engine import allowed_for

        return allowed_for(self.report, self.actor, self.now)

    # --- timeline ------------------------------------------------------------------------------

    @cached_property
    def _redactions(self) -> dict[str, ReportRedaction]:
        latest: dict[str, ReportRedaction] = {}
        for row in ReportRedaction.objects.filter(report=self.report).order_by("id"):
            latest[row.field] = row
        return latest

    def _event_data(self, event: Event) -> dict[str, Any]:
        data = dict(event.data or {})
        if self.sees_originals:
            return data
        if self.internal:
            data = {k: v for k, v in data.items() if k not in NATIONAL_ONLY_EVENT_DATA}
            if "edits" in (event.data or {}):
                data["edited"] = sorted((event.data or {})["edits"])
            return data
        return {k: v for k, v in data.items() if k in PUBLIC_EVENT_DATA}

    def _event_actor(self, event: Event) -> str | None:
        if event.actor_role == REPORTER_ROLE:
            return self.reporter
        if self.internal and event.actor is not None:
            return event.actor.full_name or event.actor.email
        return None

    def event(self, event: Event) -> EventView:
        redaction = self._redactions.get(f"event:{event.seq}")
        text = redaction.redacted if redaction is not None else event.text
        return EventView(
            event=event,
            text=self.text(text),
            actor=self._event_actor(event),
            data=self._event_data(event),
        )

    @cached_property
    def events(self) -> list[EventView]:
        qs = Event.objects.filter(report=self.report).select_related(
            "actor", "from_agency", "to_agency", "from_unit", "to_unit"
        )
        if not self.internal:
            qs = qs.filter(is_internal=False)
        return [self.event(e) for e in qs.order_by("seq")]

    @cached_property
    def redactions(self) -> list[ReportRedaction]:
        """The originals of redacted text (the national admin only)."""
        if not self.sees_originals:
            return []
        return list(ReportRedaction.objects.filter(report=self.report).order_by("id"))

    # --- attachments ---------------------------------------------------------------------------

    def attachment_visible(self, attachment: Attachment) -> bool:
        """The selectors' one rule (`attachment_visible_to`): a file whose metadata could not
        be removed never reaches those who may not know its uploader."""
        return attachment_visible_to(self.actor, self.report, attachment)

    @cached_property
    def attachments(self) -> list[Attachment]:
        """The files this viewer may see (a list prefetches `attachments__event`)."""
        cache = getattr(self.report, "_prefetched_objects_cache", {})
        rows = (
            sorted(cache["attachments"], key=lambda a: a.pk)
            if "attachments" in cache
            else self.report.attachments.select_related("event").order_by("id")
        )
        return [a for a in rows if self.attachment_visible(a)]

    # --- the API shape ---------------------------------------------------------------------

    def as_api(self) -> dict[str, Any]:
        report = self.report
        return {
            "tracking_id": report.tracking_id,
            "type": report.type,
            "title": self.title,
            "content": self.content,
            "category": _code(report.category) if report.category_id else None,
            "agency": _code(report.agency) if report.agency_id else None,
            "unit": _code(report.unit) if report.unit_id else None,
            "region": report.region_id,
            "address": self.address,
            "lat": report.lat,
            "lon": report.lon,
            "event_date": report.event_date,
            "channel": report.channel,
            "is_anonymous": report.is_anonymous,
            "is_confidential": report.is_confidential,
            "status": report.status,
            "official_status": self.official_status,
            "sla_class": report.sla_class,
            "deadline": _local(report.deadline),
            "deadline_step": report.deadline_step,
            "deadlines": self.deadlines,
            "sla_state": self.sla_state,
            "postponed": report.is_postponed,
            "postpone_reason": self.text(report.postpone_reason),
            "postponed_until": report.postponed_until,
            "referred_to_ombudsman_at": _local(report.referred_to_ombudsman_at),
            "forward_count": report.forward_count,
            "created_at": _local(report.created_at),
            "updated_at": _local(report.updated_at),
            "submitted_at": _local(report.submitted_at),
            "received_at": _local(report.received_at),
            "supports": report.supports_count,
            "reporter": self.reporter,
            "archive_reason": report.archive_reason,
            "duplicate_of": report.duplicate_of.tracking_id if report.duplicate_of_id else None,  # type: ignore[union-attr]
            "rating": report.rating,
            "attachments": [
                {
                    "id": a.pk,
                    "name": a.original_name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "url": reverse("web:attachment_download", args=[a.pk]),
                    "by_organisation": bool(a.event_id and a.event and a.event.action == "respond"),
                }
                for a in self.attachments
            ],
            "last_event_hash": report.last_event_hash,
            "allowed_actions": self.allowed_actions,
        }

    def event_api(self, view: EventView) -> dict[str, Any]:
        event = view.event
        return {
            "seq": event.seq,
            "action": event.action,
            "at": _local(event.at),
            "actor": view.actor,
            "actor_role": event.actor_role,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "from_agency": _code(event.from_agency) if event.from_agency_id else None,
            "to_agency": _code(event.to_agency) if event.to_agency_id else None,
            "from_unit": _code(event.from_unit) if event.from_unit_id else None,
            "to_unit": _code(event.to_unit) if event.to_unit_id else None,
            "reason_code": event.reason_code,
            "text": view.text,
            "deadline": _local(event.deadline),
            "sla_step": event.sla_step,
            "is_internal": event.is_internal,
            "data": view.data,
            "prev_hash": event.prev_hash,
            "hash": event.hash,
        }
