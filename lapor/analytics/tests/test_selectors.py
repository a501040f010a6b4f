"""The figures the pages show: a constant number of queries, public figures without
confidential reports, the dashboards only for those allowed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lapor.analytics import selectors, services
from lapor.analytics.selectors import Period
from lapor.core.errors import PermissionDenied, ValidationFailed
from lapor.reports.tests.factories import make_report

from .helpers import full_path

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)
NOV = Period(date(2026, 11, 1), TODAY)


def rebuild() -> None:
    services.daily_stats_rebuild(day_from=date(2026, 11, 1), day_to=date(2026, 11, 30))


def test_public_profile_figures_and_trend(world, django_assert_max_num_queries):
    # given two public reports of November: one answered on time, one late
    full_path(world)
    full_path(world, late=True)
    rebuild()
    # when the profile is read (one query)
    with django_assert_max_num_queries(1):
        profile = selectors.agency_public_profile(agency=world.agency, months=3, today=TODAY)
    # then it has the headline figures and one point per month
    fig = profile["figures"]
    assert fig["volume"] == 2 and fig["followed_up"] == 2 and fig["followed_up_share"] == 1.0
    assert fig["on_time_share"] == 0.5 and fig["mean_rating"] == 4.0
    assert fig["median_days_to_respond"] == 2  # 2 and 17 working days: the lower median
    assert [p["month"] for p in profile["trend"]] == [
        date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
    ]  # fmt: skip
    assert [p["volume"] for p in profile["trend"]] == [0, 0, 2]
    assert profile["period"] == {"first": date(2026, 9, 1), "last": TODAY}


def test_profile_refuses_silly_month_counts(world):
    with pytest.raises(ValidationFailed):
        selectors.agency_public_profile(agency=world.agency, months=0)


def test_a_confidential_report_never_changes_public_figures(world):
    # given the public figures of one public report
    full_path(world)
    rebuild()
    month = date(2026, 11, 1)
    before = (
        selectors.agency_public_profile(agency=world.agency, months=2, today=TODAY),
        selectors.home_counts(month=month),
        selectors.national_dashboard(period=NOV, scope="public"),
    )
    internal_before = selectors.national_dashboard(period=NOV)["figures"]["volume"]
    # when a confidential report goes the whole way too (and a late one)
    full_path(world, confidential=True)
    full_path(world, confidential=True, late=True)
    rebuild()
    # then no public figure moves, while the internal ones do
    after = (
        selectors.agency_public_profile(agency=world.agency, months=2, today=TODAY),
        selectors.home_counts(month=month),
        selectors.national_dashboard(period=NOV, scope="public"),
    )
    assert after == before
    assert selectors.national_dashboard(period=NOV)["figures"]["volume"] == internal_before + 2


def test_home_counts_this_month(world, django_assert_max_num_queries):
    full_path(world)
    full_path(world, confidential=True)
    rebuild()
    with django_assert_max_num_queries(1):
        counts = selectors.home_counts(month=date(2026, 11, 15))
    assert counts == {"received": 1, "followed_up": 1, "closed": 1}
    assert selectors.home_counts(month=date(2026, 10, 1)) == {
        "received": 0, "followed_up": 0, "closed": 0
    }  # fmt: skip


def test_agency_dashboard_units_backlog_and_trend(world, django_assert_max_num_queries):
    # given answered reports and an open backlog of various ages
    full_path(world)
    full_path(world, late=True)
    rebuild()
    now = timezone.make_aware(datetime(2026, 11, 27, 12))
    for age in (1, 20, 100):
        make_report("in_progress", agency=world.agency, unit=world.unit, now=now, age_days=age)
    make_report("closed", agency=world.agency, unit=world.unit, now=now)
    admin = world.users["agency_admin"]
    admin.refresh_from_db()
    # when its admin reads the dashboard (a constant number of queries)
    with django_assert_max_num_queries(6):
        board = selectors.agency_dashboard(
            agency=world.agency, actor_user=admin, period=NOV, now=now
        )
    # then the figures are internal, per unit, with the backlog by age and state
    assert board["figures"]["followed_up"] == 2
    by_unit = {u["unit"]: u for u in board["units"]}
    assert by_unit[world.unit.code]["followed_up"] == 2
    assert by_unit[world.unit.code]["on_time_share"] == 0.5
    assert by_unit[None]["volume"] == 2  # the arrivals, before disposition
    backlog = board["backlog"]
    assert backlog["total"] == 3 and backlog["by_state"]["proses"] == 3
    assert backlog["by_age"]["0-3"] == 1 and backlog["by_age"]["60+"] == 1
    assert sum(backlog["by_age"].values()) == 3
    assert board["trend"][-1]["month"] == date(2026, 11, 1)


def test_agency_dashboard_is_only_for_its_staff(world):
    rebuild()
    with pytest.raises(PermissionDenied):
        selectors.agency_dashboard(
            agency=world.agency, actor_user=world.users["other_admin"], period=NOV
        )
    with pytest.raises(PermissionDenied):
        selectors.agency_dashboard(agency=world.agency, actor_user=None, period=NOV)
    # the national admin may look
    board = selectors.agency_dashboard(
        agency=world.agency, actor_user=world.users["national"], period=NOV
    )
    assert board["agency"] == world.agency.code


def test_national_dashboard_groups_and_ranks(world, django_assert_max_num_queries):
    # given a late answer at the city and an on-time one
    full_path(world, late=True)
    full_path(world)
    rebuild()
    # when the national dashboard is read (constant queries)
    with django_assert_max_num_queries(6):
        board = selectors.national_dashboard(period=NOV, actor_user=world.users["national"])
    # then the city tops the late list, and types and provinces add up to the total
    assert board["most_late"][0]["agency"] == world.agency.code
    assert board["most_late"][0]["late_responses"] == 1
    assert sum(t["volume"] for t in board["by_type"]) == board["figures"]["volume"] == 2
    assert sum(p["volume"] for p in board["by_province"]) == 2
    assert board["trend"][0]["month"] == date(2026, 11, 1)


def test_national_dashboard_is_for_national_roles(world):
    with pytest.raises(PermissionDenied):
        selectors.national_dashboard(period=NOV, actor_user=world.users["agency_admin"])


def test_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    # given many organisations' rows in the aggregate tables
    full_path(world)
    rebuild()
    from lapor.agencies.tests.factories import AgencyFactory
    from lapor.analytics.models import MonthlyAgencyStat

    for i in range(30):
        MonthlyAgencyStat.objects.create(
            month=date(2026, 11, 1), agency=AgencyFactory(), scope="all", received=i,
            first_responses=i, timed_responses=i, responded_on_time=i // 2,
        )  # fmt: skip
    # then the national dashboard still runs in the same few queries
    with django_assert_max_num_queries(5):
        board = selectors.national_dashboard(period=Period.last_months(1, TODAY + timedelta(1)))
    assert len(board["most_late"]) == 20
