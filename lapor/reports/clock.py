"""The reports' clocks: the running deadlines of one report (`ReportClock` rows) and the
adapter from a report to the pure deadline arithmetic of `lapor.deadlines`.

`ClockBook` loads a report's running rows once (under the row lock taken by `report_act`),
applies the clock operations of a transition (`workflow.ClockOp`: start, meet, end, pause,
resume, extend, recompute), returns the facts the event records (`clocks`, `met`, `ended`) and
saves the rows after the event is written. The arithmetic lives in `lapor.deadlines.sla` /
`workdays` (pure); the calendar and the ladder versions come from `lapor.deadlines.selectors`.
See docs/adr/0007-regulation-lifecycle.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from lapor.deadlines import sla

from . import workflow
from .models import ReportClock

if TYPE_CHECKING:
    from lapor.agencies.models import Agency
    from lapor.deadlines.models import SlaRuleSet
    from lapor.deadlines.workdays import WorkCalendar

    from .models import Report

Step = workflow.Step


def calendar(*, max_age: float = 0.0) -> WorkCalendar:
    """The calendar in force; ``max_age`` > 0 accepts this process's override check of up to
    that many seconds ago (see `lapor.deadlines.selectors`)."""
    from lapor.deadlines.selectors import work_calendar_get

    return work_calendar_get(max_age=max_age)


def ladder_at(at: datetime, *, max_age: float = 0.0) -> tuple[SlaRuleSet | None, sla.Ladder]:
    """The ladder version in force at `at` (and its ruleset row); ``max_age`` as in `calendar`."""
    from lapor.deadlines.selectors import sla_ladder_for

    return sla_ladder_for(at, max_age=max_age)


def ladder_of(report: Report) -> sla.Ladder:
    """The ladder version the report keeps (`sla_ruleset`), else the one in force when it was
    submitted."""
    if report.sla_ruleset_id is not None and report.sla_ruleset is not None:
        from lapor.deadlines.selectors import ladder_of as ruleset_ladder

        return ruleset_ladder(report.sla_ruleset)
    return ladder_at(report.submitted_at)[1]


def info_request_days() -> int:
    """Working days a reporter has to give the information asked before verification (a setting:
    `LAPOR_INFO_REQUEST_WORKING_DAYS`)."""
    return int(settings.LAPOR["INFO_REQUEST_WORKING_DAYS"])


def max_postpone_days() -> int:
    """The longest postponement in working days (a setting: `LAPOR_MAX_POSTPONE_WORKING_DAYS`)."""
    return int(settings.LAPOR["MAX_POSTPONE_WORKING_DAYS"])


def rule_days(report: Report, step: str, *, sla_class: str | None = None) -> int:
    """The length of a step for this report, in working days."""
    if step == Step.INFO_REQUEST:
        return info_request_days()
    return ladder_of(report).rule_for(step, report.type, sla_class or report.sla_class).days


def due(
    report: Report,
    step: str,
    start_at: datetime,
    *,
    paused_days: int = 0,
    sla_class: str | None = None,
    ladder: sla.Ladder | None = None,
    cal: WorkCalendar | None = None,
) -> datetime:
    """The due time of ``step`` counted from ``start_at`` (cut-off hour applied)."""
    ladder = ladder or ladder_of(report)
    cal = cal or calendar()
    if step == Step.INFO_REQUEST:
        day = sla.clock_start(start_at, ladder.cutoff_hour, cal, sla.JAKARTA)
        from lapor.deadlines.workdays import add_working_days

        return sla.end_of_day(add_working_days(day, info_request_days() + paused_days, cal))
    return sla.due_at(
        step,
        report.type,
        sla_class or report.sla_class,
        start_at,
        ladder,
        cal,
        paused_days=paused_days,
    )


def state_of(due_at: datetime, now: datetime, cal: WorkCalendar) -> str:
    return str(sla.sla_state(now, due_at, cal))


def state(report: Report, now: datetime, cal: WorkCalendar | None = None) -> str | None:
    """`on_time` / `near_due` / `late` of the nearest deadline; None when no clock runs."""
    if report.deadline is None:
        return None
    moment = report.paused_at if report.is_postponed and report.paused_at else now
    return state_of(report.deadline, moment, cal or calendar())


def running(report: Report) -> list[ReportClock]:
    """The report's running clock rows, nearest due time first (from the rows a list prefetched
    with `prefetch_related("clocks")`, else one query)."""
    cache = getattr(report, "_prefetched_objects_cache", {})
    if "clocks" in cache:
        rows = [r for r in cache["clocks"] if r.ended_at is None]
    else:
        rows = list(
            ReportClock.objects.filter(report=report, ended_at__isnull=True).select_related(
                "agency"
            )
        )
    return sorted(rows, key=_due_order)


def _due_order(row: ReportClock) -> tuple[datetime, int]:
    return (row.due_at, workflow.STEP_ORDER.index(workflow.Step(row.step)))


def _iso(value: datetime) -> str:
    return timezone.localtime(value).isoformat()


@dataclass
class ClockFacts:
    """What an action did to the clocks, as recorded in its event's `data`."""

    clocks: dict[str, str] = field(default_factory=dict)  # step -> due (started or moved)
    met: dict[str, dict[str, Any]] = field(default_factory=dict)  # step -> {due, late}
    ended: dict[str, str] = field(default_factory=dict)  # step -> reason
    # step -> due: steps that went late with this event (met or stopped after their due time)
    # and that the late sweep had not marked: each late step is counted exactly once
    late: dict[str, str] = field(default_factory=dict)
    paused_working_days: int = 0

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.clocks:
            data["clocks"] = dict(self.clocks)
        if self.met:
            data["met"] = dict(self.met)
        if self.ended:
            data["ended"] = dict(self.ended)
        if self.late:
            data["late"] = dict(self.late)
        if self.paused_working_days:
            data["paused_working_days"] = self.paused_working_days
        return data


