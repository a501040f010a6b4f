"""Writes of the analytics app: (re)building the aggregate tables from the report EVENTS.

`daily_stats_rebuild` reads the events of a range of local days (Asia/Jakarta), works out for each
event the organisation and unit responsible at that moment (from the chain of earlier events),
the deadline in force just before it and the time of the submission, and replaces the
`DailyAgencyStat` rows of the range, then the `MonthlyAgencyStat` rows of the months it touched.
It is idempotent: running it twice gives the same rows.

Every figure is counted twice: scope ``all`` (internal dashboards) and scope ``public`` (public
pages), which leaves out every report that is confidential *now* — so a report marked
confidential later disappears from public figures at the next rebuild of its days (the outbox
handler below triggers that at once).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from lapor.agencies.models import Agency
from lapor.core.models import OutboxMessage
from lapor.deadlines.selectors import work_calendar_get
from lapor.deadlines.workdays import OutsideCalendarError, WorkCalendar, working_days_between
from lapor.reports.models import Event

from . import metrics
from .choices import Scope
from .models import DailyAgencyStat, MonthlyAgencyStat

logger = logging.getLogger(__name__)

COUNTED_ACTIONS = (
    "submit",
    "verify",
    "forward",
    "respond",
    "reply",
    "close",
    "archive",
    "became_late",
    "reopen",
    "escalate",
    "rate",
)

Key = tuple[date, int | None, int | None, str]  # day, agency id, unit id, scope


# one rebuild at a time writes the aggregate tables (PostgreSQL advisory lock; SQLite serialises
# writers by itself): two overlapping rebuilds of the same days could otherwise both insert
_LOCK_KEY = 0x1A9A_57A7


def _serialise() -> None:
    """Call inside the transaction that replaces rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _days(a: datetime, b: datetime, cal: WorkCalendar) -> int:
    da, db = timezone.localdate(a), timezone.localdate(b)
    try:
        return max(0, working_days_between(da, db, cal))
    except OutsideCalendarError:  # far outside the loaded years: calendar days
        return max(0, (db - da).days)


def _month_chunks(day_from: date, day_to: date) -> Iterator[tuple[date, date]]:
    start = day_from
    while start <= day_to:
        nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = min(day_to, nxt - timedelta(days=1))
        yield start, end
        start = end + timedelta(days=1)


def _events(start: datetime, end: datetime, agency: Agency | None) -> Any:
    """Counted events of [start, end) with what was in force at each of them."""
    same = Event.objects.filter(report=OuterRef("report"))
    agency_at = (
        same.filter(seq__lte=OuterRef("seq"))
        .exclude(action="submit")
        .filter(Q(to_agency__isnull=False) | Q(from_agency__isnull=False))
        .order_by("-seq")
        .values("to_agency")[:1]
    )
    unit_at = (
        same.filter(seq__lte=OuterRef("seq"))
        .filter(Q(to_unit__isnull=False) | Q(from_unit__isnull=False))
        .order_by("-seq")
        .values("to_unit")[:1]
    )
    qs = (
        Event.objects.filter(at__gte=start, at__lt=end, action__in=COUNTED_ACTIONS)
        .annotate(
            agency_at=Subquery(agency_at),
            unit_at=Subquery(unit_at),
            prev_deadline=Subquery(same.filter(seq=OuterRef("seq") - 1).values("deadline")[:1]),
            submitted_at=Subquery(same.filter(seq=1).values("at")[:1]),
            earlier_response=Exists(
                same.filter(action="respond", seq__lt=OuterRef("seq")).values("id")
            ),
        )
        .values_list(
            "action",
            "at",
            "to_agency_id",
            "from_agency_id",
            "from_unit_id",
            "agency_at",
            "unit_at",
            "prev_deadline",
            "submitted_at",
            "earlier_response",
            "report__is_confidential",
            "data",
        )
        .order_by()
    )
    if agency is not None:
        touching = Event.objects.filter(Q(to_agency=agency) | Q(from_agency=agency)).values(
            "report_id"
        )
        qs = qs.filter(report_id__in=touching)
    return qs


