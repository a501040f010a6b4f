"""Working-day arithmetic: properties against a plain reference and the real 2022–2027 calendar."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.deadlines.workdays import (
    OutsideCalendarError,
    Override,
    OverrideKind,
    ReasonCode,
    WorkCalendar,
    add_working_days,
    add_working_days_many,
    explain_deadline,
    is_working_day,
    working_days_between,
)

REAL_CSV = (
    Path(__file__).resolve().parents[3].parent
    / "shared/data/real/id-holidays/hari_libur_cuti_bersama_2022_2027.csv"
)

CAL = WorkCalendar.from_holidays(range(2022, 2029))
starts = st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31))
counts = st.integers(min_value=0, max_value=80)


@cache
def real_rows() -> dict[date, dict[str, str]]:
    with REAL_CSV.open(encoding="utf-8") as handle:
        return {date.fromisoformat(r["tanggal"]): r for r in csv.DictReader(handle)}


@cache
def reference_days_off() -> frozenset[date]:
    """The published list for 2022–2027, and the package's list for 2028 (results may spill)."""
    extra = holidays.country_holidays(
        "ID", years=2028, categories=("public", "government"), language="id"
    )
    return frozenset(real_rows()) | frozenset(extra)


def reference_add(start: date, n: int) -> date:
    """A plain day-by-day count: Monday–Friday minus the listed days off."""

    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in reference_days_off()

    day = start
    if n == 0:
        while not working(day):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if working(day):
            counted += 1
    return day


working_starts = starts.filter(lambda d: is_working_day(d, CAL))


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts)
def test_add_working_days_matches_the_plain_reference(start, n):
    # given a start day and a count / when added / then it equals the day-by-day count
    assert add_working_days(start, n, CAL) == reference_add(start, n)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=counts)
def test_the_result_is_always_a_working_day_and_between_counts_back(start, n):
    # given a start and a count / when added
    due = add_working_days(start, n, CAL)
    # then the due day is a working day, not before the start, and exactly n working days later
    assert is_working_day(due, CAL)
    assert due >= start
    if n >= 1:
        assert due > start
        assert working_days_between(start, due, CAL) == n


@settings(max_examples=200, deadline=None)
@given(a=starts, b=starts, n=counts, m=counts)
def test_add_working_days_is_monotonic(a, b, n, m):
    # given two starts and two counts, ordered
    lo, hi = sorted((a, b))
    k1, k2 = sorted((n, m))
    # when / then a later start or a longer count never gives an earlier due day
    assert add_working_days(lo, k1, CAL) <= add_working_days(hi, k1, CAL)
    assert add_working_days(lo, k1, CAL) <= add_working_days(lo, k2, CAL)


@settings(max_examples=200, deadline=None)
@given(start=working_starts, n=counts, m=counts)
def test_adding_in_two_steps_equals_adding_once_from_a_working_day(start, n, m):
    # given a working start day / when added in two steps / then the same as at once
    assert add_working_days(start, n + m, CAL) == add_working_days(
        add_working_days(start, n, CAL), m, CAL
    )


def test_zero_working_days_is_the_start_if_working_else_the_next_working_day():
    # given a working Thursday and a Saturday before a Monday holiday (2025-03-29, -31, 04-01...)
    # when / then
    assert add_working_days(date(2025, 3, 27), 0, CAL) == date(2025, 3, 27)
    assert add_working_days(date(2025, 3, 29), 0, CAL) == date(2025, 4, 8)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 3, 27), -1, CAL)


def test_every_listed_day_is_not_a_working_day_with_the_listed_kind():
    # given the published list of 2022–2027 (155 days)
    rows = real_rows()
    assert len(rows) == 155
    for day, row in rows.items():
        # when explained / then not working, and the reason follows the list's kind
        reason = explain_deadline(day - timedelta(days=1), 1, CAL)
        assert not is_working_day(day, CAL), day
        if day.weekday() < 5:
            skipped = {s.date: s for s in reason.skipped}
            expected = (
                ReasonCode.CUTI_BERSAMA if row["jenis"] == "cuti_bersama" else ReasonCode.HOLIDAY
            )
            assert skipped[day].reason_code == expected, day
            assert skipped[day].name == row["nama"], day


def test_every_weekday_not_listed_is_a_working_day():
    # given every Monday–Friday of 2022–2027 missing from the list / then each is a working day
    rows = real_rows()
    day = date(2022, 1, 1)
    checked = 0
    while day <= date(2027, 12, 31):
        if day.weekday() < 5 and day not in rows:
            assert is_working_day(day, CAL), day
            checked += 1
        day += timedelta(days=1)
    assert checked > 1400


def test_2025_08_18_is_cuti_bersama_in_the_package_and_the_list():
    # given the Monday after Independence Day 2025, which the government announced as an extra
    # day off in August 2025 and which the holidays package files under cuti bersama
    day = date(2025, 8, 18)
    # when / then it is not a working day, explained as cuti bersama, and the list agrees
    assert not is_working_day(day, CAL)
    explanation = explain_deadline(date(2025, 8, 15), 1, CAL)
    assert explanation.due == date(2025, 8, 19)
    assert [(s.date, s.reason_code) for s in explanation.skipped] == [
        (date(2025, 8, 16), ReasonCode.WEEKEND),
        (date(2025, 8, 17), ReasonCode.HOLIDAY),
        (date(2025, 8, 18), ReasonCode.CUTI_BERSAMA),
    ]
    assert real_rows()[day]["jenis"] == "cuti_bersama"


