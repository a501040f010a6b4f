"""The SLA ladder as data, and the deadline rules built on it (pure: no Django; time is a parameter).

Every function takes the current time, the ladder and the calendar as parameters. Times are
timezone-aware datetimes; days are counted in ``tz`` (Asia/Jakarta by default). The rules in
prose, with the regulations they come from, are in ``docs/sla.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from .workdays import WorkCalendar, add_working_days, is_working_day, working_days_between

JAKARTA = ZoneInfo("Asia/Jakarta")
END_OF_DAY = time(23, 59, 59)
DEFAULT_CUTOFF_HOUR = 16
ANY = ""  # wildcard in a rule key


class Step(StrEnum):
    """Same values as ``lapor.deadlines.choices.SlaStep``."""

    VERIFICATION = "verification"  # the national admin (or the chosen organisation) routes it
    FIRST_RESPONSE = "first_response"  # the receiving organisation's first follow-up
    COMPLETION = "completion"  # the receiving organisation completes it, by class
    FOLLOW_UP = "follow_up"  # a further follow-up after the reporter's reply or dispute
    CLOSING = "closing"  # the reporter's time to react before the system closes it
    # the reporter's time to give the information asked before verification (a setting, not a
    # rung of the ladder)
    INFO_REQUEST = "info_request"
    ESCALATION = "escalation"  # only in ladder version 1 (retired: see ADR 0007)


# The steps every published ladder must cover (version 1's escalation period is history).
LADDER_STEPS = (
    Step.VERIFICATION,
    Step.FIRST_RESPONSE,
    Step.COMPLETION,
    Step.FOLLOW_UP,
    Step.CLOSING,
)


class SlaState(StrEnum):
    """Same values as ``lapor.reports.choices.SlaState`` (green / yellow / red)."""

    ON_TIME = "on_time"
    NEAR_DUE = "near_due"
    LATE = "late"


REPORT_TYPES = ("pengaduan", "aspirasi", "permintaan_informasi", "whistleblowing")
# Completion classes of PermenPANRB 62/2018 (continued by 5/2025): 5 / 14 / 60 working days.
SLA_CLASSES = ("information_request", "complaint", "misconduct")

# The class the verifying admin starts from (domain.md §4): information requests have the 5-day
# class, complaints and aspirations the 14-day class (aspirations: a local choice), an admin-side
# whistle-blowing report concerns official misconduct (60 days, with the inspectorate).
DEFAULT_CLASS_BY_TYPE = {
    "permintaan_informasi": "information_request",
    "pengaduan": "complaint",
    "aspirasi": "complaint",
    "whistleblowing": "misconduct",
}


def default_class(report_type: str) -> str:
    return DEFAULT_CLASS_BY_TYPE.get(report_type, "complaint")


# The complexity classes of ladder version 1 and the class each becomes (ADR 0007): the
# 60-day `field_check` becomes `misconduct`; the others take the type's default.
LEGACY_CLASSES = ("simple", "dispute", "field_check")


def class_from_legacy(value: str, report_type: str) -> str:
    """A class of ladder version 1 as a class of the regulation (for old exports)."""
    if report_type == "permintaan_informasi":
        return "information_request"
    if value == "field_check":
        return "misconduct"
    return default_class(report_type)


class NoRuleError(LookupError):
    """The ladder has no rule for a (step, report type, class)."""


@dataclass(frozen=True)
class Rule:
    """One rung: for ``report_type`` and ``sla_class`` (``""`` = any), ``step`` takes ``days``."""

    step: str
    days: int
    working_days: bool = True  # False: calendar days
    report_type: str = ANY
    sla_class: str = ANY

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.report_type, self.sla_class, self.step)


@dataclass(frozen=True)
class Ladder:
    """A version of the SLA ladder. Lookup picks the most specific matching rule:
    (type, class) > (type, any) > (any, class) > (any, any)."""

    rules: tuple[Rule, ...]
    cutoff_hour: int = DEFAULT_CUTOFF_HOUR

    def __post_init__(self) -> None:
        keys = [r.key for r in self.rules]
        if len(keys) != len(set(keys)):
            raise ValueError("two rules have the same (report_type, sla_class, step)")
        if not 0 <= self.cutoff_hour <= 24:
            raise ValueError("cutoff_hour must be between 0 and 24")
        for rule in self.rules:
            if rule.step not in Step.__members__.values():
                raise ValueError(f"unknown step {rule.step!r}")
            if rule.step == Step.INFO_REQUEST:
                raise ValueError("the time to answer a request for information is a setting")
            if rule.days < 0:
                raise ValueError("days must be zero or positive")
            if rule.step == Step.ESCALATION and rule.working_days:
                raise ValueError("the escalation period is counted in calendar days")

    @cached_property
    def _index(self) -> Mapping[tuple[str, str, str], Rule]:
        return {r.key: r for r in self.rules}

    def rule_for(self, step: str, report_type: str, sla_class: str) -> Rule:
        index = self._index
        for key in (
            (report_type, sla_class, step),
            (report_type, ANY, step),
            (ANY, sla_class, step),
            (ANY, ANY, step),
        ):
            rule = index.get(key)
            if rule is not None:
                return rule
        raise NoRuleError(f"no SLA rule for step={step} type={report_type} class={sla_class}")

    def missing(
        self,
        report_types: Iterable[str] = REPORT_TYPES,
        sla_classes: Iterable[str] = SLA_CLASSES,
        steps: Iterable[str] = LADDER_STEPS,
    ) -> list[tuple[str, str, str]]:
        """Every (step, type, class) for which no rule applies (empty for a complete ladder)."""
        gaps = []
        classes = list(sla_classes)
        types = list(report_types)
        for step in steps:
            for report_type in types:
                for sla_class in classes:
                    try:
                        self.rule_for(step, report_type, sla_class)
                    except NoRuleError:
                        gaps.append((str(step), report_type, sla_class))
        return gaps


DEFAULT_LADDER = Ladder(
    rules=(
        Rule(Step.VERIFICATION, 3),
        Rule(Step.FIRST_RESPONSE, 5),
        Rule(Step.COMPLETION, 5, sla_class="information_request"),
        Rule(Step.COMPLETION, 14, sla_class="complaint"),
        Rule(Step.COMPLETION, 60, sla_class="misconduct"),
        Rule(Step.FOLLOW_UP, 5),
        Rule(Step.CLOSING, 10),
    ),
    cutoff_hour=DEFAULT_CUTOFF_HOUR,
)


def end_of_day(day: date, tz: tzinfo = JAKARTA) -> datetime:
    """23:59:59 of ``day`` in ``tz``: a deadline is met by anything done on its due day."""
    return datetime.combine(day, END_OF_DAY, tzinfo=tz)


def _local(moment: datetime, tz: tzinfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(tz)


def clock_start(received_at: datetime, cutoff_hour: int, cal: WorkCalendar, tz: tzinfo) -> date:
    """The day a report counts as received, from which its working days are counted.

    In ``tz``: received on a working day strictly before ``cutoff_hour``:00:00 → that day;
    received at or after the cut-off, or on a non-working day → the next working day.
    Deadlines are then ``add_working_days(clock_start, n)``: counting starts the day after.
    """
    local = _local(received_at, tz)
    day = local.date()
    before_cutoff = cutoff_hour >= 24 or local.time() < time(cutoff_hour)
    if before_cutoff and is_working_day(day, cal):
        return day
    return add_working_days(day, 1, cal)


def due_date(
    step: str,
    report_type: str,
    sla_class: str,
    start: date,
    ladder: Ladder,
    cal: WorkCalendar,
    *,
    paused_days: int = 0,
) -> date:
    """The due day of ``step`` counted from the clock-start day ``start``.

    ``paused_days`` (in the rule's unit) moves the due day later: the days the clock was paused.
    """
    if paused_days < 0:
        raise ValueError("paused_days must be zero or positive")
    rule = ladder.rule_for(step, report_type, sla_class)
    if rule.working_days:
        return add_working_days(start, rule.days + paused_days, cal)
    return start + timedelta(days=rule.days + paused_days)


def due_at(
    step: str,
    report_type: str,
    sla_class: str,
    start_at: date | datetime,
    ladder: Ladder,
    cal: WorkCalendar,
    *,
    paused_days: int = 0,
    tz: tzinfo = JAKARTA,
) -> datetime:
    """The deadline of ``step``: 23:59:59 (``tz``) of the due day.

    ``start_at`` is either the clock-start day (a ``date``) or the moment the step's clock started
    (a ``datetime``, e.g. the submission or the disposition), to which the ladder's cut-off hour
    applies via ``clock_start``.
    """
    if isinstance(start_at, datetime):
        start = clock_start(start_at, ladder.cutoff_hour, cal, tz)
    else:
        start = start_at
    return end_of_day(
        due_date(step, report_type, sla_class, start, ladder, cal, paused_days=paused_days), tz
    )


def paused_working_days(
    paused_at: datetime, resumed_at: datetime, cal: WorkCalendar, tz: tzinfo = JAKARTA
) -> int:
    """Working days lost to a pause: those after the pause day, up to and including the resume day.

    Paused and resumed on the same day → 0; paused Monday, resumed Wednesday → 2 (Tue, Wed).
    """
    start = _local(paused_at, tz).date()
    end = _local(resumed_at, tz).date()
    if end <= start:
        return 0
    return working_days_between(start, end, cal)


def shift_deadline(
    deadline: datetime, working_days: int, cal: WorkCalendar, tz: tzinfo = JAKARTA
) -> datetime:
    """The deadline moved ``working_days`` working days later (a pause or an extension)."""
    if working_days < 0:
        raise ValueError("working_days must be zero or positive")
    if working_days == 0:
        return deadline
    return end_of_day(add_working_days(_local(deadline, tz).date(), working_days, cal), tz)


def resume_deadline(
    deadline: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    cal: WorkCalendar,
    tz: tzinfo = JAKARTA,
) -> datetime:
    """The deadline after a postponement: moved by the working days the pause lasted."""
    return shift_deadline(deadline, paused_working_days(paused_at, resumed_at, cal, tz), cal, tz)


class ExtensionProblem(StrEnum):
    ALREADY_EXTENDED = "already_extended"
    TOO_LONG = "too_long"
    NOT_POSITIVE = "not_positive"
    REASON_REQUIRED = "reason_required"


@dataclass(frozen=True)
class ExtensionCheck:
    allowed: bool
    problem: ExtensionProblem | None = None


def extension_allowed(
    *, original_days: int, requested_days: int, extensions_used: int, reason: str
) -> ExtensionCheck:
    """An extension is granted once, for at most the original length, with a written reason."""
    if extensions_used > 0:
        return ExtensionCheck(False, ExtensionProblem.ALREADY_EXTENDED)
    if requested_days <= 0:
        return ExtensionCheck(False, ExtensionProblem.NOT_POSITIVE)
    if requested_days > original_days:
        return ExtensionCheck(False, ExtensionProblem.TOO_LONG)
    if not reason.strip():
        return ExtensionCheck(False, ExtensionProblem.REASON_REQUIRED)
    return ExtensionCheck(True)


def sla_state(
    now: datetime, deadline: datetime, cal: WorkCalendar, tz: tzinfo = JAKARTA
) -> SlaState:
    """``late`` after the deadline; ``near_due`` when one working day or less is left, i.e. the
    due day is today or the next working day; ``on_time`` otherwise."""
    if now > deadline:
        return SlaState.LATE
    left = working_days_between(_local(now, tz).date(), _local(deadline, tz).date(), cal)
    return SlaState.NEAR_DUE if left <= 1 else SlaState.ON_TIME


def is_late(
    due_at: datetime,
    *,
    met_at: datetime | None = None,
    ended_at: datetime | None = None,
    paused_at: datetime | None = None,
    now: datetime,
) -> bool:
    """A step is late once its due time passed without it: the first of the moment it was met,
    it stopped running, it was paused, or now, came after the due time. Whatever happens later
    (a reply, a forward, a referral) does not undo it."""
    for moment in (met_at, ended_at, paused_at):
        if moment is not None:
            return moment > due_at
    return now > due_at


def referral_allowed(
    *,
    completion_due: datetime | None,
    completion_met_at: datetime | None,
    disputed: bool,
    now: datetime,
) -> bool:
    """The reporter may ask for a referral to the Ombudsman once the organisation left the report
    uncompleted past its completion deadline, or after disputing its follow-up (domain.md §3:
    the Ombudsman takes a complaint only after the provider left it unanswered or unresolved)."""
    if disputed:
        return True
    if completion_due is None:
        return False
    return is_late(completion_due, met_at=completion_met_at, now=now)
