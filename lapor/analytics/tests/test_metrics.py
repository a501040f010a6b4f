"""The pure figures: shares, medians in working days, backlog buckets, additive counters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lapor.analytics import metrics
from lapor.analytics.metrics import Counters, ReportFacts
from lapor.deadlines.workdays import Holiday, WorkCalendar

# a plain calendar: Monday–Friday, one holiday (Wednesday 2025-01-01)
CAL = WorkCalendar(
    first_year=2024, last_year=2026, holidays={date(2025, 1, 1): Holiday(date(2025, 1, 1), "x")}
)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


MON = date(2025, 1, 6)


def test_summarise_counts_followed_up_on_time_completed_and_medians():
    # given three reports: answered on time, answered late and closed, and one never answered
    answered = ReportFacts(
        submitted_at=at(MON), status="responded", first_response_at=at(MON + timedelta(days=2)),
        response_deadline=at(MON + timedelta(days=3)), rating=4,
    )  # fmt: skip
    late = ReportFacts(
        submitted_at=at(MON), status="closed", first_response_at=at(MON + timedelta(days=7)),
        response_deadline=at(MON + timedelta(days=3)), closed_at=at(MON + timedelta(days=8)),
        rating=2,
    )  # fmt: skip
    silent = ReportFacts(submitted_at=at(MON), status="disposed")
    # when summarised
    fig = metrics.summarise([answered, late, silent], CAL)
    # then two of three are followed up, one of two on time, one completed
    assert fig.volume == 3 and fig.followed_up == 2 and fig.on_time == 1
    assert fig.followed_up_share == 2 / 3 and fig.on_time_share == 0.5
    assert fig.completed == 1 and fig.completed_share == 1 / 3
    # Mon→Wed is 2 working days, Mon→next Mon is 5: median 3.5; close Mon→Tue next week: 6
    assert fig.median_days_to_first_response == 3.5
    assert fig.median_days_to_close == 6
    assert fig.mean_rating == 3 and fig.rating_count == 2


def test_working_days_skip_weekends_and_holidays():
    # given a report of Tuesday 2024-12-31 answered on Thursday 2025-01-02 (01-01 is a holiday)
    # when counting, then only Thursday counts
    assert metrics.working_days(at(date(2024, 12, 31)), at(date(2025, 1, 2)), CAL) == 1
    # and a same-day answer is 0 working days, never negative
    assert metrics.working_days(at(MON, 15), at(MON, 9), CAL) == 0


def test_empty_input_gives_none_not_zero_division():
    fig = metrics.summarise([], CAL)
    assert fig.volume == 0 and fig.followed_up_share is None and fig.median_days_to_close is None
    assert metrics.figures_from_counters(Counters())["on_time_share"] is None


def test_backlog_by_age_and_state():
    # given open reports aged 0, 4, 11, 31 and 61+ working days, and a closed one
    today = date(2025, 6, 30)
    ages = [0, 4, 11, 31, 61, 90]
    reports = []
    for n in ages:
        day = today
        while metrics.working_days(at(day), at(today), CAL) < n:
            day -= timedelta(days=1)
        reports.append(ReportFacts(submitted_at=at(day), status="in_progress"))
    reports.append(ReportFacts(submitted_at=at(today), status="closed"))
    # when bucketed
    result = metrics.backlog(reports, today, CAL)
    # then each bucket holds its reports and the closed one is left out
    assert result["by_age"] == {"0-3": 1, "4-10": 1, "11-30": 1, "31-60": 1, "60+": 2}
    assert result["by_state"]["proses"] == 6 and sum(result["by_state"].values()) == 6


def test_monthly_trend_has_every_month():
    reports = [ReportFacts(submitted_at=at(date(2025, 3, 3)), status="submitted")]
    trend = metrics.monthly_trend(reports, date(2025, 1, 1), date(2025, 4, 15), CAL)
    assert [m for m, _f in trend] == [date(2025, m, 1) for m in (1, 2, 3, 4)]
    assert [f.volume for _m, f in trend] == [0, 0, 1, 0]


@given(st.integers(min_value=0, max_value=10_000))
def test_every_age_has_exactly_one_bucket(days):
    key = metrics.age_bucket(days)
    matching = [k for k, lo, hi in metrics.AGE_BUCKETS if days >= lo and (hi is None or days <= hi)]
    assert matching == [key]


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=60))
def test_histogram_median_is_exact_up_to_ten_days(values):
    # given durations of at most 10 working days, counted into the aggregate histogram
    c = Counters()
    for v in values:
        c.record_first_response(v, on_time=True)
    # then the histogram's median is the lower median of the values
    ordered = sorted(values)
    assert metrics.median_from_histogram(c.response_hist) == ordered[(len(ordered) - 1) // 2]
    assert c.response_days_sum == sum(values)


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60))
def test_histogram_median_bounds_the_true_median(values):
    c = Counters()
    for v in values:
        c.record_first_response(v, on_time=None)
    assert c.timed_responses == 0 and c.first_responses == len(values)
    true_median = sorted(values)[(len(values) - 1) // 2]
    estimate = metrics.median_from_histogram(c.response_hist)
    # the estimate is the upper bound of the bin holding the true median
    assert estimate is not None and estimate >= min(true_median, 61)
    assert metrics.response_bin_index(true_median) == metrics.response_bin_index(estimate)


counters = st.builds(
    Counters,
    received=st.integers(0, 500),
    first_responses=st.integers(0, 500),
    responded_on_time=st.integers(0, 500),
    timed_responses=st.integers(0, 500),
    closed=st.integers(0, 500),
    archived=st.integers(0, 500),
    rating_sum=st.integers(0, 2500),
    rating_count=st.integers(0, 500),
)


@given(st.lists(counters, max_size=8))
def test_counters_add_up_in_any_order_and_shares_stay_in_range(parts):
    # given daily counters, added forwards and backwards
    forwards, backwards = Counters(), Counters()
    for p in parts:
        forwards.add(p)
    for p in reversed(parts):
        backwards.add(p)
    # then the totals are the same and every share is a fraction
    assert forwards == backwards
    assert forwards.received == sum(p.received for p in parts)
    fig = metrics.figures_from_counters(forwards)
    for key in ("followed_up_share", "on_time_share", "completed_share"):
        value = fig[key]
        assert value is None or 0.0 <= value <= 1.0
    # and a row of the table reads back into the same counters
    assert Counters.from_mapping(forwards.as_columns()) == forwards


@given(
    st.lists(st.tuples(st.integers(0, 40), st.booleans(), st.booleans()), min_size=0, max_size=40)
)
def test_summarise_invariants(rows):
    reports = [
        ReportFacts(
            submitted_at=at(MON),
            status="closed" if closed else "disposed",
            first_response_at=at(MON + timedelta(days=d)) if answered else None,
            closed_at=at(MON + timedelta(days=d + 1)) if closed and answered else None,
            response_deadline=at(MON + timedelta(days=5)),
        )
        for d, answered, closed in rows
    ]
    fig = metrics.summarise(reports, CAL)
    assert fig.volume == len(rows)
    assert fig.on_time <= fig.followed_up <= fig.volume
    assert fig.completed <= fig.volume
    assert fig.followed_up == sum(1 for _d, answered, _c in rows if answered)
