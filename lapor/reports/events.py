"""Append-only, hash-chained report timelines.

Every fact on a report's timeline is one `Event`. Events are numbered 1, 2, 3 … per report
(`seq`) and chained: each event's `hash` is the SHA-256 of a canonical JSON of its own fields
plus the previous event's hash (`prev_hash`). Editing, inserting or deleting any event breaks the
chain from that point on, which `manage.py verify_timeline` detects.

`event_append` and, for a report's very first event, `event_append_first` are the only writers
of events; they are used by `services.report_act` / `report_submit` and by the history import. It must be called inside the transaction that changes the report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .models import Event, Report

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.agencies.models import Agency, Unit

HASH_VERSION = 1


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def normalise_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON round trip the database would do, so the hash is the same before and after."""
    return json.loads(json.dumps(data or {}, default=str, sort_keys=True))


def canonical_fields(
    *,
    tracking_id: str,
    seq: int,
    action: str,
    at: datetime,
    actor_id: int | None,
    actor_role: str,
    from_status: str,
    to_status: str,
    from_agency_id: int | None,
    to_agency_id: int | None,
    from_unit_id: int | None,
    to_unit_id: int | None,
    reason_code: str,
    text: str,
    deadline: datetime | None,
    sla_step: str,
    is_internal: bool,
    data: dict[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "v": HASH_VERSION,
        "report": tracking_id,
        "seq": seq,
        "action": action,
        "at": _iso(at),
        "actor": actor_id,
        "actor_role": actor_role,
        "from_status": from_status,
        "to_status": to_status,
        "from_agency": from_agency_id,
        "to_agency": to_agency_id,
        "from_unit": from_unit_id,
        "to_unit": to_unit_id,
        "reason_code": reason_code,
        "text": text,
        "deadline": _iso(deadline),
        "sla_step": sla_step,
        "is_internal": bool(is_internal),
        "data": data,
        "prev_hash": prev_hash,
    }


def compute_hash(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def event_hash(event: Event, *, tracking_id: str) -> str:
    """Recompute the hash of a stored event (used by verify_timeline)."""
    return compute_hash(
        canonical_fields(
            tracking_id=tracking_id,
            seq=event.seq,
            action=event.action,
            at=event.at,
            actor_id=event.actor_id,
            actor_role=event.actor_role,
            from_status=event.from_status,
            to_status=event.to_status,
            from_agency_id=event.from_agency_id,
            to_agency_id=event.to_agency_id,
            from_unit_id=event.from_unit_id,
            to_unit_id=event.to_unit_id,
            reason_code=event.reason_code,
            text=event.text,
            deadline=event.deadline,
            sla_step=event.sla_step,
            is_internal=event.is_internal,
            data=normalise_data(event.data),
            prev_hash=event.prev_hash,
        )
    )


def event_build(
    *, report: Report, at: datetime, data: dict[str, Any] | None, **fields: Any
) -> Event:
    """The event (not saved) with its hash, chained after ``fields["prev_hash"]``.

    The hash is computed with `event_hash`, the very function `verify_timeline` uses, so what is
    written and what is checked can never drift apart.
    """
    if timezone.is_naive(at):
        at = timezone.make_aware(at, UTC)
    event = Event(report=report, at=at, data=normalise_data(data), **fields)
    event.hash = event_hash(event, tracking_id=report.tracking_id)
    return event


def event_append(
    *,
    report: Report,
    action: str,
    at: datetime,
    actor: User | None,
    actor_role: str,
    from_status: str = "",
    to_status: str = "",
    from_agency: Agency | None = None,
    to_agency: Agency | None = None,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
    reason_code: str = "",
    text: str = "",
    deadline: datetime | None = None,
    sla_step: str = "",
    is_internal: bool = False,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the report's chain and store the new head in `report.last_event_hash`.

    Call inside the transaction (and, for live reports, under the row lock) that changes the
    report. `at` is stored with microsecond precision, which both databases keep exactly.
    """
    last = Event.objects.filter(report=report).order_by("-seq").values("seq", "hash").first()
    event = event_build(
        report=report,
        seq=(last["seq"] if last else 0) + 1,
        prev_hash=last["hash"] if last else "",
        action=action,
        at=at,
        actor=actor,
        actor_role=actor_role,
        from_status=from_status,
        to_status=to_status,
        from_agency=from_agency,
        to_agency=to_agency,
        from_unit=from_unit,
        to_unit=to_unit,
        reason_code=reason_code,
        text=text,
        deadline=deadline,
        sla_step=sla_step,
        is_internal=is_internal,
        data=data,
    )
    event.save(force_insert=True)
    digest = event.hash
    Report.objects.filter(pk=report.pk).update(last_event_hash=digest)
    report.last_event_hash = digest
    return event


def event_append_first(
    *,
    report: Report,
    action: str,
    at: datetime,
    actor: User | None,
    actor_role: str,
    to_status: str = "",
    to_agency: Agency | None = None,
    to_unit: Unit | None = None,
    reason_code: str = "",
    text: str = "",
    deadline: datetime | None = None,
    sla_step: str = "",
    is_internal: bool = False,
    data: dict[str, Any] | None = None,
) -> Event:
    """Insert a new report (not saved yet) together with its first event.

    The event's hash depends on the report's tracking ID, not on its primary key, so it is
    computed first and stored as ``report.last_event_hash`` in the report's own INSERT: no look-up
    of a previous event (there is none) and no UPDATE of the chain head. The chain is exactly the
    one `event_append` would have made. Call inside the submitting transaction.
    """
    if report.pk is not None and not report._state.adding:
        raise ValueError("event_append_first is for a report that is not saved yet")
    event = event_build(
        report=report,
        seq=1,
        prev_hash="",
        action=action,
        at=at,
        actor=actor,
        actor_role=actor_role,
        to_status=to_status,
        to_agency=to_agency,
        to_unit=to_unit,
        reason_code=reason_code,
        text=text,
        deadline=deadline,
        sla_step=sla_step,
        is_internal=is_internal,
        data=data,
    )
    report.last_event_hash = event.hash
    report.save(force_insert=True)
    event.report = report  # now with its primary key
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainFinding:
    tracking_id: str
    seq: int | None
    problem: str  # "edited" | "inserted_or_deleted" | "head_mismatch" | "gap"
    detail: str


def timeline_verify(report: Report, events: list[Event] | None = None) -> list[ChainFinding]:
    """Recompute a report's chain; return every break found (empty when intact)."""
    if events is None:
        events = list(Event.objects.filter(report=report).order_by("seq"))
    findings: list[ChainFinding] = []
    prev_hash = ""
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            findings.append(
                ChainFinding(
                    report.tracking_id,
                    event.seq,
                    "gap",
                    f"expected seq {expected_seq}, found {event.seq} (an event was deleted "
                    "or inserted)",
                )
            )
        if event.prev_hash != prev_hash:
            findings.append(
                ChainFinding(
                    report.tracking_id,
                    event.seq,
                    "inserted_or_deleted",
                    "prev_hash does not match the previous event's hash",
                )
            )
        recomputed = event_hash(event, tracking_id=report.tracking_id)
        if recomputed != event.hash:
            findings.append(
                ChainFinding(
                    report.tracking_id,
                    event.seq,
                    "edited",
                    "the stored hash does not match the event's fields",
                )
            )
        prev_hash = event.hash
        expected_seq = event.seq + 1
    if report.last_event_hash != prev_hash:
        findings.append(
            ChainFinding(
                report.tracking_id,
                None,
                "head_mismatch",
                "report.last_event_hash is not the hash of the last event (the last event was "
                "deleted or one was appended outside event_append)",
            )
        )
    return findings
