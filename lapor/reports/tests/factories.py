"""Reports in any status for tests, with a valid hash-chained timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from lapor.agencies.models import Agency, Unit
from lapor.deadlines.selectors import sla_ladder_for
from lapor.reports.events import event_append
from lapor.reports.models import Report
from lapor.reports.search import search_document_refresh
from lapor.reports.selectors import hash_reporter_key
from lapor.reports.tracking import new_tracking_id

GUEST_KEY = "guest-secret-key-for-tests"

_STEP = {
    "submitted": "verification",
    "disposed": "first_response",
    "in_progress": "follow_up",
    "responded": "closing",
}


def make_report(
    status: str = "submitted",
    *,
    agency: Agency | None = None,
    unit: Unit | None = None,
    reporter: Any = None,
    guest: bool = False,
    now: datetime | None = None,
    age_days: int = 70,
    **fields: Any,
) -> Report:
    """A report in `status` (fields consistent with it) whose timeline holds its `submit` event
    plus one event per status reached. `agency` is the requested one while `submitted`."""
    now = now or timezone.now()
    submitted_at = now - timedelta(days=age_days)
    ruleset, _ladder = sla_ladder_for(submitted_at)
    values: dict[str, Any] = {
        "tracking_id": new_tracking_id(),
        "type": "pengaduan",
        "title": "Jalan rusak di depan sekolah",
        "content": "Jalan berlubang besar sejak dua bulan, membahayakan anak-anak sekolah.",
        "status": status,
        "submitted_at": submitted_at,
        "clock_started_at": now - timedelta(days=1),
        "sla_ruleset": ruleset,
        "requested_agency": agency,
        "agency": None if status == "submitted" else agency,
        "unit": unit if status in ("in_progress", "responded", "closed") else None,
        "reporter": None if guest else reporter,
        "reporter_key_hash": hash_reporter_key(GUEST_KEY) if guest else "",
        "reporter_name": "Budi Santoso",
        "reporter_email": "budi@example.id",
    }
    if status in _STEP:
        values["deadline"] = now + timedelta(days=4)
        values["deadline_step"] = _STEP[status]
    if status != "submitted":
        values["verified_at"] = submitted_at + timedelta(days=1)
    if status in ("responded", "closed"):
        values["responded_at"] = now - timedelta(days=2)
        values["first_response_at"] = now - timedelta(days=2)
    if status == "closed":
        values["closed_at"] = now - timedelta(days=1)
    if status == "archived":
        values["archived_at"] = now - timedelta(days=1)
        values["archive_reason"] = "unclear"
    if status == "escalated":
        values["escalated_at"] = now - timedelta(days=1)
    values.update(fields)
    report = Report.objects.create(**values)
    search_document_refresh(report, new=True)  # as report_submit does
    event_append(
        report=report,
        action="submit",
        at=submitted_at,
        actor=report.reporter,
        actor_role="reporter",
        to_status="submitted",
        to_agency=agency,
        sla_step="verification",
    )
    if status != "submitted":
        event_append(
            report=report,
            action="set_status_for_test",
            at=now - timedelta(days=1),
            actor=None,
            actor_role="system",
            from_status="submitted",
            to_status=status,
            to_agency=report.agency,
            to_unit=report.unit,
            deadline=report.deadline,
        )
    return report
