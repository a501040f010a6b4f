"""API endpoints of the deadlines app (mounted under /api/v1 by lapor.api.api).

Both endpoints are public: anyone can see how a deadline is computed and which days are off.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from lapor.core.errors import NotFound, ValidationFailed

from . import sla, workdays
from .selectors import holiday_list_for_year, sla_ladder_for, work_calendar_get

router = Router(tags=["calendar"])

MAX_WORKING_DAYS = 365


class SkippedDayOut(Schema):
    date: date
    reason: str = Field(description="weekend | holiday | cuti_bersama | decree")
    name: str


class DeadlineOut(Schema):
    start: datetime | date = Field(description="as given")
    clock_start: date = Field(
        description="the day counting starts from: `start` for a date; for a date-time, the next "
        "working day when received at or after the cut-off hour or on a non-working day"
    )
    working_days: int
    due: date
    due_at: datetime = Field(description="end of the due day, 23:59:59 Asia/Jakarta")
    skipped: list[SkippedDayOut]


class DeadlineQuery(Schema):
    start: str = Field(description="YYYY-MM-DD, or an ISO 8601 date-time (the receipt time)")
    working_days: int = Field(ge=0, le=MAX_WORKING_DAYS)


class HolidayOut(Schema):
    date: date
    kind: str = Field(description="holiday | cuti_bersama | decree")
    name: str
    legal_basis: str
    is_weekend: bool


class WorkingDayOverrideOut(Schema):
    date: date
    name: str
    legal_basis: str
    replaces: str = Field(description="the holiday this working day cancels, if any")


class HolidaysOut(Schema):
    year: int
    days: list[HolidayOut]
    working_day_overrides: list[WorkingDayOverrideOut]


class HolidaysQuery(Schema):
    year: int = Field(ge=2000, le=2100)


def _bad_start(message: str) -> ValidationFailed:
    return ValidationFailed(
        _("Parameter tidak valid."), errors=[{"field": "start", "message": message}]
    )


def _parse_start(raw: str) -> date | datetime:
    raw = raw.strip()
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
        # a "+" of an offset that was not URL-encoded arrives as a space
        moment = datetime.fromisoformat(raw.replace(" ", "+") if "T" in raw else raw)
    except ValueError as exc:
        raise _bad_start(_("Gunakan YYYY-MM-DD atau tanggal-waktu ISO 8601.")) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=sla.JAKARTA)
    return moment


@router.get(
    "/calendar/deadline",
    response=DeadlineOut,
    summary="Compute a deadline in working days and show the skipped days",
)
def calendar_deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> dict[str, object]:
    start = _parse_start(query.start)
    cal = work_calendar_get()
    try:
        if isinstance(start, datetime):
            try:
                cutoff = sla_ladder_for(start)[1].cutoff_hour
            except NotFound:
                cutoff = sla.DEFAULT_CUTOFF_HOUR
            counted_from = sla.clock_start(start, cutoff, cal, sla.JAKARTA)
        else:
            counted_from = start
        explanation = workdays.explain_deadline(counted_from, query.working_days, cal)
    except workdays.OutsideCalendarError as exc:
        raise _bad_start(
            _("Di luar kalender yang tersedia (%(a)s–%(b)s).")
            % {"a": cal.first_year, "b": cal.last_year}
        ) from exc
    return {
        "start": start,
        "clock_start": counted_from,
        "working_days": query.working_days,
        "due": explanation.due,
        "due_at": sla.end_of_day(explanation.due),
        "skipped": [
            {"date": s.date, "reason": str(s.reason_code), "name": s.name}
            for s in explanation.skipped
        ],
    }


@router.get(
    "/calendar/holidays",
    response=HolidaysOut,
    summary="Non-working days of a year (holidays, cuti bersama, decrees) and working-day decrees",
)
def calendar_holidays(request: HttpRequest, query: Query[HolidaysQuery]) -> dict[str, object]:
    return holiday_list_for_year(query.year)