def _count(rows: Any, cal: WorkCalendar) -> dict[Key, metrics.Counters]:
    out: dict[Key, metrics.Counters] = defaultdict(metrics.Counters)
    for (
        action,
        at,
        to_agency,
        from_agency,
        from_unit,
        agency_at,
        unit_at,
        prev_deadline,
        submitted_at,
        earlier_response,
        confidential,
        data,
    ) in rows:
        day = timezone.localdate(at)
        scopes = (Scope.ALL,) if confidential else (Scope.ALL, Scope.PUBLIC)
        here = [(day, agency_at, unit_at if agency_at else None, s) for s in scopes]
        if action == "submit":
            for s in scopes:
                out[(day, to_agency, None, s)].submitted += 1
        elif action == "verify":
            for k in here:
                out[k].received += 1
                out[k].verified += 1
        elif action == "forward":
            bounce = bool((data or {}).get("bounce"))
            for s in scopes:
                if from_agency is not None:
                    out[(day, from_agency, from_unit, s)].forwarded_out += 1
                if to_agency is not None:
                    out[(day, to_agency, None, s)].received += 1
                    out[(day, to_agency, None, s)].bounced += int(bounce)
        elif action == "respond":
            days = _days(submitted_at or at, at, cal)
            on_time = _first_response_on_time(data, at, prev_deadline)
            for k in here:
                out[k].responses += 1
                if not earlier_response:
                    out[k].record_first_response(days, on_time)
        elif action == "close":
            days = _days(submitted_at or at, at, cal)
            for k in here:
                out[k].closed += 1
                out[k].close_count += 1
                out[k].close_days_sum += days
        elif action == "archive":
            for k in here:
                out[k].archived += 1
        elif action == "became_late":
            for k in here:
                out[k].became_late += 1
        elif action == "reopen":
            for k in here:
                out[k].reopened += 1
        elif action == "reply":
            if (data or {}).get("disputes"):
                for k in here:
                    out[k].disputed += 1
        elif action == "escalate":
            for k in here:
                out[k].escalated += 1
        elif action == "rate":
            score = (data or {}).get("score")
            if isinstance(score, int) and 1 <= score <= 5:
                for k in here:
                    out[k].rating_sum += score
                    out[k].rating_count += 1
        # steps that went late with this event (met or stopped after their due time) and that
        # the late sweep had not marked yet: a step is counted late once, whatever happens later
        newly_late = len((data or {}).get("late") or {}) if action != "became_late" else 0
        if newly_late:
            for k in here:
                out[k].became_late += newly_late
    return out


def _first_response_on_time(
    data: dict[str, Any] | None, at: datetime, prev_deadline: datetime | None
) -> bool | None:
    """Whether a first response met its deadline: the event's own fact (the organisation's
    first follow-up counted from its receipt, ADR 0007), else — for events written before
    the clocks recorded facts — the deadline in force just before it (None: not judged)."""
    met = ((data or {}).get("met") or {}).get("first_response")
    if isinstance(met, dict) and "late" in met:
        return not met["late"]
    return None if prev_deadline is None else at <= prev_deadline


def _rollup_months(months: set[date], agency: Agency | None) -> int:
    columns = metrics.counter_columns()
    created = 0
    for month in sorted(months):
        nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        daily = DailyAgencyStat.objects.filter(day__gte=month, day__lt=nxt)
        monthly = MonthlyAgencyStat.objects.filter(month=month)
        if agency is not None:
            daily = daily.filter(agency=agency)
            monthly = monthly.filter(agency=agency)
        monthly.delete()
        sums: list[dict[str, Any]] = [
            dict(r)
            for r in daily.values("agency_id", "scope")
            .annotate(**{c: Sum(c) for c in columns})
            .order_by()
        ]
        rows = [
            MonthlyAgencyStat(
                month=month,
                agency_id=row["agency_id"],
                scope=row["scope"],
                **{c: row[c] or 0 for c in columns},
            )
            for row in sums
        ]
        MonthlyAgencyStat.objects.bulk_create(rows, batch_size=2000)
        created += len(rows)
    return created


