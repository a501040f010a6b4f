"""The SLA rules: cut-off, due times, pauses, extensions, the colour state, escalation, ladder."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

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
    escalation_allowed,
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
    verification = due_at(Step.VERIFICATION, "pengaduan", "simple", received, DEFAULT_LADDER, CAL)
    follow_up = due_at(Step.FOLLOW_UP, "pengaduan", "simple", received, DEFAULT_LADDER, CAL)
    # then 3 working days: Tue, Wed, Thu at 23:59:59 WIB; 5: ... Tue 06-10, Wed 06-11
    assert verification == wib(2025, 6, 5, 23, 59, 59)
    assert follow_up == wib(2025, 6, 11, 23, 59, 59)
    # and a date start counts from the day after it
    assert due_at(
        Step.VERIFICATION, "pengaduan", "simple", date(2025, 6, 2), DEFAULT_LADDER, CAL
    ) == wib(2025, 6, 5, 23, 59, 59)


@pytest.mark.parametrize(
    ("report_type", "sla_class", "days"),
    [
        ("permintaan_informasi", "simple", 5),
        ("permintaan_informasi", "field_check", 5),  # the type rule beats the class rule
        ("pengaduan", "simple", 5),
        ("aspirasi", "simple", 5),
        ("pengaduan", "dispute", 14),
        ("pengaduan", "field_check", 60),
    ],
)
def test_the_follow_up_rule_depends_on_type_and_class(report_type, sla_class, days):
    # given the default ladder / when the follow-up rule is looked up / then the value
    assert DEFAULT_LADDER.rule_for(Step.FOLLOW_UP, report_type, sla_class).days == days


def test_default_ladder_values_and_completeness():
    # given the default ladder / then every step has its value and nothing is missing
    rule = DEFAULT_LADDER.rule_for
    assert rule(Step.VERIFICATION, "pengaduan", "simple").days == 3
    assert rule(Step.FIRST_RESPONSE, "aspirasi", "dispute").days == 3
    assert rule(Step.CLOSING, "pengaduan", "simple").days == 10
    escalation = rule(Step.ESCALATION, "pengaduan", "simple")
    assert (escalation.days, escalation.working_days) == (60, False)
    assert DEFAULT_LADDER.missing() == []


def test_ladder_validation():
    # given broken ladders / then refused, and an unknown combination has no rule
    with pytest.raises(ValueError):
        Ladder(rules=(Rule(Step.CLOSING, 10), Rule(Step.CLOSING, 11)))
    with pytest.raises(ValueError):
        Ladder(rules=(Rule(Step.ESCALATION, 60, working_days=True),))
    with pytest.raises(ValueError):
        Ladder(rules=(Rule("coffee_break", 1),))
    partial = Ladder(rules=(Rule(Step.FOLLOW_UP, 5, sla_class="simple"),))
    with pytest.raises(NoRuleError):
        partial.rule_for(Step.FOLLOW_UP, "pengaduan", "dispute")
    assert ("follow_up", "pengaduan", "dispute") in partial.missing()


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
        due_at(Step.FOLLOW_UP, "pengaduan", "simple", received, DEFAULT_LADDER, CAL, paused_days=2)
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


def test_escalation_after_sixty_calendar_days():
    # given a report submitted 2025-01-10 10:00 / then escalation is allowed from 60 × 24 h later
    submitted = wib(2025, 1, 10, 10, 0)
    limit = submitted + timedelta(days=60)
    assert not escalation_allowed(submitted, limit - timedelta(seconds=1), DEFAULT_LADDER)
    assert escalation_allowed(submitted, limit, DEFAULT_LADDER)
    assert sla.escalation_due(submitted, DEFAULT_LADDER) == wib(2025, 3, 11, 10, 0)


def test_shift_deadline_for_an_extension():
    # given a deadline on Thursday 2025-06-05 / when extended by 3 working days
    moved = sla.shift_deadline(wib(2025, 6, 5, 23, 59, 59), 3, CAL)
    # then Idul Adha (Fri) and cuti bersama (Mon) are skipped: Tue, Wed, Thu 06-12
    assert moved == wib(2025, 6, 12, 23, 59, 59)
    assert sla.shift_deadline(moved, 0, CAL) == moved
