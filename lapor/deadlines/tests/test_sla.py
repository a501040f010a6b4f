"""The SLA rules: cut-off, due times, classes, pauses, extensions, lateness, the colour state,
the referral condition, the ladder."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lapor.deadlines import sla
from lapor.deadlines.sla import (
    DEFAULT_LADDER,
    JAKARTA,
    ExtensionProblem,
    Ladder,
    NoRuleError,
    Rule,
    SlaState,
    Step,
    clock_start,
    due_at,
    extension_allowed,
    paused_working_days,
    resume_deadline,
    sla_state,
)
from lapor.deadlines.workdays import WorkCalendar

CAL = WorkCalendar.from_holidays(range(2024, 2027))


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (wib(2025, 3, 27, 10, 0), date(2025, 3, 27)),  # working Thursday morning
        (wib(2025, 3, 27, 15, 59, 59), date(2025, 3, 27)),  # one second before the cut-off
        (wib(2025, 3, 27, 16, 0), date(2025, 4, 8)),  # at the cut-off: next working day
        (wib(2025, 6, 7, 9, 0), date(2025, 6, 10)),  # Saturday; Monday 06-09 is cuti bersama
        (wib(2025, 6, 2, 0, 0), date(2025, 6, 2)),  # midnight Monday
        (datetime(2025, 6, 2, 8, 59, tzinfo=UTC), date(2025, 6, 2)),  # 15:59 WIB
        (datetime(2025, 6, 2, 9, 0, tzinfo=UTC), date(2025, 6, 3)),  # 16:00 WIB
        (datetime(2025, 6, 1, 20, 0, tzinfo=UTC), date(2025, 6, 2)),  # Sunday UTC = Monday WIB
    ],
)
def test_clock_start_applies_the_cutoff_and_non_working_days(received, expected):
    # given a receipt time / when the clock starts / then on the expected day
    assert clock_start(received, 16, CAL, JAKARTA) == expected


def test_clock_start_needs_an_aware_time_and_the_cutoff_is_configurable():
    # given a naive time / then refused; given cut-off 12 / then 13:00 counts from the next day
    with pytest.raises(ValueError):
        clock_start(datetime(2025, 6, 2, 10), 16, CAL, JAKARTA)
    assert clock_start(wib(2025, 6, 2, 13, 0), 12, CAL, JAKARTA) == date(2025, 6, 3)


def test_due_at_is_the_end_of_the_due_working_day():
    # given a report received Monday 2025-06-02 10:00 (Idul Adha Fri 06-06, cuti Mon 06-09)
    received = wib(2025, 6, 2, 10, 0)
    # when the verification and follow-up deadlines are computed
    verification = due_at(
        Step.VERIFICATION, "pengaduan", "complaint", received, DEFAULT_LADDER, CAL
    )
    follow_up = due_at(Step.FIRST_RESPONSE, "pengaduan", "complaint", received, DEFAULT_LADDER, CAL)
    # then 3 working days: Tue, Wed, Thu at 23:59:59 WIB; 5: ... Tue 06-10, Wed 06-11
    assert verification == wib(2025, 6, 5, 23, 59, 59)
    assert follow_up == wib(2025, 6, 11, 23, 59, 59)
    # and a date start counts from the day after it
    assert due_at(
        Step.VERIFICATION, "pengaduan", "complaint", date(2025, 6, 2), DEFAULT_LADDER, CAL
    ) == wib(2025, 6, 5, 23, 59, 59)


@pytest.mark.parametrize(
    ("report_type", "sla_class", "days"),
    [
        ("permintaan_informasi", "information_request", 5),
        ("pengaduan", "complaint", 14),
        ("aspirasi", "complaint", 14),
        ("pengaduan", "misconduct", 60),
        ("whistleblowing", "misconduct", 60),
    ],
)
def test_completion_depends_on_the_class(report_type, sla_class, days):
    # given the default ladder / when the completion rule is looked up / then 5 / 14 / 60
    assert DEFAULT_LADDER.rule_for(Step.COMPLETION, report_type, sla_class).days == days


@pytest.mark.parametrize(
    ("report_type", "sla_class"),
    [
        ("permintaan_informasi", "information_request"),
        ("pengaduan", "complaint"),
        ("aspirasi", "complaint"),
        ("whistleblowing", "misconduct"),
    ],
)
def test_the_class_defaults_from_the_type(report_type, sla_class):
    assert sla.default_class(report_type) == sla_class


def test_default_ladder_values_and_completeness():
    # given the default ladder / then every step has its value and nothing is missing
    rule = DEFAULT_LADDER.rule_for
    assert rule(Step.VERIFICATION, "pengaduan", "complaint").days == 3
    assert rule(Step.FIRST_RESPONSE, "aspirasi", "complaint").days == 5
    assert rule(Step.FOLLOW_UP, "pengaduan", "misconduct").days == 5
    assert rule(Step.CLOSING, "pengaduan", "complaint").days == 10
    assert DEFAULT_LADDER.missing() == []


def test_ladder_validation():
    # given broken ladders / then refused, and an unknown combination has no rule
    with pytest.raises(ValueError):
        Ladder(rules=(Rule(Step.CLOSING, 10), Rule(Step.CLOSING, 11)))
    with pytest.raises(ValueError):
        Ladder(rules=(Rule(Step.ESCALATION, 60, working_days=True),))
    with pytest.raises(ValueError):
        Ladder(rules=(Rule("coffee_break", 1),))
    partial = Ladder(rules=(Rule(Step.COMPLETION, 14, sla_class="complaint"),))
    with pytest.raises(NoRuleError):
        partial.rule_for(Step.COMPLETION, "pengaduan", "misconduct")
    assert ("completion", "pengaduan", "misconduct") in partial.missing()


def test_a_pause_moves_the_due_day_by_the_working_days_paused():
    # given a follow-up due Wednesday 2025-06-11, paused Tuesday 06-03 10:00 to Thursday 06-05
    deadline = wib(2025, 6, 11, 23, 59, 59)
    paused_at, resumed_at = wib(2025, 6, 3, 10, 0), wib(2025, 6, 5, 9, 0)
    # when the pause ends
    lost = paused_working_days(paused_at, resumed_at, CAL)
    moved = resume_deadline(deadline, paused_at, resumed_at, CAL)
    # then 2 working days were lost (Wed, Thu) and the due day moves from Wed to Fri 06-13
    assert lost == 2
    assert moved == wib(2025, 6, 13, 23, 59, 59)
    # and the same as computing with paused_days
    received = wib(2025, 6, 2, 10, 0)
    assert (
        due_at(
            Step.FOLLOW_UP, "pengaduan", "complaint", received, DEFAULT_LADDER, CAL, paused_days=2
        )
        == moved
    )
    # a pause within one day costs nothing; a pause over a weekend only its working days
    assert paused_working_days(wib(2025, 6, 3, 8), wib(2025, 6, 3, 17), CAL) == 0
    assert paused_working_days(wib(2025, 6, 13, 8), wib(2025, 6, 16, 8), CAL) == 1


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"extensions_used": 0, "requested_days": 5, "reason": "Perlu data dari dinas"}, None),
        ({"extensions_used": 0, "requested_days": 14, "reason": "Perlu data"}, None),
        ({"extensions_used": 1, "requested_days": 2, "reason": "Lagi"}, "already_extended"),
        ({"extensions_used": 0, "requested_days": 15, "reason": "Lama"}, "too_long"),
        ({"extensions_used": 0, "requested_days": 0, "reason": "Nol"}, "not_positive"),
        ({"extensions_used": 0, "requested_days": 3, "reason": "   "}, "reason_required"),
    ],
)
def test_extension_is_once_bounded_and_reasoned(kwargs, problem):
    # given a 14-working-day step / when an extension is asked / then the bound applies
    check = extension_allowed(original_days=14, **kwargs)
    assert check.allowed is (problem is None)
    assert check.problem == (ExtensionProblem(problem) if problem else None)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (wib(2025, 6, 11, 8, 0), SlaState.ON_TIME),  # Wed: due Fri 06-13, 2 working days left
        (wib(2025, 6, 12, 8, 0), SlaState.NEAR_DUE),  # Thu: 1 working day left
        (wib(2025, 6, 13, 8, 0), SlaState.NEAR_DUE),  # the due day itself
        (wib(2025, 6, 13, 23, 59, 59), SlaState.NEAR_DUE),  # the last second is still in time
        (wib(2025, 6, 14, 0, 0), SlaState.LATE),  # one second after
    ],
)
def test_sla_state_boundaries(now, state):
    # given a deadline at the end of Friday 2025-06-13 / then the colour at each moment
    assert sla_state(now, wib(2025, 6, 13, 23, 59, 59), CAL) == state


def test_sla_state_over_a_weekend_counts_working_days():
    # given a deadline Monday 2025-06-16 / when it is Friday or Saturday / then near due
    deadline = wib(2025, 6, 16, 23, 59, 59)
    assert sla_state(wib(2025, 6, 13, 9), deadline, CAL) == SlaState.NEAR_DUE
    assert sla_state(wib(2025, 6, 14, 9), deadline, CAL) == SlaState.NEAR_DUE
    assert sla_state(wib(2025, 6, 12, 9), deadline, CAL) == SlaState.ON_TIME


# The regulation's table (PermenPANRB 62/2018, continued by 5/2025), counted from the
# organisation's receipt, across the holidays of the shared 2022-2027 calendar.
@pytest.mark.parametrize(
    ("received", "step", "sla_class", "due"),
    [
        # received Thursday 2025-03-27 10:00: Nyepi (cuti 03-28), Idul Fitri (03-31, 04-01),
        # cuti bersama 04-02..04-07 skipped; Good Friday 04-18 skipped
        (wib(2025, 3, 27, 10, 0), Step.FIRST_RESPONSE, "complaint", wib(2025, 4, 14, 23, 59, 59)),
        (
            wib(2025, 3, 27, 10, 0),
            Step.COMPLETION,
            "information_request",
            wib(2025, 4, 14, 23, 59, 59),
        ),
        (wib(2025, 3, 27, 10, 0), Step.COMPLETION, "complaint", wib(2025, 4, 28, 23, 59, 59)),
        (wib(2025, 3, 27, 10, 0), Step.COMPLETION, "misconduct", wib(2025, 7, 11, 23, 59, 59)),
        # received Monday 2025-12-22 16:30, after the cut-off: counted from Tuesday 12-23;
        # Christmas 12-25, cuti 12-26, New Year 01-01 skipped (Isra Mikraj 01-16 just after)
        (wib(2025, 12, 22, 16, 30), Step.FIRST_RESPONSE, "complaint", wib(2026, 1, 2, 23, 59, 59)),
        (wib(2025, 12, 22, 16, 30), Step.COMPLETION, "complaint", wib(2026, 1, 15, 23, 59, 59)),
    ],
)
def test_the_regulations_deadlines_from_receipt(received, step, sla_class, due):
    assert due_at(step, "pengaduan", sla_class, received, DEFAULT_LADDER, CAL) == due


def test_a_step_is_late_once_its_due_time_passed_without_it():
    due = wib(2025, 6, 13, 23, 59, 59)
    # met in time, met late, stopped (forwarded) late, paused before the due time, still open
    assert not sla.is_late(due, met_at=wib(2025, 6, 13, 23, 0), now=wib(2025, 7, 1))
    assert sla.is_late(due, met_at=wib(2025, 6, 14, 0, 0), now=wib(2025, 7, 1))
    assert sla.is_late(due, ended_at=wib(2025, 6, 16, 9), now=wib(2025, 7, 1))
    assert not sla.is_late(due, paused_at=wib(2025, 6, 12, 9), now=wib(2025, 7, 1))
    assert sla.is_late(due, now=wib(2025, 6, 14, 0, 0, 1))
    assert not sla.is_late(due, now=due)


def test_referral_needs_a_missed_completion_or_a_dispute():
    due = wib(2025, 6, 13, 23, 59, 59)
    before, after = wib(2025, 6, 13, 9), wib(2025, 6, 16, 9)
    allowed = sla.referral_allowed
    assert not allowed(completion_due=due, completion_met_at=None, disputed=False, now=before)
    assert allowed(completion_due=due, completion_met_at=None, disputed=False, now=after)
    # completed in time: only a dispute opens it; completed late: it is open
    on_time = wib(2025, 6, 12, 9)
    assert not allowed(completion_due=due, completion_met_at=on_time, disputed=False, now=after)
    assert allowed(completion_due=due, completion_met_at=on_time, disputed=True, now=after)
    assert allowed(completion_due=due, completion_met_at=after, disputed=False, now=after)
    # not received by any organisation yet: no completion deadline, only a dispute would do
    assert not allowed(completion_due=None, completion_met_at=None, disputed=False, now=after)


def test_shift_deadline_for_an_extension():
    # given a deadline on Thursday 2025-06-05 / when extended by 3 working days
    moved = sla.shift_deadline(wib(2025, 6, 5, 23, 59, 59), 3, CAL)
    # then Idul Adha (Fri) and cuti bersama (Mon) are skipped: Tue, Wed, Thu 06-12
    assert moved == wib(2025, 6, 12, 23, 59, 59)
    assert sla.shift_deadline(moved, 0, CAL) == moved