class ClockError(Exception):
    """An operation a report's clocks do not allow (e.g. a second extension)."""


class ClockBook:
    """The running clock rows of one report, changed in memory then saved with the event."""

    def __init__(self, report: Report, now: datetime, *, cal: WorkCalendar | None = None) -> None:
        self.report = report
        self.now = now
        self.cal = cal
        self.rows: list[ReportClock] = running(report) if report.pk else []
        self.new: list[ReportClock] = []
        self.touched: set[int] = set()
        self.facts = ClockFacts()

    # --- reading -------------------------------------------------------------------------------

    def _cal(self) -> WorkCalendar:
        if self.cal is None:
            self.cal = calendar()
        return self.cal

    def live(self) -> list[ReportClock]:
        return [r for r in (*self.rows, *self.new) if r.ended_at is None]

    def get(self, step: str) -> ReportClock | None:
        return next((r for r in self.live() if r.step == step), None)

    @property
    def paused(self) -> bool:
        return any(r.paused_at is not None for r in self.live())

    # --- operations ----------------------------------------------------------------------------

    def apply(
        self,
        ops: tuple[workflow.ClockOp, ...],
        *,
        agency: Agency | None,
        extend: tuple[str, int, str] | None = None,
        sla_class: str | None = None,
    ) -> ClockFacts:
        """Apply a transition's clock operations in order. ``agency`` owns the rows started;
        ``extend`` is (step, working days, reason) for `extend`; ``sla_class`` the class that
        `recompute` of `completion` uses (reclassification)."""
        moving = {workflow.Op.START, workflow.Op.MEET, workflow.Op.END, workflow.Op.END_OTHERS}
        if self.paused and any(op.op in moving for op in ops):
            # an action that moves the clocks while postponed ends the postponement first
            self._resume()
        for op in ops:
            if op.op == workflow.Op.START:
                for step in op.steps:
                    self._start(step, agency)
            elif op.op == workflow.Op.MEET:
                for step in op.steps:
                    self._meet(step)
            elif op.op == workflow.Op.END:
                for step in op.steps:
                    row = self.get(step)
                    if row is not None:
                        self._end(row, op.reason or workflow.End.SUPERSEDED)
            elif op.op == workflow.Op.END_OTHERS:
                for row in self.live():
                    self._end(row, op.reason or workflow.End.SUPERSEDED)
            elif op.op == workflow.Op.PAUSE:
                self._pause()
            elif op.op == workflow.Op.RESUME:
                self._resume()
            elif op.op == workflow.Op.EXTEND:
                if extend is None:
                    raise ClockError("extend needs a step")
                self._extend(*extend)
            elif op.op == workflow.Op.RECOMPUTE:
                self._recompute(op.steps, sla_class=sla_class)
        return self.facts

    def _start(self, step: str, agency: Agency | None) -> None:
        current = self.get(step)
        if current is not None:
            self._end(current, workflow.End.SUPERSEDED)
        report = self.report
        ruleset = report.sla_ruleset
        row = ReportClock(
            report=report,
            step=step,
            agency=agency,
            started_at=self.now,
            start_seq=0,
            due_at=due(report, step, self.now, cal=self._cal()),
            ruleset=ruleset,
            sla_class=report.sla_class if step == Step.COMPLETION else "",
        )
        self.new.append(row)
        self.facts.clocks[step] = _iso(row.due_at)

    def _meet(self, step: str) -> None:
        row = self.get(step)
        if row is None:
            return
        late = sla.is_late(row.due_at, met_at=self.now, now=self.now)
        row.met_at = self.now
        row.ended_at = self.now
        row.end_reason = workflow.End.MET
        if late:
            self._record_late(row)
        self._touch(row)
        self.facts.met[row.step] = {"due": _iso(row.due_at), "late": late}

    def _end(self, row: ReportClock, reason: str) -> None:
        row.ended_at = self.now
        row.end_reason = str(reason)
        if sla.is_late(row.due_at, ended_at=self.now, now=self.now):
            self._record_late(row)
        self._touch(row)
        self.facts.ended[row.step] = str(reason)

    def _record_late(self, row: ReportClock) -> None:
        if row.step in workflow.LATE_STEPS and row.late_at is None:
            row.late_at = self.now
            self.facts.late[row.step] = _iso(row.due_at)

    def _pause(self) -> None:
        for row in self.live():
            if row.paused_at is None:
                row.paused_at = self.now
                self._touch(row)

    def _resume(self) -> None:
        cal = self._cal()
        for row in self.live():
            if row.paused_at is None:
                continue
            days = sla.paused_working_days(row.paused_at, self.now, cal)
            row.paused_at = None
            if days:
                row.paused_working_days += days
                row.due_at = sla.shift_deadline(row.due_at, days, cal)
                self.facts.clocks[row.step] = _iso(row.due_at)
                self.facts.paused_working_days = max(self.facts.paused_working_days, days)
            self._touch(row)

    def _extend(self, step: str, days: int, reason: str) -> None:
        row = self.get(step)
        if row is None:
            raise ClockError(f"no running {step}")
        if row.extended_days:
            raise ClockError("already extended")
        row.extended_days = days
        row.extension_reason = reason
        row.due_at = sla.shift_deadline(row.due_at, days, self._cal())
        self._touch(row)
        self.facts.clocks[row.step] = _iso(row.due_at)

    def _recompute(self, steps: tuple[str, ...], *, sla_class: str | None) -> None:
        cal = self._cal()
        for row in self.live():
            if steps and row.step not in steps:
                continue
            new_class = sla_class if (sla_class and row.step == Step.COMPLETION) else None
            base = due(
                self.report,
                row.step,
                row.started_at,
                paused_days=row.paused_working_days,
                sla_class=new_class or row.sla_class or None,
                cal=cal,
            )
            new_due = sla.shift_deadline(base, row.extended_days, cal)
            if new_class:
                row.sla_class = new_class
            if new_due != row.due_at:
                row.due_at = new_due
                self.facts.clocks[row.step] = _iso(new_due)
            self._touch(row)

    def mark_late(self, row: ReportClock) -> None:
        row.late_at = self.now
        self._touch(row)

    def _touch(self, row: ReportClock) -> None:
        if row.pk is not None:
            self.touched.add(row.pk)

    # --- the report's summary and saving -------------------------------------------------------

    def nearest(self) -> ReportClock | None:
        live = sorted(self.live(), key=_due_order)
        return live[0] if live else None

    def summarise(self) -> None:
        """Keep the report's nearest deadline and postponement flag in step with its rows."""
        report = self.report
        nearest = self.nearest()
        report.deadline = nearest.due_at if nearest is not None else None
        report.deadline_step = nearest.step if nearest is not None else ""
        if not self.paused and report.is_postponed:
            report.is_postponed = False
            report.postponed_until = None
            report.paused_at = None

    def save(self, seq: int) -> None:
        """Write the rows after the event `seq` that changed them."""
        for row in self.new:
            row.report = self.report
            row.start_seq = seq
            if row.met_at is not None and row.met_seq is None:
                row.met_seq = seq
        if self.new:
            ReportClock.objects.bulk_create(self.new)
        for row in self.rows:
            if row.pk in self.touched:
                if row.met_at is not None and row.met_seq is None:
                    row.met_seq = seq
                row.save()
        self.rows = [*self.rows, *self.new]
        self.new = []
        self.touched = set()


