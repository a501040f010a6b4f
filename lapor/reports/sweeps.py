"""The system's scheduled work on reports (called by the Huey tasks in `tasks.py`).

Each sweep takes system actions through `report_act` (so each change is an event, under the row
lock, with its clock facts) and is idempotent: a report whose state changed in the meantime
answers 409 and is left alone, so a second run over the same time changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.core.errors import Conflict
from lapor.core.models import OutboxMessage
from lapor.core.outbox import outbox_write

from . import clock, workflow
from .actions.engine import report_act
from .choices import OPEN_STATUSES
from .models import Report, ReportClock


def _take(
    pks: Iterable[int],
    *,
    action: str,
    now: datetime,
    params: dict[str, Any] | None = None,
) -> int:
    done = 0
    for pk in pks:
        try:
            report_act(
                action=action, actor_user=None, report_id=pk, now=now, system=True, params=params
            )
        except Conflict:
            continue
        done += 1
    return done


def _ids(queryset: QuerySet[Any]) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def reports_close_unanswered(*, now: datetime | None = None) -> int:
    """System close of responded reports whose closing period passed with no reply."""
    now = now or timezone.now()
    due = ReportClock.objects.filter(
        step=workflow.Step.CLOSING, ended_at__isnull=True, due_at__lt=now
    ).values_list("report_id", flat=True)
    return _take(list(due), action=workflow.Act.AUTO_CLOSE, now=now)


def reports_archive_unanswered_info_requests(*, now: datetime | None = None) -> int:
    """Reports whose reporter did not give the information asked before verification in time
    are archived as incomplete."""
    now = now or timezone.now()
    due = ReportClock.objects.filter(
        step=workflow.Step.INFO_REQUEST, ended_at__isnull=True, due_at__lt=now
    ).values_list("report_id", flat=True)
    return _take(
        list(due),
        action=workflow.Act.AUTO_ARCHIVE,
        now=now,
        params={"reason": _("Pelapor tidak melengkapi informasi yang diminta dalam batas waktu.")},
    )


def reports_mark_late(*, now: datetime | None = None) -> int:
    """A `became_late` event, once per step, for every running step past its due time."""
    now = now or timezone.now()
    rows = (
        ReportClock.objects.filter(
            ended_at__isnull=True,
            late_at__isnull=True,
            paused_at__isnull=True,
            due_at__lt=now,
            step__in=workflow.LATE_STEPS,
        )
        .order_by("due_at")
        .values_list("report_id", "step")
    )
    done = 0
    for report_id, step in list(rows):
        try:
            report_act(
                action=workflow.Act.MARK_LATE,
                actor_user=None,
                report_id=report_id,
                now=now,
                system=True,
                params={"step": step},
            )
        except Conflict:
            continue
        done += 1
    return done


def reports_resume_postponed(*, now: datetime | None = None) -> int:
    """End the postponements whose `until` day has come (the clocks resume, the due times move by
    the paused working days); running again changes nothing."""
    now = now or timezone.now()
    ended = Report.objects.filter(
        status__in=OPEN_STATUSES,
        is_postponed=True,
        postponed_until__lte=timezone.localtime(now).date(),
    )
    return _take(_ids(ended), action=workflow.Act.RESUME, now=now,
                 params={"note": _("Masa penundaan berakhir.")})  # fmt: skip


def reports_recompute_deadlines(*, reason: str, now: datetime | None = None) -> int:
    """Recompute every running deadline of open reports (e.g. after a holiday override): a
    `deadline_recomputed` event on each report whose due times changed. Returns how many."""
    now = now or timezone.now()
    ids = (
        ReportClock.objects.filter(ended_at__isnull=True, report__status__in=OPEN_STATUSES)
        .values_list("report_id", flat=True)
        .distinct()
    )
    changed = 0
    for pk in list(ids):
        report = Report.objects.select_related("sla_ruleset").get(pk=pk)
        book = clock.ClockBook(report, now)
        book.apply((workflow.ClockOp(workflow.Op.RECOMPUTE),), agency=None)
        if not book.facts.clocks:
            continue
        changed += _take([pk], action=workflow.Act.DEADLINE_RECOMPUTED, now=now,
                         params={"reason": reason})  # fmt: skip
    return changed


def reports_remind_officers(*, now: datetime | None = None, working_days_before: int = 1) -> int:
    """One outbox reminder per running step of an organisation when at most
    `working_days_before` working days are left; running again changes nothing."""
    from lapor.deadlines.workdays import working_days_between

    now = now or timezone.now()
    cal = clock.calendar()
    today = timezone.localtime(now).date()
    done = 0
    rows = (
        ReportClock.objects.filter(
            ended_at__isnull=True,
            paused_at__isnull=True,
            due_at__gte=now,
            step__in=workflow.AGENCY_STEPS,
            agency__isnull=False,
        )
        .select_related("report", "agency")
        .only("pk", "step", "due_at", "agency__code", "report__tracking_id", "report__id")
    )
    for row in rows:
        due_day = timezone.localtime(row.due_at).date()
        if working_days_between(today, due_day, cal) > working_days_before:
            continue
        key = f"{row.report_id}:{row.step}:{row.due_at.isoformat()}"
        if OutboxMessage.objects.filter(topic="report.reminder", payload__key=key).exists():
            continue
        outbox_write(
            topic="report.reminder",
            payload={
                "key": key,
                "tracking_id": row.report.tracking_id,
                "report_id": row.report_id,
                "agency": row.agency.code if row.agency else None,
                "deadline": row.due_at.isoformat(),
                "sla_step": row.step,
            },
        )
        done += 1
    return done
