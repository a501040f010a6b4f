"""API of the analytics app: an organisation's public performance figures."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lapor.agencies.models import Agency
from lapor.core.errors import NotFound

from .selectors import MAX_MONTHS, agency_public_profile

router = Router(tags=["statistics"])


class FiguresOut(Schema):
    volume: int
    submitted: int
    followed_up: int
    followed_up_share: float | None
    on_time: int
    on_time_share: float | None
    completed: int
    completed_share: float | None
    median_days_to_respond: int | None
    mean_days_to_respond: float | None
    mean_days_to_close: float | None
    mean_rating: float | None
    rating_count: int


class MonthOut(FiguresOut):
    month: date


class PeriodOut(Schema):
    first: date
    last: date


class AgencyStatsOut(Schema):
    agency: str
    period: PeriodOut
    figures: FiguresOut
    trend: list[MonthOut]


class StatsQuery(Schema):
    months: int = Field(12, ge=1, le=MAX_MONTHS)


@router.get(
    "/agencies/{code}/stats",
    response=AgencyStatsOut,
    auth=None,
    summary="Public performance figures of an organisation (public reports only)",
)
def agency_stats(request: HttpRequest, code: str, q: Query[StatsQuery]) -> dict:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"Instansi {code} tidak ditemukan.")
    return agency_public_profile(agency=agency, months=q.months)