def test_explain_deadline_of_the_issue_example():
    # given Thursday 2025-03-27 and 3 working days (Nyepi and Idul Fitri follow)
    # when explained
    explanation = explain_deadline(date(2025, 3, 27), 3, CAL)
    # then due 2025-04-10 with every skipped day and its reason
    assert explanation.due == date(2025, 4, 10)
    assert [(s.date.isoformat(), str(s.reason_code)) for s in explanation.skipped] == [
        ("2025-03-28", "cuti_bersama"),
        ("2025-03-29", "holiday"),  # Nyepi on a Saturday: the holiday's name is the reason
        ("2025-03-30", "weekend"),
        ("2025-03-31", "holiday"),
        ("2025-04-01", "holiday"),
        ("2025-04-02", "cuti_bersama"),
        ("2025-04-03", "cuti_bersama"),
        ("2025-04-04", "cuti_bersama"),
        ("2025-04-05", "weekend"),
        ("2025-04-06", "weekend"),
        ("2025-04-07", "cuti_bersama"),
    ]
    assert explanation.skipped[1].name == "Hari Suci Nyepi"
    assert explanation.skipped[2].name == "Minggu"


def test_overrides_change_the_result_and_the_reason():
    # given a decree making Tuesday 2025-04-08 a day off, and one making Saturday 04-05 working
    day_off = Override(date(2025, 4, 8), OverrideKind.DAY_OFF, "Libur tambahan", "Keppres 1/2025")
    saturday = Override(date(2025, 4, 5), OverrideKind.WORKING_DAY, "Hari kerja", "SE 2/2025")
    # when the deadline of the example is computed with each
    with_day_off = explain_deadline(date(2025, 3, 27), 3, CAL.with_overrides([day_off]))
    with_saturday = CAL.with_overrides([saturday])
    # then it moves a day later, resp. earlier, and the decree is the reason
    assert with_day_off.due == date(2025, 4, 11)
    assert (date(2025, 4, 8), ReasonCode.DECREE, "Libur tambahan") in [
        (s.date, s.reason_code, s.name) for s in with_day_off.skipped
    ]
    assert add_working_days(date(2025, 3, 27), 3, with_saturday) == date(2025, 4, 9)
    # and a working-day decree on a holiday makes it working
    cancelled = Override(date(2025, 4, 7), OverrideKind.WORKING_DAY, "Masuk", "SE 3/2025")
    assert add_working_days(date(2025, 3, 27), 1, CAL.with_overrides([cancelled])) == date(
        2025, 4, 7
    )


def test_outside_the_calendar_is_an_error():
    # given a calendar of 2022–2028 / when asked about 2030 / then it refuses
    with pytest.raises(OutsideCalendarError):
        add_working_days(date(2030, 1, 1), 1, CAL)
    with pytest.raises(OutsideCalendarError):
        add_working_days(date(2028, 12, 20), 30, CAL)


def test_working_days_between_counts_end_not_start():
    # given the example week / then (a, b] is counted, and reversed is negative
    assert working_days_between(date(2025, 3, 27), date(2025, 4, 10), CAL) == 3
    assert working_days_between(date(2025, 4, 10), date(2025, 3, 27), CAL) == -3
    assert working_days_between(date(2025, 4, 10), date(2025, 4, 10), CAL) == 0


@settings(max_examples=40, deadline=None)
@given(
    pairs=st.lists(st.tuples(starts, counts), min_size=1, max_size=50),
    weekend_working=st.booleans(),
)
def test_vectorised_equals_the_scalar_function(pairs, weekend_working):
    # given random starts and counts, with or without a Saturday made a working day
    cal = CAL
    if weekend_working:
        cal = CAL.with_overrides(
            [Override(date(2025, 4, 5), OverrideKind.WORKING_DAY, "Hari kerja", "SE 2/2025")]
        )
    start_arr = np.array([s for s, _ in pairs], dtype="datetime64[D]")
    n_arr = np.array([n for _, n in pairs])
    # when computed at once
    due = add_working_days_many(start_arr, n_arr, cal)
    # then each equals the scalar result
    assert [d.astype(object) for d in due] == [add_working_days(s, n, cal) for s, n in pairs]


def test_vectorised_rejects_bad_input():
    # given negative counts, or a start outside the calendar / then errors
    with pytest.raises(ValueError):
        add_working_days_many(np.array(["2025-01-01"], "datetime64[D]"), np.array([-1]), CAL)
    with pytest.raises(OutsideCalendarError):
        add_working_days_many(np.array(["2035-01-01"], "datetime64[D]"), np.array([1]), CAL)
    empty = add_working_days_many(np.array([], "datetime64[D]"), np.array([], int), CAL)
    assert empty.size == 0


def test_a_decree_can_relabel_a_holiday():
    # given a day-off decree recorded for 2025-08-18, already cuti bersama in the package
    decree = Override(
        date(2025, 8, 18), OverrideKind.DAY_OFF, "Libur Hari Kemerdekaan", "SKB 3 Menteri 2025"
    )
    cal = CAL.with_overrides([decree])
    # when explained / then the decree is the reason, and the due day does not move
    explanation = explain_deadline(date(2025, 8, 15), 1, cal)
    assert explanation.skipped[-1].reason_code == ReasonCode.DECREE
    assert explanation.skipped[-1].name == "Libur Hari Kemerdekaan"
    assert explanation.due == add_working_days(date(2025, 8, 15), 1, CAL) == date(2025, 8, 19)
