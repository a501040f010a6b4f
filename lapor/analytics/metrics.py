"""Performance figures of reports: PURE (no Django; "today" and the calendar are parameters).

Two inputs are understood here:

- per-report milestone facts (`ReportFacts`), e.g. for an export, the monitoring work, or a
  small set of reports; `summarise` turns a list of them into `Figures`;
- additive counters (`Counters`), one per day/organisation/unit, as kept by the daily aggregate
  table built from the events; `Counters` add up, and `figures_from_counters` derives the same
  shares from them.

Definitions (see docs/analytics.md):

- *followed up*: a response by the organisation exists (a first response), among the reports it
  received that were not archived;
- *on time*: the first response came no later than its deadline (5 working days from the
  organisation's receipt: ADR 0007);
- *completed*: the report is closed (by the reporter or after the no-reply period), among the
  reports received that were not archived. An **archived report is never completed**: archived
  reports are counted on their own;
- working-day durations count the working days after the day of submission up to and including
  the day of the milestone (`working_days_between` on the local dates), so a same-day response is
  0 working days.
"""

from __future__ import annotations

from collections import Counter as _Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from lapor.deadlines.workdays import WorkCalendar, working_days_between
from lapor.reports.workflow import official_status

OPEN_STATES = ("submitted", "disposed", "in_progress", "responded")
# the official statuses of open reports (Tunda: postponed while open), for backlogs
OPEN_OFFICIAL_STATES = ("belum_terverifikasi", "belum_ditindaklanjuti", "proses", "tunda")

# Backlog age buckets in working days: (key, lowest, highest or None)
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-3", 0, 3),
    ("4-10", 4, 10),
    ("11-30", 11, 30),
    ("31-60", 31, 60),
    ("60+", 61, None),
)

# Upper bounds (in working days) of the response-time histogram kept by the aggregate table:
# exact for 0..10 days, then ranges (11–15, 16–30, 31–60, more than 60 = None).
RESPONSE_BINS: tuple[int | None, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 30, 60, None)


def response_bin_index(days: int) -> int:
    """The index in RESPONSE_BINS of a duration in working days (negative counts as 0)."""
    for i, upper in enumerate(RESPONSE_BINS):
        if upper is None or days <= upper:
            return i
    return len(RESPONSE_BINS) - 1  # pragma: no cover - the last bin is open


def bin_field(index: int) -> str:
    """Name of the aggregate column holding the count of histogram bin ``index``."""
    upper = RESPONSE_BINS[index]
    return "resp_days_gt60" if upper is None else f"resp_days_le{upper}"


def age_bucket(days: int) -> str:
    for key, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return key
    return AGE_BUCKETS[0][0]


@dataclass(frozen=True)
class ReportFacts:
    """The milestones of one report (times are aware datetimes; dates are local)."""

    submitted_at: datetime
    status: str
    agency: str | None = None
    unit: str | None = None
    verified_at: datetime | None = None
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    archived_at: datetime | None = None
    # the deadline in force when the first response came (None: unknown / no deadline)
    response_deadline: datetime | None = None
    rating: int | None = None
    is_confidential: bool = False
    is_postponed: bool = False


def _local_date(value: datetime, tz: object | None) -> date:
    if tz is not None and value.tzinfo is not None:
        return value.astimezone(tz).date()  # type: ignore[arg-type]
    return value.date()


