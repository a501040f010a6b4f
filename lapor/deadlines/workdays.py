"""Working-day arithmetic on the Indonesian calendar (pure: no Django; time is a parameter).

A *working day* (hari kerja) is Monday–Friday, minus the national public holidays and the
collective-leave days (*cuti bersama*) decreed each year, corrected by administrator overrides:

1. an override decides first: ``DAY_OFF`` makes a day non-working (an extra day off by decree),
   ``WORKING_DAY`` makes it working (e.g. a Saturday declared a replacement working day, or a
   holiday cancelled);
2. otherwise Saturday and Sunday are not working days;
3. otherwise a day listed by the ``holidays`` package for Indonesia, categories ``public``
   (hari libur nasional, including the election days) and ``government`` (cuti bersama), is not a
   working day.

Counting rule (used by every function here): *n working days after a start day* counts from the
day AFTER the start, so ``add_working_days(start, n)`` is the n-th working day strictly after
``start`` — the start day itself never counts, whether or not it is a working day. ``n = 0`` is
the chosen convention for "no delay": it returns ``start`` when that is a working day and
otherwise the next working day (the first day on which work on the matter can happen).

2025-08-18 (Monday after Independence Day): ``holidays`` 0.109 lists it in the ``government``
category as "Cuti Bersama Hari Kemerdekaan Republik Indonesia". The government announced it in
August 2025 as an additional day off for the whole country; either way it is not a working day
here, and its reason code is ``cuti_bersama`` (an administrator may record the decree with a
``DAY_OFF`` override to show it as ``decree`` with its legal basis).

The calendar covers a fixed range of years (``WorkCalendar.first_year``..``last_year``); asking
for a day outside it raises ``OutsideCalendarError`` rather than silently ignoring the holidays
of a year that was never loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np

WEEKMASK = "1111100"  # Monday..Sunday, 1 = may be a working day
_WEEKEND_NAMES = {5: "Sabtu", 6: "Minggu"}


class OverrideKind(StrEnum):
    """Same values as ``lapor.deadlines.choices.OverrideKind``."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


class ReasonCode(StrEnum):
    """Why a day is not a working day."""

    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # hari libur nasional (incl. election days)
    CUTI_BERSAMA = "cuti_bersama"  # collective leave (holidays category "government")
    DECREE = "decree"  # an administrator override with its legal basis


class OutsideCalendarError(ValueError):
    """A day outside the years the calendar was built for."""


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    is_cuti_bersama: bool = False


@dataclass(frozen=True)
class Override:
    day: date
    kind: OverrideKind
    name: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class SkippedDay:
    date: date
    reason_code: ReasonCode
    name: str


@dataclass(frozen=True)
class Explanation:
    start: date
    working_days: int
    due: date
    skipped: list[SkippedDay]


