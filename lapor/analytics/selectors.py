"""Reads of the analytics app: the figures of the organisation profile, the dashboards and home.

Every selector runs a small, fixed number of queries whatever the number of reports: figures
come from the aggregate tables (`MonthlyAgencyStat`, `DailyAgencyStat`, built from the events);
only the backlog (what is open *now*) reads `Report`, with one grouped query.

Shapes (all plain dicts/lists, dates as `datetime.date`, shares as floats in [0, 1] or None):

``figures``: ``{volume, submitted, followed_up, followed_up_share, on_time, on_time_share,
completed, completed_share, median_days_to_respond, mean_days_to_respond, mean_days_to_close,
mean_rating, rating_count}`` (see `metrics.figures_from_counters`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lapor.accounts import policy
from lapor.agencies.models import Agency, Region
from lapor.core.errors import PermissionDenied, ValidationFailed
from lapor.deadlines.selectors import work_calendar_get
from lapor.deadlines.workdays import OutsideCalendarError, WorkCalendar, working_days_between
from lapor.reports.models import Report
from lapor.reports.workflow import official_status

from . import metrics
from .choices import Scope
from .models import DailyAgencyStat, MonthlyAgencyStat

MAX_MONTHS = 60
TOP_LATE = 20


@dataclass(frozen=True)
class Period:
    """Local days ``first``..``last`` inclusive."""

    first: date
    last: date

    @classmethod
    def last_months(cls, months: int, today: date | None = None) -> Period:
        """The current month and the ``months - 1`` before it (whole months)."""
        today = today or timezone.localdate()
        first = today.replace(day=1)
        for _ in range(max(1, months) - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        return cls(first, today)

    @classmethod
    def month(cls, month: date) -> Period:
        first = month.replace(day=1)
        nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return cls(first, nxt - timedelta(days=1))

    @property
    def months(self) -> list[date]:
        return metrics.months_between(self.first, self.last)

    def as_dict(self) -> dict[str, date]:
        return {"first": self.first, "last": self.last}


def _rows(qs: Any) -> list[dict[str, Any]]:
    """The rows of a ``values()`` query as plain dicts (one query)."""
    return [dict(r) for r in qs]


def _sums() -> dict[str, Any]:
    return {c: Sum(c) for c in metrics.counter_columns()}


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return metrics.figures_from_counters(metrics.Counters.from_mapping(row))


def _total(rows: list[dict[str, Any]]) -> metrics.Counters:
    total = metrics.Counters()
    for row in rows:
        total.add(metrics.Counters.from_mapping(row))
    return total


def _month_key(value: date | datetime) -> date:
    return (value.date() if isinstance(value, datetime) else value).replace(day=1)


def _trend(rows: list[dict[str, Any]], months: list[date]) -> list[dict[str, Any]]:
    by_month = {_month_key(r["m"]): r for r in rows}
    return [{"month": m, **_figures(by_month.get(m, {}))} for m in months]


def agency_public_profile(
    *, agency: Agency, months: int = 12, today: date | None = None
) -> dict[str, Any]:
    """Public figures of an organisation over the last ``months`` months (one query).

    Returns ``{"agency": code, "period": {"first", "last"}, "figures": figures,
    "trend": [{"month": date, **figures}, …]}`` — public reports only (no confidential one).
    """
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationFailed(
            "months out of range",
            errors=[{"field": "months", "message": f"1 to {MAX_MONTHS}"}],
        )
    period = Period.last_months(months, today)
    rows = _rows(
        MonthlyAgencyStat.objects.filter(
            agency=agency, scope=Scope.PUBLIC, month__gte=period.first, month__lte=period.last
        )
        .values(m=F("month"))
        .annotate(**_sums())
        .order_by("m")
    )
    return {
        "agency": agency.code,
        "period": period.as_dict(),
        "figures": metrics.figures_from_counters(_total(rows)),
        "trend": _trend(rows, period.months),
    }


def _age_thresholds(today: date, cal: WorkCalendar) -> list[tuple[str, datetime | None]]:
    """For each age bucket, the earliest submission time that is still at most its upper bound
    (None for the open last bucket)."""
    out: list[tuple[str, datetime | None]] = []
    day = today
    for key, _low, high in metrics.AGE_BUCKETS:
        if high is None:
            out.append((key, None))
            continue
        # walk back to the earliest day whose age is still <= high
        while True:
            prev = day - timedelta(days=1)
            try:
                age = working_days_between(prev, today, cal)
            except OutsideCalendarError:
                break
            if age > high:
                break
            day = prev
        out.append((key, timezone.make_aware(datetime.combine(day, time.min))))
    return out


def _backlog(qs: QuerySet[Report], today: date, now: datetime) -> dict[str, Any]:
    cal = work_calendar_get()
    thresholds = _age_thresholds(today, cal)
    annotations: dict[str, Any] = {}
    newer: datetime | None = None
    for key, since in thresholds:
        cond = Q()
        if since is not None:
            cond &= Q(submitted_at__gte=since)
        if newer is not None:
            cond &= Q(submitted_at__lt=newer)
        annotations[f"age_{key}"] = Count("id", filter=cond) if cond else Count("id")
        newer = since
    rows = _rows(
        qs.filter(status__in=metrics.OPEN_STATES)
        .values("status", "is_postponed")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(deadline__lt=now, is_postponed=False)),
            **annotations,
        )
        .order_by()
    )
    by_state = dict.fromkeys(metrics.OPEN_OFFICIAL_STATES, 0)
    by_age = {key: 0 for key, _l, _h in metrics.AGE_BUCKETS}
    late = 0
    for row in rows:
        by_state[str(official_status(row["status"], row["is_postponed"]))] += row["n"]
        late += row["late"]
        for key in by_age:
            by_age[key] += row[f"age_{key}"]
    return {"by_age": by_age, "by_state": by_state, "late": late, "total": sum(by_state.values())}


def _check(actor_user: Any, action: policy.Action, target: policy.Target) -> None:
    from lapor.reports.selectors import actor_of

    if not policy.can(actor_of(actor_user), action, target):
        raise PermissionDenied("Anda tidak berwenang melihat dasbor ini.")


def agency_dashboard(
    *, agency: Agency, actor_user: Any, period: Period, now: datetime | None = None
) -> dict[str, Any]:
    """The organisation's dashboard for its staff and the national admins (three queries).

    Returns ``{"agency": code, "period": {...}, "figures": figures, "units": [{"unit": code or
    None, "unit_name": str, **figures}], "backlog": {"by_age": {bucket: n}, "by_state":
    {status: n}, "late": n, "total": n}, "trend": [{"month": date, **figures}]}``. Internal
    figures: confidential reports included. Raises PermissionDenied for anyone else.
    """
    _check(actor_user, policy.Action.DASHBOARD_AGENCY, policy.AgencyTarget(code=agency.code))
    now = now or timezone.now()
    daily = DailyAgencyStat.objects.filter(
        agency=agency, scope=Scope.ALL, day__gte=period.first, day__lte=period.last
    )
    unit_rows = _rows(
        daily.values("unit_id", "unit__code", "unit__name").annotate(**_sums()).order_by()
    )
    month_rows = _rows(
        daily.annotate(m=TruncMonth("day")).values("m").annotate(**_sums()).order_by("m")
    )
    units = sorted(
        (
            {"unit": r["unit__code"], "unit_name": r["unit__name"] or "", **_figures(r)}
            for r in unit_rows
        ),
        key=lambda u: (u["unit"] is not None, u["unit_name"]),
    )
    return {
        "agency": agency.code,
        "period": period.as_dict(),
        "figures": metrics.figures_from_counters(_total(unit_rows)),
        "units": units,
        "backlog": _backlog(Report.objects.filter(agency=agency), timezone.localdate(now), now),
        "trend": _trend(month_rows, period.months),
    }


def national_dashboard(
    *, period: Period, actor_user: Any = None, scope: str = Scope.ALL
) -> dict[str, Any]:
    """National figures by organisation type and by province, the organisations most late, and
    the monthly trend (four queries, from the monthly table: whole months of the period).

    Returns ``{"period", "figures", "by_type": [{"type", **figures}], "by_province":
    [{"province": code or None, "name": str, **figures}], "most_late": [{"agency", "name",
    "late_responses", "first_responses", "on_time_share"}], "trend": [{"month", **figures}]}``.
    ``province`` is the two-digit Kemendagri code of the organisation's region (None for central
    organisations). When ``actor_user`` is given, checks the national-dashboard permission.
    """
    if actor_user is not None:
        _check(actor_user, policy.Action.DASHBOARD_NATIONAL, None)
    months = period.months
    base = MonthlyAgencyStat.objects.filter(
        scope=scope, month__gte=months[0], month__lte=months[-1]
    )
    month_rows = _rows(base.values(m=F("month")).annotate(**_sums()).order_by("m"))
    # one row per organisation (a few hundred), grouped further here rather than in 3 queries
    agency_rows = _rows(
        base.filter(agency__isnull=False).values("agency_id").annotate(**_sums()).order_by()
    )
    info = {
        pk: (code, name, type_, region)
        for pk, code, name, type_, region in Agency.objects.filter(
            pk__in=[r["agency_id"] for r in agency_rows]
        ).values_list("id", "code", "name", "type", "region_id")
    }
    names = dict(Region.objects.filter(level=1).values_list("code", "name"))
    by_type: dict[str, metrics.Counters] = {}
    by_province: dict[str | None, metrics.Counters] = {}
    late: list[tuple[int, str, str, metrics.Counters]] = []
    for row in agency_rows:
        code, name, type_, region = info.get(row["agency_id"], ("", "", "", None))
        counters = metrics.Counters.from_mapping(row)
        by_type.setdefault(type_, metrics.Counters()).add(counters)
        province = region[:2] if region else None
        by_province.setdefault(province, metrics.Counters()).add(counters)
        late_responses = counters.timed_responses - counters.responded_on_time
        if late_responses > 0:
            late.append((late_responses, code, name, counters))
    late.sort(key=lambda t: (-t[0], t[1]))
    provinces: list[dict[str, Any]] = [
        {
            "province": code,
            "name": names.get(code or "", ""),
            **metrics.figures_from_counters(c),
        }
        for code, c in by_province.items()
    ]
    provinces.sort(key=lambda r: (-(r["volume"] or 0), r["province"] or ""))
    types: list[dict[str, Any]] = [
        {"type": t, **metrics.figures_from_counters(c)} for t, c in by_type.items()
    ]
    types.sort(key=lambda r: (-(r["volume"] or 0), r["type"]))
    return {
        "period": {"first": months[0], "last": period.last},
        "figures": metrics.figures_from_counters(_total(month_rows)),
        "by_type": types,
        "by_province": provinces,
        "most_late": [
            {
                "agency": code,
                "name": name,
                "late_responses": n,
                "first_responses": c.first_responses,
                "on_time_share": metrics.share(c.responded_on_time, c.timed_responses),
            }
            for n, code, name, c in late[:TOP_LATE]
        ],
        "trend": _trend(month_rows, months),
    }


def home_counts(*, month: date) -> dict[str, int]:
    """Received, followed up (first responses) and closed in ``month`` over public reports only
    (one query): ``{"received": n, "followed_up": n, "closed": n}``."""
    agg = MonthlyAgencyStat.objects.filter(
        scope=Scope.PUBLIC, month=month.replace(day=1)
    ).aggregate(received=Sum("submitted"), followed_up=Sum("first_responses"), closed=Sum("closed"))
    return {k: int(v or 0) for k, v in agg.items()}
