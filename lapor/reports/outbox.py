"""What the reports app publishes on the outbox (`lapor.core.outbox`): one message per event.

Topics are `report.<event action>` (`report.verify`, `report.respond`, `report.became_late`, …)
and `report.reminder`; the payload names the report and the event, so a subscriber reads what it
needs from the timeline.
"""

from __future__ import annotations

from typing import Any

from lapor.core.outbox import outbox_write as _write

from .models import Event, Report


def report_payload(report: Report, event: Event | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "tracking_id": report.tracking_id,
        "report_id": report.pk,
        "status": report.status,
        "agency": report.agency.code if report.agency_id and report.agency else None,
    }
    if event is not None:
        payload.update(event_seq=event.seq, action=event.action)
    return payload


def outbox_write(*, report: Report, event: Event, topic: str | None = None) -> None:
    """The message of one event, in the transaction that wrote it."""
    _write(topic=topic or f"report.{event.action}", payload=report_payload(report, event))