def working_days(a: datetime, b: datetime, cal: WorkCalendar, tz: object | None = None) -> int:
    """Working days from the local day of ``a`` to the local day of ``b`` (never negative)."""
    return max(0, working_days_between(_local_date(a, tz), _local_date(b, tz), cal))


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def share(part: int, whole: int) -> float | None:
    """part / whole in [0, 1], or None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return min(1.0, max(0.0, part / whole))


def is_on_time(facts: ReportFacts) -> bool | None:
    """Whether the first response met its deadline (None: no response or no deadline known)."""
    if facts.first_response_at is None or facts.response_deadline is None:
        return None
    return facts.first_response_at <= facts.response_deadline


@dataclass(frozen=True)
class Figures:
    volume: int
    followed_up: int
    followed_up_share: float | None
    on_time: int
    on_time_share: float | None  # among followed-up reports whose deadline is known
    completed: int  # closed (an archived report is not completed)
    completed_share: float | None  # among the reports that were not archived
    archived: int
    median_days_to_first_response: float | None
    median_days_to_close: float | None
    mean_rating: float | None
    rating_count: int


def summarise(
    reports: Iterable[ReportFacts], cal: WorkCalendar, tz: object | None = None
) -> Figures:
    """The headline figures of a set of reports (a cohort: each report counted once)."""
    volume = followed = on_time = judged = completed = archived = 0
    to_response: list[float] = []
    to_close: list[float] = []
    ratings: list[int] = []
    for r in reports:
        volume += 1
        if r.first_response_at is not None:
            followed += 1
            to_response.append(working_days(r.submitted_at, r.first_response_at, cal, tz))
            verdict = is_on_time(r)
            if verdict is not None:
                judged += 1
                on_time += int(verdict)
        if r.status == "archived" or r.archived_at is not None:
            archived += 1
        elif r.status == "closed" or r.closed_at is not None:
            completed += 1
        if r.closed_at is not None:
            to_close.append(working_days(r.submitted_at, r.closed_at, cal, tz))
        if r.rating is not None:
            ratings.append(r.rating)
    return Figures(
        volume=volume,
        followed_up=followed,
        followed_up_share=share(followed, volume - archived),
        on_time=on_time,
        on_time_share=share(on_time, judged),
        completed=completed,
        completed_share=share(completed, volume - archived),
        archived=archived,
        median_days_to_first_response=median(to_response),
        median_days_to_close=median(to_close),
        mean_rating=(sum(ratings) / len(ratings)) if ratings else None,
        rating_count=len(ratings),
    )


def backlog(
    reports: Iterable[ReportFacts], today: date, cal: WorkCalendar, tz: object | None = None
) -> dict[str, dict[str, int]]:
    """Open reports by age bucket (working days since submission) and by official status.

    Returns ``{"by_age": {bucket: n}, "by_state": {official status: n}}`` with every bucket
    and open official status present (zero when empty).
    """
    by_age = {key: 0 for key, _low, _high in AGE_BUCKETS}
    by_state = dict.fromkeys(OPEN_OFFICIAL_STATES, 0)
    for r in reports:
        if r.status not in OPEN_STATES:
            continue
        age = max(0, working_days_between(_local_date(r.submitted_at, tz), today, cal))
        by_age[age_bucket(age)] += 1
        by_state[str(official_status(r.status, r.is_postponed))] += 1
    return {"by_age": by_age, "by_state": by_state}


def month_of(value: datetime | date, tz: object | None = None) -> date:
    day = _local_date(value, tz) if isinstance(value, datetime) else value
    return day.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of every month from ``first``'s month to ``last``'s month, inclusive."""
    out: list[date] = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def monthly_trend(
    reports: Iterable[ReportFacts],
    first: date,
    last: date,
    cal: WorkCalendar,
    tz: object | None = None,
) -> list[tuple[date, Figures]]:
    """`summarise` per month of submission, every month from ``first`` to ``last`` present."""
    buckets: dict[date, list[ReportFacts]] = {m: [] for m in months_between(first, last)}
    for r in reports:
        month = month_of(r.submitted_at, tz)
        if month in buckets:
            buckets[month].append(r)
    return [(m, summarise(rs, cal, tz)) for m, rs in buckets.items()]


# --- additive counters (the daily aggregate table) ------------------------------------------


def _zero_bins() -> list[int]:
    return [0] * len(RESPONSE_BINS)