def daily_stats_rebuild(
    *,
    day_from: date,
    day_to: date,
    agency: Agency | None = None,
    calendar: WorkCalendar | None = None,
) -> int:
    """Replace the aggregate rows of the local days ``day_from``..``day_to`` (inclusive), for one
    organisation or for all, from the events. Returns the number of daily rows written."""
    if day_to < day_from:
        raise ValueError("day_to is before day_from")
    cal = calendar or work_calendar_get()
    written = 0
    months: set[date] = set()
    for chunk_from, chunk_to in _month_chunks(day_from, day_to):
        rows = _events(_start_of(chunk_from), _start_of(chunk_to + timedelta(days=1)), agency)
        counted = _count(rows.iterator(chunk_size=5000), cal)
        objs = [
            DailyAgencyStat(day=day, agency_id=ag, unit_id=unit, scope=scope, **c.as_columns())
            for (day, ag, unit, scope), c in counted.items()
            if agency is None or ag == agency.pk
        ]
        with transaction.atomic():
            _serialise()
            old = DailyAgencyStat.objects.filter(day__gte=chunk_from, day__lte=chunk_to)
            if agency is not None:
                old = old.filter(agency=agency)
            old.delete()
            DailyAgencyStat.objects.bulk_create(objs, batch_size=2000)
        written += len(objs)
        months.update(metrics.months_between(chunk_from, chunk_to))
    with transaction.atomic():
        _serialise()
        _rollup_months(months, agency)
    return written


def daily_stats_refresh_today(*, now: datetime | None = None) -> int:
    """The incremental refresh: rebuild today's rows (local day)."""
    today = timezone.localdate(now or timezone.now())
    return daily_stats_rebuild(day_from=today, day_to=today)


def daily_stats_rebuild_recent(*, days: int = 7, now: datetime | None = None) -> int:
    """The nightly run: rebuild the last ``days`` local days up to today."""
    today = timezone.localdate(now or timezone.now())
    return daily_stats_rebuild(day_from=today - timedelta(days=days), day_to=today)


def daily_stats_rebuild_for_report(*, report_id: int) -> int:
    """Rebuild every day on which the report has a counted event (after its confidentiality
    changed: its events leave or join the public figures)."""
    days = sorted(
        {
            timezone.localdate(at)
            for at in Event.objects.filter(
                report_id=report_id, action__in=COUNTED_ACTIONS
            ).values_list("at", flat=True)
        }
    )
    written = 0
    for day in days:
        written += daily_stats_rebuild(day_from=day, day_to=day)
    return written


def _on_privacy_changed(message: OutboxMessage) -> None:
    """A report became (or stopped being) confidential: its days are counted again, so public
    figures follow at once."""
    payload = message.payload or {}
    report_id, seq = payload.get("report_id"), payload.get("event_seq")
    if report_id is None or seq is None:
        return
    data = (
        Event.objects.filter(report_id=int(report_id), seq=int(seq))
        .values_list("data", flat=True)
        .first()
    ) or {}
    changed = [*data.get("raised", []), *data.get("lowered", []), *data.get("privacy_raised", [])]
    if "is_confidential" in changed:
        daily_stats_rebuild_for_report(report_id=int(report_id))


def register_outbox_handlers() -> None:
    """Subscribe to the outbox (called from AppConfig.ready)."""
    from lapor.core.outbox import outbox_subscribe

    outbox_subscribe("analytics.privacy", "report.set_privacy", _on_privacy_changed)
    outbox_subscribe("analytics.privacy_at_verify", "report.verify", _on_privacy_changed)
