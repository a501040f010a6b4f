"""Reports in any status for tests, with a valid hash-chained timeline and the clock rows of the
lifecycle (ADR 0007), built with the same clock book and transition table as `report_act`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from lapor.agencies.models import Agency, Unit
from lapor.deadlines import sla
from lapor.deadlines.selectors import sla_ladder_for
from lapor.reports import workflow
from lapor.reports.clock import ClockBook
from lapor.reports.events import event_append
from lapor.reports.models import Report, ReportClock
from lapor.reports.search import search_document_refresh
from lapor.reports.selectors import hash_reporter_key
from lapor.reports.tracking import new_tracking_id

GUEST_KEY = "guest-secret-key-for-tests"

# the actions that bring a report from `submitted` to each status (with their variants)
_PATH: dict[str, list[tuple[str, str]]] = {
    "submitted": [],
    "disposed": [("verify", "")],
    "in_progress": [("verify", ""), ("dispose", "")],
    "responded": [("verify", ""), ("dispose", ""), ("respond", "final")],
    "closed": [("verify", ""), ("dispose", ""), ("respond", "final"), ("close", "")],
    "archived": [("archive", "")],
}


def _step(report: Report, action: str, variant: str, at: datetime, agency: Agency | None) -> None:
    """Apply one transition's status and clock effect and append its event (no policy)."""
    transition = workflow.transition_for(report.status, action, variant=variant)
    from_status = report.status
    report.status = transition.lands_on(workflow.St(report.status))
    book = ClockBook(report, at)
    facts = book.apply(transition.clock, agency=agency)
    book.summarise()
    event = event_append(
        report=report,
        action=action,
        at=at,
        actor=None,
        actor_role="system",
        from_status=from_status,
        to_status=report.status,
        to_agency=agency if action == "verify" else None,
        to_unit=report.unit if action == "dispose" else None,
        deadline=report.deadline,
        sla_step=report.deadline_step,
        data=facts.as_data(),
    )
    book.save(event.seq)
    report.save()


def make_report(
    status: str = "submitted",
    *,
    agency: Agency | None = None,
    unit: Unit | None = None,
    reporter: Any = None,
    guest: bool = False,
    now: datetime | None = None,
    age_days: int = 70,
    deadline: datetime | None = None,
    postponed_at: datetime | None = None,
    postponed_until: Any = None,
    **fields: Any,
) -> Report:
    """A report in `status` (fields consistent with it) whose timeline holds its `submit` event
    plus one event per step taken to reach the status, with the clock rows those steps leave.
    `agency` is the requested one while `submitted`. `deadline` moves the nearest running step
    (and the report's deadline) to that time; `postponed_at` then postpones it (tunda) at that
    moment, until `postponed_until`."""
    now = now or timezone.now()
    submitted_at = now - timedelta(days=age_days)
    ruleset, _ladder = sla_ladder_for(submitted_at)
    report_type = fields.pop("type", "pengaduan")
    values: dict[str, Any] = {
        "tracking_id": new_tracking_id(),
        "type": report_type,
        "title": "Jalan rusak di depan sekolah",
        "content": "Jalan berlubang besar sejak dua bulan, membahayakan anak-anak sekolah.",
        "status": "submitted",
        "submitted_at": submitted_at,
        "sla_ruleset": ruleset,
        "sla_class": fields.pop("sla_class", sla.default_class(report_type)),
        "requested_agency": agency,
        "reporter": None if guest else reporter,
        "reporter_key_hash": hash_reporter_key(GUEST_KEY) if guest else "",
        "reporter_name": "Budi Santoso",
        "reporter_email": "budi@example.id",
    }
    values.update(fields)
    report = Report.objects.create(**values)
    search_document_refresh(report, new=True)  # as report_submit does
    milestones = {k: v for k, v in fields.items() if k.endswith("_at")}
    _step_submit(report, submitted_at, agency)
    steps = _PATH[status]
    # the first step a day after submission, the others spread up to a day ago
    first = min(submitted_at + timedelta(days=1), now - timedelta(minutes=len(steps) + 1))
    last = max(first, now - timedelta(days=1))
    times = [first + (last - first) * i / max(1, len(steps) - 1) for i in range(len(steps))]
    for (action, variant), at in zip(steps, times, strict=True):
        if action == "verify":
            report.agency = agency
            report.verified_at = report.received_at = at
        elif action == "dispose":
            if unit is None:  # in progress means with a unit: the organisation's first one
                from lapor.agencies.tests.factories import UnitFactory

                unit = Unit.objects.filter(agency=agency).first() or UnitFactory(agency=agency)
            report.unit = unit
        elif action == "respond":
            report.first_response_at = report.first_response_at or at
            report.responded_at = at
        elif action == "close":
            report.closed_at = at
        elif action == "archive":
            report.archived_at = at
            report.archive_reason = "unclear"
        _step(report, action, variant, at, agency)
    if milestones:  # milestone times the test asked for win over the steps' own
        for name, value in milestones.items():
            setattr(report, name, value)
        report.save(update_fields=list(milestones))
    if deadline is not None:
        _move_deadline(report, deadline)
    if postponed_at is not None:
        report.is_postponed = True
        report.paused_at = postponed_at
        report.postponed_until = postponed_until
        report.postpone_reason = report.postpone_reason or "Menunggu anggaran."
        variant = "request_info" if report.status == "submitted" else ""
        _step(report, "postpone", variant, postponed_at, report.agency)
    return report


def _step_submit(report: Report, at: datetime, agency: Agency | None) -> None:
    book = ClockBook(report, at)
    facts = book.apply((workflow.start(workflow.Step.VERIFICATION),), agency=None)
    book.summarise()
    event = event_append(
        report=report,
        action="submit",
        at=at,
        actor=report.reporter,
        actor_role="reporter",
        to_status="submitted",
        to_agency=agency,
        deadline=report.deadline,
        sla_step=report.deadline_step,
        data=facts.as_data(),
    )
    book.save(event.seq)
    report.save()


def _move_deadline(report: Report, deadline: datetime) -> None:
    row = (
        ReportClock.objects.filter(report=report, ended_at__isnull=True).order_by("due_at").first()
    )
    if row is not None:
        row.due_at = deadline
        row.save(update_fields=["due_at"])
    report.deadline = deadline
    report.save(update_fields=["deadline"])