def deadlines_of(report: Report, now: datetime, cal: WorkCalendar | None = None) -> list[dict]:
    """Every running step with its due time and state (green / yellow / red), nearest first."""
    cal = cal or calendar()
    out = []
    for row in running(report):
        moment = row.paused_at or now
        out.append(
            {
                "step": row.step,
                "due": timezone.localtime(row.due_at),
                "state": state_of(row.due_at, moment, cal),
                "agency": row.agency.code if row.agency_id and row.agency else None,
                "started_at": timezone.localtime(row.started_at),
                "paused": row.paused_at is not None,
                "late": row.late_at is not None
                or sla.is_late(row.due_at, paused_at=row.paused_at, now=now),
                "extended_days": row.extended_days,
                "extension_reason": row.extension_reason,
            }
        )
    return out


def referral_allowed(report: Report, now: datetime, *, disputed: bool) -> bool:
    """The reporter may ask for a referral to the Ombudsman now (`sla.referral_allowed`)."""
    completion = (
        ReportClock.objects.filter(report=report, step=Step.COMPLETION, agency=report.agency_id)
        .order_by("-start_seq")
        .first()
        if report.agency_id
        else None
    )
    return sla.referral_allowed(
        completion_due=completion.due_at if completion else None,
        completion_met_at=completion.met_at if completion else None,
        disputed=disputed,
        now=now,
    )
