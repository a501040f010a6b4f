"""The aggregate tables are built from the events, idempotently, and keep confidential reports
out of the public scope."""

from __future__ import annotations

from datetime import date

import pytest

from lapor.analytics import services
from lapor.analytics.models import DailyAgencyStat, MonthlyAgencyStat
from lapor.analytics.tasks import stats_refresh_today
from lapor.core.outbox import outbox_process
from lapor.reports.models import Event

from .helpers import act, full_path, jkt, submit

pytestmark = pytest.mark.django_db
NOV_FIRST, NOV_LAST = date(2026, 11, 1), date(2026, 11, 30)


def rebuild() -> int:
    return services.daily_stats_rebuild(day_from=NOV_FIRST, day_to=NOV_LAST)


def row(day: date, scope: str = "all", **filters) -> DailyAgencyStat:
    return DailyAgencyStat.objects.get(day=day, scope=scope, **filters)


def snapshot() -> list[tuple]:
    return sorted(
        DailyAgencyStat.objects.values_list(
            "day", "agency_id", "unit_id", "scope", "received", "first_responses", "closed",
            "rating_sum", "response_days_sum",
        )
    )  # fmt: skip


def test_a_full_path_is_counted_on_the_days_of_its_events(world):
    # given a report submitted, verified, disposed, answered on time, rated and closed
    full_path(world)
    # when the month is rebuilt from the events
    rebuild()
    # then Monday counts the submission and the arrival at the organisation
    monday = row(date(2026, 11, 2), agency=world.agency, unit=None)
    assert monday.submitted == 1 and monday.received == 1 and monday.verified == 1
    # Wednesday counts the first response, by the unit, on time, 2 working days after submission
    wednesday = row(date(2026, 11, 4), agency=world.agency, unit=world.unit)
    assert wednesday.first_responses == 1 and wednesday.responded_on_time == 1
    assert wednesday.response_days_sum == 2 and wednesday.resp_days_le2 == 1
    # Thursday counts the rating and the closing
    thursday = row(date(2026, 11, 5), agency=world.agency, unit=world.unit)
    assert thursday.rating_sum == 4 and thursday.rating_count == 1 and thursday.closed == 1
    assert thursday.close_days_sum == 3
    # and the month rolls the days up per organisation, in both scopes
    month = MonthlyAgencyStat.objects.get(month=NOV_FIRST, agency=world.agency, scope="public")
    assert (month.received, month.first_responses, month.closed) == (1, 1, 1)


def test_a_late_first_response_is_not_on_time(world):
    full_path(world, late=True)
    rebuild()
    answered = row(date(2026, 11, 25), agency=world.agency, unit=world.unit)
    assert answered.first_responses == 1 and answered.responded_on_time == 0
    assert answered.resp_days_le30 == 1  # 17 working days


def test_rebuild_is_idempotent_and_replaces_the_range(world):
    # given a rebuilt month
    full_path(world)
    rebuild()
    first = snapshot()
    # when rebuilt again, then the rows are the same (nothing doubled)
    rebuild()
    assert snapshot() == first
    # and rows of the range whose events are gone disappear on the next rebuild
    DailyAgencyStat.objects.update(received=99)
    rebuild()
    assert snapshot() == first


def test_forwarding_counts_out_of_one_organisation_and_into_the_other(world):
    # given a verified report that the organisation forwards to the ministry
    u = world.users
    report, _key = submit(world, jkt(2026, 11, 2, 9))
    act(report, "verify", u["agency_admin"], jkt(2026, 11, 2, 10), sla_class="complaint")
    act(report, "forward", u["agency_admin"], jkt(2026, 11, 3, 10), agency=world.other_agency.code,
        reason="Urusan kesehatan, bukan wewenang pemkot.")  # fmt: skip
    # when rebuilt
    rebuild()
    # then the city counts one out and the ministry one in, on Tuesday
    tuesday = date(2026, 11, 3)
    assert row(tuesday, agency=world.agency, unit=None).forwarded_out == 1
    assert row(tuesday, agency=world.other_agency, unit=None).received == 1