@dataclass
class Counters:
    """Event counts of one organisation (or unit) over some days. Counters add up."""

    submitted: int = 0  # reports submitted (counted for the organisation the reporter chose)
    received: int = 0  # reports that reached the organisation (verified to it, forwarded in)
    verified: int = 0
    forwarded_out: int = 0
    bounced: int = 0  # reports received by forwarding that had been forwarded before
    first_responses: int = 0  # a report followed up for the first time
    responses: int = 0  # every response (including later ones)
    responded_on_time: int = 0  # first responses no later than the deadline in force
    timed_responses: int = 0  # first responses with a deadline in force (the on-time base)
    closed: int = 0
    archived: int = 0
    became_late: int = 0  # steps that went late (the sweep's marks and late meets alike)
    disputed: int = 0  # the reporter disputed a follow-up
    reopened: int = 0
    escalated: int = 0
    rating_sum: int = 0
    rating_count: int = 0
    response_days_sum: int = 0  # over first responses
    close_days_sum: int = 0
    close_count: int = 0
    response_hist: list[int] = field(default_factory=_zero_bins)

    def add(self, other: Counters) -> Counters:
        for name in _SCALARS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.response_hist = [
            a + b for a, b in zip(self.response_hist, other.response_hist, strict=True)
        ]
        return self

    def record_first_response(self, days: int, on_time: bool | None) -> None:
        """One first response, ``days`` working days after submission; ``on_time`` is None when
        no deadline was in force (e.g. imported history): then it is not judged."""
        self.first_responses += 1
        if on_time is not None:
            self.timed_responses += 1
            self.responded_on_time += int(on_time)
        self.response_days_sum += max(0, days)
        self.response_hist[response_bin_index(max(0, days))] += 1

    @classmethod
    def from_mapping(cls, values: Mapping[str, int | None]) -> Counters:
        """From a row of the aggregate table (``resp_days_*`` columns become the histogram)."""
        c = cls()
        for name in _SCALARS:
            setattr(c, name, int(values.get(name) or 0))
        c.response_hist = [int(values.get(name) or 0) for name in _BIN_FIELDS]
        return c

    def as_columns(self) -> dict[str, int]:
        out = {name: getattr(self, name) for name in _SCALARS}
        out.update(zip(_BIN_FIELDS, self.response_hist, strict=True))
        return out


_SCALARS = tuple(f.name for f in fields(Counters) if f.name != "response_hist")
_BIN_FIELDS = tuple(bin_field(i) for i in range(len(RESPONSE_BINS)))


def counter_columns() -> list[str]:
    """Every column name of `Counters.as_columns()`."""
    return list(Counters().as_columns())


def median_from_histogram(hist: Sequence[int]) -> int | None:
    """The median of a RESPONSE_BINS histogram: exact up to 10 days, else the bin's upper bound
    (61 for the open bin "more than 60")."""
    total = sum(hist)
    if total <= 0:
        return None
    half = (total + 1) // 2  # the rank of the lower median
    running = 0
    for i, n in enumerate(hist):
        running += n
        if running >= half:
            upper = RESPONSE_BINS[i]
            return 61 if upper is None else upper
    return None  # pragma: no cover


def figures_from_counters(c: Counters) -> dict[str, float | int | None]:
    """Headline figures from counters (flows over a period, see docs/analytics.md)."""
    return {
        "volume": c.received,
        "submitted": c.submitted,
        "followed_up": c.first_responses,
        "followed_up_share": share(c.first_responses, c.received - c.archived),
        "on_time": c.responded_on_time,
        "on_time_share": share(c.responded_on_time, c.timed_responses),
        "completed": c.closed,
        "completed_share": share(c.closed, c.received - c.archived),
        "archived": c.archived,
        "bounced": c.bounced,
        "late_steps": c.became_late,
        "median_days_to_respond": median_from_histogram(c.response_hist),
        "mean_days_to_respond": (
            round(c.response_days_sum / c.first_responses, 2) if c.first_responses else None
        ),
        "mean_days_to_close": round(c.close_days_sum / c.close_count, 2) if c.close_count else None,
        "mean_rating": round(c.rating_sum / c.rating_count, 2) if c.rating_count else None,
        "rating_count": c.rating_count,
    }


def tally(values: Iterable[str]) -> dict[str, int]:
    return dict(_Counter(values))
