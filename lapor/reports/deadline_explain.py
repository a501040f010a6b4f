"""How a report's nearest deadline was computed, for the track page and the officer report page.

A read (a selector): the running step (`ReportClock` row) with the nearest due time, the ladder
version and its legal basis, the moment its clock started (the organisation's receipt, for its
first follow-up and completion) and the day counting starts from (and why), the working days
allowed, the non-working days skipped, the postponements (from the `postpone`/`resume` events
since the step started) and the extension (public, with its reason), the resulting due date and
its green/yellow/red state. The arithmetic is `lapor.deadlines` (through `clock`); this module
only gathers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from . import clock
from .models import Event

if TYPE_CHECKING:
    from lapor.deadlines.models import SlaRuleSet
    from lapor.deadlines.workdays import SkippedDay

    from .models import Report

# why the clock started on `clock_start` rather than the day the step began
START_SAME_DAY = "same_day"
START_AFTER_CUTOFF = "after_cutoff"
START_NON_WORKING_DAY = "non_working_day"


@dataclass(frozen=True)
class Pause:
    """A postponement of the current step: the clock stood still from `paused_at`.
    `reason` is empty when the event was an internal one."""

    paused_at: datetime
    reason: str
    resumed_at: datetime | None = None
    working_days: int = 0  # added to the deadline on resume (0 while it lasts)
    until: date | None = None

    @property
    def ongoing(self) -> bool:
        return self.resumed_at is None


@dataclass(frozen=True)
class Extension:
    at: datetime
    working_days: int
    reason: str


@dataclass(frozen=True)
class DeadlineExplanation:
    deadline: datetime  # the resulting due moment (the report's deadline)
    state: str | None  # on_time / near_due / late (None when no clock runs)
    step: str
    ladder_version: int | None = None
    ladder_name: str = ""
    legal_basis: str = ""
    cutoff_hour: int | None = None
    started_at: datetime | None = None  # when the step's clock was started
    clock_start: date | None = None  # the day counting starts from (day after is day 1)
    start_reason: str = ""  # START_SAME_DAY / START_AFTER_CUTOFF / START_NON_WORKING_DAY
    working_days: int | None = None  # the step's allowance in the ladder
    counts_working_days: bool = True  # False: the rule counts calendar days
    base_due: date | None = None  # clock_start + allowance (before pauses and extension)
    skipped: list[SkippedDay] = field(default_factory=list)  # non-working days up to the due day
    pauses: list[Pause] = field(default_factory=list)
    extension: Extension | None = None
    is_postponed: bool = False

    @property
    def step_label(self) -> str:
        from lapor.deadlines.choices import SlaStep

        return str(dict(SlaStep.choices).get(self.step, self.step))

    @property
    def paused_working_days(self) -> int:
        return sum(p.working_days for p in self.pauses)

    @property
    def extension_days(self) -> int:
        return self.extension.working_days if self.extension else 0


def _pauses_and_extension(
    report: Report, since: datetime | None, step: str
) -> tuple[list[Pause], Extension | None]:
    qs = Event.objects.filter(report=report, action__in=("postpone", "resume", "extend"))
    if since is not None:
        qs = qs.filter(at__gte=since)
    pauses: list[Pause] = []
    extension: Extension | None = None
    open_pause: Pause | None = None
    for event in qs.only("action", "at", "text", "data", "is_internal").order_by("seq"):
        data = event.data or {}
        text = "" if event.is_internal else event.text  # the explanation is shown publicly
        if event.action == "postpone":
            until = data.get("until")
            open_pause = Pause(
                paused_at=event.at,
                reason=text,
                until=date.fromisoformat(until) if isinstance(until, str) else None,
            )
            pauses.append(open_pause)
        elif event.action == "resume":
            days = int(data.get("paused_working_days") or 0)
            if open_pause is not None:
                pauses[-1] = Pause(
                    paused_at=open_pause.paused_at,
                    reason=open_pause.reason,
                    until=open_pause.until,
                    resumed_at=event.at,
                    working_days=days,
                )
                open_pause = None
            elif days:  # a resume whose postponement preceded the step (should not happen)
                pauses.append(
                    Pause(paused_at=event.at, reason="", resumed_at=event.at, working_days=days)
                )
        elif data.get("step") == step:
            extension = Extension(
                at=event.at,
                working_days=int(data.get("extension_days") or 0),
                reason=text,
            )
    return pauses, extension


def report_deadline_explanation(
    *, report: Report, now: datetime | None = None
) -> DeadlineExplanation | None:
    """How the report's current deadline was computed; None when no deadline runs.

    Reads the report's events of the current step (one query) and the ladder version the report
    keeps; the calendar is the cached working-day calendar.
    """
    if report.deadline is None:
        return None
    from lapor.deadlines import sla, workdays

    now = now or timezone.now()
    cal = clock.calendar()
    rows = clock.running(report)
    row = rows[0] if rows else None
    started_at = row.started_at if row is not None else None
    step = row.step if row is not None else report.deadline_step
    pauses, extension = _pauses_and_extension(report, started_at, step)
    base = DeadlineExplanation(
        deadline=report.deadline,
        state=clock.state(report, now, cal),
        step=step,
        started_at=started_at,
        pauses=pauses,
        extension=extension,
        is_postponed=report.is_postponed,
    )
    if row is None or started_at is None:
        return base
    ruleset: SlaRuleSet | None
    if report.sla_ruleset_id is not None and report.sla_ruleset is not None:
        ruleset = report.sla_ruleset
        ladder = clock.ladder_of(report)
    else:
        ruleset, ladder = clock.ladder_at(report.submitted_at)
    try:
        days = clock.rule_days(report, step, sla_class=row.sla_class or None)
    except LookupError:
        return base
    tz = timezone.get_current_timezone()
    skipped: list[SkippedDay] = []
    try:
        start = sla.clock_start(started_at, ladder.cutoff_hour, cal, tz)
        local_day = timezone.localtime(started_at, tz).date()
        if start == local_day:
            reason = START_SAME_DAY
        elif workdays.is_working_day(local_day, cal):
            reason = START_AFTER_CUTOFF
        else:
            reason = START_NON_WORKING_DAY
        base_due = workdays.explain_deadline(start, days, cal).due
        # the non-working days skipped up to the due day (pauses and extension included)
        total = days + base.paused_working_days + base.extension_days
        skipped = list(workdays.explain_deadline(start, total, cal).skipped)
    except ValueError:  # a day outside the calendar's years: show what is known
        return base
    return DeadlineExplanation(
        deadline=report.deadline,
        state=base.state,
        step=step,
        ladder_version=getattr(ruleset, "version", None),
        ladder_name=getattr(ruleset, "name", "") or "",
        legal_basis=getattr(ruleset, "legal_basis", "") or "",
        cutoff_hour=ladder.cutoff_hour,
        started_at=started_at,
        clock_start=start,
        start_reason=reason,
        working_days=days,
        counts_working_days=True,
        base_due=base_due,
        skipped=skipped,
        pauses=pauses,
        extension=extension,
        is_postponed=report.is_postponed,
    )