def test_a_confidential_report_counts_only_internally(world):
    # given one public and one confidential report on the same path
    full_path(world)
    full_path(world, confidential=True)
    # when rebuilt
    rebuild()
    # then the internal scope counts both and the public scope only the public one
    for scope, expected in (("all", 2), ("public", 1)):
        month = MonthlyAgencyStat.objects.get(month=NOV_FIRST, agency=world.agency, scope=scope)
        assert (month.received, month.first_responses, month.closed, month.rating_count) == (
            expected, expected, expected, expected
        )  # fmt: skip


def test_marking_a_report_confidential_removes_it_from_public_figures(world):
    # given a public report counted in the public scope
    report = full_path(world)
    rebuild()
    public = MonthlyAgencyStat.objects.get(month=NOV_FIRST, agency=world.agency, scope="public")
    assert public.received == 1
    # when the national admin marks it confidential and the outbox is delivered
    act(report, "set_privacy", world.users["national"], jkt(2026, 11, 6, 10),
        is_confidential=True, reason="Memuat alamat rumah pelapor.")  # fmt: skip
    assert Event.objects.filter(report=report, action="set_privacy").exists()
    outbox_process()
    # then the public month no longer counts it; the internal one still does
    assert not MonthlyAgencyStat.objects.filter(
        month=NOV_FIRST, agency=world.agency, scope="public", received__gt=0
    ).exists()
    internal = MonthlyAgencyStat.objects.get(month=NOV_FIRST, agency=world.agency, scope="all")
    assert internal.received == 1


def test_rebuild_for_one_organisation_leaves_the_others_alone(world):
    full_path(world)
    rebuild()
    other = DailyAgencyStat.objects.create(day=date(2026, 11, 2), agency=world.other_agency,
                                           scope="all", received=7)  # fmt: skip
    # when only the city is rebuilt
    services.daily_stats_rebuild(day_from=NOV_FIRST, day_to=NOV_LAST, agency=world.agency)
    # then the ministry's row is untouched and the city's are back
    other.refresh_from_db()
    assert other.received == 7
    assert row(date(2026, 11, 2), agency=world.agency, unit=None).received == 1


def test_the_periodic_refresh_rebuilds_today(world):
    # given a report submitted today
    from django.utils import timezone

    report, _key = submit(world, timezone.now())
    assert report.pk
    # when the ten-minute task runs
    written = stats_refresh_today.call_local()
    # then today's submission is counted
    assert written >= 1
    today_rows = DailyAgencyStat.objects.filter(day=timezone.localdate(), scope="public")
    assert sum(r.submitted for r in today_rows) == 1


def test_an_inverted_range_is_refused(world):
    with pytest.raises(ValueError):
        services.daily_stats_rebuild(day_from=NOV_LAST, day_to=NOV_FIRST)


def test_a_response_with_no_deadline_in_force_is_not_judged(world):
    # given imported-like history: events that carry no deadline
    from lapor.analytics.metrics import Counters, figures_from_counters
    from lapor.reports.events import event_append
    from lapor.reports.tests.factories import make_report

    report = make_report("submitted", agency=world.agency, now=jkt(2026, 11, 2, 9), age_days=0)
    for action, at in (("verify", jkt(2026, 11, 2, 10)), ("respond", jkt(2026, 11, 3, 10))):
        event_append(
            report=report, action=action, at=at, actor=None, actor_role="system",
            to_agency=world.agency if action == "verify" else None,
        )  # fmt: skip
    # when rebuilt
    rebuild()
    # then the response is followed up but left out of the on-time share
    answered = row(date(2026, 11, 3), agency=world.agency, unit=None)
    assert answered.first_responses == 1 and answered.timed_responses == 0
    figures = figures_from_counters(Counters.from_mapping(answered.__dict__))
    assert figures["followed_up"] == 1 and figures["on_time_share"] is None