def _freeze(items: Mapping[date, Any] | None) -> Mapping[date, Any]:
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True, eq=False)
class WorkCalendar:
    """Holidays and overrides for the years ``first_year``..``last_year`` (inclusive).

    Build it with ``WorkCalendar.from_holidays(years, overrides)`` for the real Indonesian
    calendar, or directly with your own ``holidays`` mapping (tests, other countries).
    """

    first_year: int
    last_year: int
    holidays: Mapping[date, Holiday] = field(default_factory=dict)
    overrides: Mapping[date, Override] = field(default_factory=dict)
    # derived, for the vectorised functions
    _busdaycal: np.busdaycalendar = field(init=False, repr=False)
    _working: np.ndarray = field(init=False, repr=False)
    _weekend_working: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise ValueError("first_year must not be after last_year")
        object.__setattr__(self, "holidays", _freeze(self.holidays))
        object.__setattr__(self, "overrides", _freeze(self.overrides))
        off = {d for d in self.holidays if d.weekday() < 5}
        for day, override in self.overrides.items():
            if override.kind == OverrideKind.DAY_OFF:
                off.add(day)
            else:
                off.discard(day)
        off_in_range = sorted(d for d in off if self.first_year <= d.year <= self.last_year)
        object.__setattr__(
            self,
            "_busdaycal",
            np.busdaycalendar(weekmask=WEEKMASK, holidays=np.array(off_in_range, "datetime64[D]")),
        )
        weekend_working = any(
            o.kind == OverrideKind.WORKING_DAY and d.weekday() >= 5
            for d, o in self.overrides.items()
        )
        object.__setattr__(self, "_weekend_working", weekend_working)
        # every working day of the range, as day numbers, for the general vectorised path
        first, last = self.first_day, self.last_day
        days = np.arange(
            np.datetime64(first, "D"), np.datetime64(last, "D") + 1, dtype="datetime64[D]"
        )
        mask = np.is_busday(days, busdaycal=self._busdaycal)
        for day, override in self.overrides.items():
            if first <= day <= last:
                mask[(day - first).days] = override.kind == OverrideKind.WORKING_DAY
        object.__setattr__(self, "_working", days[mask])

    @classmethod
    def from_holidays(
        cls, years: Iterable[int], overrides: Iterable[Override] = ()
    ) -> WorkCalendar:
        """The Indonesian calendar of the ``holidays`` package (public + government)."""
        year_list = sorted(set(years))
        if not year_list:
            raise ValueError("at least one year is needed")
        return cls(
            first_year=year_list[0],
            last_year=year_list[-1],
            holidays=indonesian_holidays(range(year_list[0], year_list[-1] + 1)),
            overrides={o.day: o for o in overrides},
        )

    @property
    def first_day(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.last_year, 12, 31)

    @property
    def busdaycalendar(self) -> np.busdaycalendar:
        """numpy's calendar: weekmask Mon–Fri, holidays = weekday holidays and DAY_OFF overrides."""
        return self._busdaycal

    def with_overrides(self, overrides: Iterable[Override]) -> WorkCalendar:
        """The same holidays with another set of overrides."""
        return WorkCalendar(
            first_year=self.first_year,
            last_year=self.last_year,
            holidays=self.holidays,
            overrides={o.day: o for o in overrides},
        )

    def check(self, day: date) -> None:
        if not (self.first_year <= day.year <= self.last_year):
            raise OutsideCalendarError(
                f"{day.isoformat()} is outside the calendar ({self.first_year}–{self.last_year})"
            )


def indonesian_holidays(years: Iterable[int]) -> dict[date, Holiday]:
    """National holidays and cuti bersama from the ``holidays`` package, Indonesian names."""
    import holidays as holidays_pkg

    year_list = list(years)
    public = holidays_pkg.country_holidays(
        "ID", years=year_list, categories=("public",), language="id"
    )
    government = holidays_pkg.country_holidays(
        "ID", years=year_list, categories=("government",), language="id"
    )
    result: dict[date, Holiday] = {}
    for day, name in public.items():
        result[day] = Holiday(day=day, name=name, is_cuti_bersama=False)
    for day, name in government.items():
        if day in result:  # both categories on one day: keep the national holiday's reason
            result[day] = Holiday(day=day, name=f"{result[day].name}; {name}")
        else:
            result[day] = Holiday(day=day, name=name, is_cuti_bersama=True)
    return result


def non_working_reason(day: date, cal: WorkCalendar) -> SkippedDay | None:
    """None for a working day, otherwise why it is not one (decree > holiday > weekend)."""
    cal.check(day)
    override = cal.overrides.get(day)
    if override is not None:
        if override.kind == OverrideKind.WORKING_DAY:
            return None
        return SkippedDay(day, ReasonCode.DECREE, override.name)
    holiday = cal.holidays.get(day)
    if holiday is not None:
        code = ReasonCode.CUTI_BERSAMA if holiday.is_cuti_bersama else ReasonCode.HOLIDAY
        return SkippedDay(day, code, holiday.name)
    if day.weekday() >= 5:
        return SkippedDay(day, ReasonCode.WEEKEND, _WEEKEND_NAMES[day.weekday()])
    return None


