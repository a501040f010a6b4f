"""Queued and scheduled work of the routing app (Huey). Thin: each task calls one service."""

from __future__ import annotations

import logging
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from lapor.reports.models import Event

from . import services

logger = logging.getLogger(__name__)


@db_task()
def fingerprint_response(event_id: int) -> bool:
    """Fingerprint one answer (a `respond` event); True when a fingerprint exists after."""
    event = Event.objects.select_related("report").filter(pk=event_id).first()
    if event is None:
        return False
    return services.response_fingerprint_record(event=event) is not None


@db_periodic_task(crontab(minute="23"))
def fingerprint_missing_responses() -> int:
    """Hourly: fingerprint the answers a lost message or an import left without one."""
    return services.response_fingerprints_backfill()


def on_report_outbox(message: Any) -> None:
    """Outbox handler for `report.respond`: queue the answer's fingerprint.

    Never raises (a failure here must not make the outbox deliver the message again to the
    other subscribers); the hourly backfill catches whatever is missed.
    """
    payload = message.payload or {}
    report_id, seq = payload.get("report_id"), payload.get("event_seq")
    if not isinstance(report_id, int) or not isinstance(seq, int):
        return
    try:
        event_id = (
            Event.objects.filter(report_id=report_id, seq=seq).values_list("pk", flat=True).first()
        )
        if event_id is not None:
            fingerprint_response(event_id)
    except Exception:
        logger.exception("could not queue the fingerprint of %s", payload)
