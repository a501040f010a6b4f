"""The reports' side of the SLA clock: a thin adapter from a `Report` to `lapor.deadlines`.

The arithmetic lives in `lapor.deadlines.sla` / `workdays` (pure); the calendar and the ladder
versions come from `lapor.deadlines.selectors`. This module only picks the report's fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from lapor.deadlines import sla

if TYPE_CHECKING:
    from lapor.deadlines.models import SlaRuleSet
    from lapor.deadlines.workdays import WorkCalendar

    from .models import Report


def calendar(*, max_age: float = 0.0) -> WorkCalendar:
    """The calendar in force; ``max_age`` > 0 accepts this process's override check of up to
    that many seconds ago (see `lapor.deadlines.selectors`)."""
    from lapor.deadlines.selectors import work_calendar_get

    return work_calendar_get(max_age=max_age)


def ladder_at(at: datetime, *, max_age: float = 0.0) -> tuple[SlaRuleSet | None, sla.Ladder]:
    """The ladder version in force at `at` (and its ruleset row, when stored); ``max_age`` as in
    `calendar`."""
    from lapor.deadlines.selectors import sla_ladder_for

    return sla_ladder_for(at, max_age=max_age)


def ladder_of(report: Report) -> sla.Ladder:
    """The ladder version that applies to the report: the one it keeps (`sla_ruleset`), else the
    one in force when it was submitted."""
    if report.sla_ruleset_id is not None and report.sla_ruleset is not None:
        from lapor.deadlines.selectors import ladder_of as ruleset_ladder

        return ruleset_ladder(report.sla_ruleset)
    return ladder_at(report.submitted_at)[1]


def due(
    report: Report,
    step: str,
    start_at: datetime,
    *,
    paused_days: int = 0,
    ladder: sla.Ladder | None = None,
    cal: WorkCalendar | None = None,
) -> datetime:
    return sla.due_at(
        step,
        report.type,
        report.sla_class,
        start_at,
        ladder or ladder_of(report),
        cal or calendar(),
        paused_days=paused_days,
    )


def rule_days(report: Report, step: str) -> int:
    return ladder_of(report).rule_for(step, report.type, report.sla_class).days


def state(report: Report, now: datetime, cal: WorkCalendar | None = None) -> str | None:
    """`on_time` / `near_due` / `late` of the current deadline; None when no clock runs."""
    if report.deadline is None:
        return None
    moment = report.paused_at if report.is_postponed and report.paused_at else now
    return str(sla.sla_state(moment, report.deadline, cal or calendar()))


def resume(report: Report, now: datetime) -> tuple[datetime | None, int]:
    """The deadline after the postponement ends at `now`, and the working days it lasted."""
    if report.deadline is None or report.paused_at is None:
        return report.deadline, 0
    cal = calendar()
    days = sla.paused_working_days(report.paused_at, now, cal)
    return sla.shift_deadline(report.deadline, days, cal), days


def extend(report: Report, working_days: int) -> datetime | None:
    if report.deadline is None:
        return None
    return sla.shift_deadline(report.deadline, working_days, calendar())


def escalation_allowed(report: Report, now: datetime) -> bool:
    return sla.escalation_allowed(
        report.submitted_at,
        now,
        ladder_of(report),
        report_type=report.type,
        sla_class=report.sla_class,
    )


def escalation_from(report: Report) -> datetime:
    return sla.escalation_due(
        report.submitted_at, ladder_of(report), report_type=report.type, sla_class=report.sla_class
    )