def is_working_day(day: date, cal: WorkCalendar) -> bool:
    cal.check(day)
    override = cal.overrides.get(day)
    if override is not None:
        return override.kind == OverrideKind.WORKING_DAY
    return day.weekday() < 5 and day not in cal.holidays


def next_working_day(day: date, cal: WorkCalendar) -> date:
    """The first working day strictly after ``day``."""
    return add_working_days(day, 1, cal)


def add_working_days(start: date, n: int, cal: WorkCalendar) -> date:
    """The n-th working day after ``start`` (see the module doc for the counting rule)."""
    return explain_deadline(start, n, cal, collect=False).due


def explain_deadline(
    start: date, n: int, cal: WorkCalendar, *, collect: bool = True
) -> Explanation:
    """The due day of ``n`` working days after ``start`` and every non-working day skipped."""
    if n < 0:
        raise ValueError("n must be zero or positive")
    skipped: list[SkippedDay] = []
    day = start if n == 0 else start + timedelta(days=1)
    remaining = n
    while True:
        reason = non_working_reason(day, cal)
        if reason is None:
            if remaining <= 1:
                break
            remaining -= 1
        elif collect:
            skipped.append(reason)
        day += timedelta(days=1)
    return Explanation(start=start, working_days=n, due=day, skipped=skipped)


def working_days_between(a: date, b: date, cal: WorkCalendar) -> int:
    """Working days in ``(a, b]`` — the start day excluded, the end day included.

    So ``working_days_between(a, add_working_days(a, n)) == n`` for every n ≥ 1. Negative when
    ``b`` is before ``a`` (minus the working days in ``(b, a]``); 0 when equal.
    """
    if b < a:
        return -working_days_between(b, a, cal)
    cal.check(a)
    cal.check(b)
    lo = np.datetime64(a, "D")
    hi = np.datetime64(b, "D")
    # working days w with a < w <= b
    return int(
        np.searchsorted(cal._working, hi, side="right")
        - np.searchsorted(cal._working, lo, side="right")
    )


def add_working_days_many(starts: np.ndarray, n: np.ndarray, cal: WorkCalendar) -> np.ndarray:
    """Vectorised ``add_working_days``: ``starts`` (datetime64[D]) and ``n`` (ints ≥ 0).

    Uses ``numpy.busday_offset`` with weekmask Mon–Fri and the holiday list (weekday holidays and
    DAY_OFF overrides, minus WORKING_DAY overrides). A WORKING_DAY override on a weekend cannot be
    said to numpy, so a calendar with one uses an equivalent search over the sorted working days.
    """
    starts = np.asarray(starts, dtype="datetime64[D]")
    n = np.asarray(n, dtype=np.int64)
    if starts.shape != n.shape:
        raise ValueError("starts and n must have the same shape")
    if n.size == 0:
        return starts.copy()
    if int(n.min()) < 0:
        raise ValueError("n must be zero or positive")
    first = np.datetime64(cal.first_day, "D")
    last = np.datetime64(cal.last_day, "D")
    if starts.min() < first or starts.max() > last:
        raise OutsideCalendarError("a start day is outside the calendar")
    if cal._weekend_working:
        working = cal._working
        # index of the first working day >= start (n == 0) or > start (n >= 1)
        idx_on = np.searchsorted(working, starts, side="left")
        idx_after = np.searchsorted(working, starts, side="right")
        idx = np.where(n == 0, idx_on, idx_after + n - 1)
        if int(idx.max()) >= working.size:
            raise OutsideCalendarError("a due day is outside the calendar")
        return working[idx]
    positive = (n > 0).astype(np.int64)
    # n >= 1: the first working day on/after start+1, then n-1 more; n == 0: roll forward
    due = np.busday_offset(
        starts + positive.astype("timedelta64[D]"),
        n - positive,
        roll="forward",
        busdaycal=cal._busdaycal,
    )
    if due.max() > last:
        raise OutsideCalendarError("a due day is outside the calendar")
    return due
