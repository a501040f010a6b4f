"""Scheduled work (closing, late marking, info requests, reminders, postponements) and deadline
recomputation: each does its job once and changes nothing when run again."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lapor.core.models import OutboxMessage
from lapor.deadlines.models import HolidayOverride
from lapor.deadlines.services import holiday_override_create
from lapor.reports import sweeps, tasks
from lapor.reports.actions.engine import report_act
from lapor.reports.events import timeline_verify
from lapor.reports.models import Event, ReportClock
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def test_close_unanswered_reports_once(world):
    # given a responded report past its closing period, and one still within it
    now = timezone.now()
    due = make_report("responded", agency=world.agency, unit=world.unit,
                      deadline=now - timedelta(hours=1))  # fmt: skip
    waiting = make_report("responded", agency=world.agency, unit=world.unit,
                          deadline=now + timedelta(days=2))  # fmt: skip
    # when the task runs twice
    assert tasks.close_unanswered_reports.call_local() == 1
    assert tasks.close_unanswered_reports.call_local() == 0
    # then only the first is closed, by the system, once
    due.refresh_from_db()
    waiting.refresh_from_db()
    assert due.status == "closed" and waiting.status == "responded"
    closing = Event.objects.get(report=due, action="close")
    assert (closing.actor_role, closing.actor, closing.reason_code) == ("system", None, "no_reply")
    assert "closing" in closing.data["met"]
    assert timeline_verify(due) == []


def test_mark_late_once_per_step(world):
    now = timezone.now()
    # given recent reports (their completion is weeks away): one whose first follow-up is past
    # due, one not yet, one past due but postponed
    late = make_report("in_progress", agency=world.agency, unit=world.unit, age_days=5,
                       deadline=now - timedelta(hours=2))  # fmt: skip
    make_report("in_progress", agency=world.agency, unit=world.unit, age_days=5,
                deadline=now + timedelta(days=3))  # fmt: skip
    paused = make_report("in_progress", agency=world.agency, unit=world.unit, age_days=5,
                         deadline=now - timedelta(hours=2),
                         postponed_at=now - timedelta(days=3))  # fmt: skip
    assert tasks.mark_late_reports.call_local() == 1
    assert tasks.mark_late_reports.call_local() == 0
    event = Event.objects.get(action="became_late")
    assert event.report_id == late.pk and event.data["step"] == "first_response"
    assert not Event.objects.filter(report=paused, action="became_late").exists()
    # the completion step that passes its own due time later is marked too, once
    completion = ReportClock.objects.get(report=late, step="completion")
    completion.due_at = now - timedelta(minutes=5)
    completion.save(update_fields=["due_at"])
    assert sweeps.reports_mark_late(now=now) == 1
    assert sweeps.reports_mark_late(now=now) == 0
    steps = Event.objects.filter(report=late, action="became_late").values_list("data", flat=True)
    assert sorted(d["step"] for d in steps) == ["completion", "first_response"]


def test_an_unanswered_request_for_information_is_archived(world):
    # given a report postponed before verification to ask the reporter for information
    now = timezone.now()
    report = make_report("submitted", agency=world.agency, age_days=30,
                         postponed_at=now - timedelta(days=25))  # fmt: skip
    row = ReportClock.objects.get(report=report, step="info_request", ended_at__isnull=True)
    assert row.due_at < now  # 10 working days have passed
    # when the sweep runs (twice)
    assert sweeps.reports_archive_unanswered_info_requests(now=now) == 1
    assert sweeps.reports_archive_unanswered_info_requests(now=now) == 0
    # then it is archived as incomplete, by the system
    report.refresh_from_db()
    assert (report.status, report.archive_reason) == ("archived", "unclear")
    event = Event.objects.filter(report=report).order_by("-seq").first()
    assert event is not None and event.action == "archive" and event.actor_role == "system"
    assert event.data["info_request_expired"] is True
    assert not ReportClock.objects.filter(report=report, ended_at__isnull=True).exists()


def test_remind_officers_once_per_deadline(world):
    now = timezone.now()
    soon = make_report("in_progress", agency=world.agency, unit=world.unit,
                       deadline=timezone.localtime(now).replace(hour=23, minute=59, second=59))  # fmt: skip
    make_report("in_progress", agency=world.agency, unit=world.unit,
                deadline=now + timedelta(days=30))  # fmt: skip
    assert sweeps.reports_remind_officers(now=now) == 1
    assert sweeps.reports_remind_officers(now=now) == 0
    reminder = OutboxMessage.objects.get(topic="report.reminder")
    assert reminder.payload["tracking_id"] == soon.tracking_id
    assert reminder.payload["sla_step"] == "first_response"


def test_side_effects_are_queued_on_commit(world, django_capture_on_commit_callbacks):
    report = make_report("disposed", agency=world.agency)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_act(action="dispose", actor_user=world.users["agency_admin"],
                   report_id=report.pk, params={"unit": world.unit.code})  # fmt: skip
    assert len(callbacks) == 1
    message = OutboxMessage.objects.get(topic="report.dispose")
    assert message.processed_at is not None  # Huey runs immediately in tests
    assert message.payload["tracking_id"] == report.tracking_id


def test_a_holiday_override_recomputes_open_deadlines(world):
    # given an open report whose verification clock started Monday 2025-06-02 (due Thu 06-05)
    start = datetime(2025, 6, 2, 9, 0, tzinfo=JAKARTA)
    report = make_report("submitted", agency=world.agency, now=start, age_days=0)
    assert report.deadline == datetime(2025, 6, 5, 23, 59, 59, tzinfo=JAKARTA)
    closed = make_report("closed", agency=world.agency, unit=world.unit)
    # when Wednesday 06-04 becomes a day off by decree
    HolidayOverride.objects.create(date=date(2025, 6, 4), kind="day_off", name="Libur khusus",
                                   legal_basis="Keppres 1/2025")  # fmt: skip
    changed = sweeps.reports_recompute_deadlines(reason="Keppres 1/2025")
    # then the open report is due on its new 3rd working day: Tue 06-03, Thu 06-05, then (Fri
    # 06-06 Idul Adha, Mon 06-09 cuti bersama) Tuesday 06-10
    report.refresh_from_db()
    assert changed == 1
    assert report.deadline == datetime(2025, 6, 10, 23, 59, 59, tzinfo=JAKARTA)
    event = Event.objects.get(report=report, action="deadline_recomputed")
    assert event.text == "Keppres 1/2025"
    assert event.data["clocks"]["verification"].startswith("2025-06-10")
    assert not Event.objects.filter(report=closed, action="deadline_recomputed").exists()
    # and running it again changes nothing
    assert sweeps.reports_recompute_deadlines(reason="Keppres 1/2025") == 0
    assert timeline_verify(report) == []


def test_a_calendar_decree_reaches_the_reports_through_the_outbox(
    world, django_capture_on_commit_callbacks
):
    # given an open report and the national admin deciding a day off by decree
    start = datetime(2025, 6, 2, 9, 0, tzinfo=JAKARTA)
    report = make_report("submitted", agency=world.agency, now=start, age_days=0)
    # when the override is created (the deadlines app publishes "calendar.changed")
    with django_capture_on_commit_callbacks(execute=True):
        holiday_override_create(actor=world.users["national"], date=date(2025, 6, 4),
                                kind="day_off", name="Libur khusus",
                                legal_basis="Keppres 1/2025")  # fmt: skip
    # then the reports app recomputed the deadline (the outbox runs at once in tests)
    report.refresh_from_db()
    assert report.deadline == datetime(2025, 6, 10, 23, 59, 59, tzinfo=JAKARTA)
    message = OutboxMessage.objects.get(topic="calendar.changed")
    assert message.processed_at is not None


def test_postponements_end_on_their_day(world):
    # given a report due Friday 06-13, postponed on Monday 2025-06-02 until Thursday 06-05
    monday = datetime(2025, 6, 2, 9, 0, tzinfo=JAKARTA)
    report = make_report(
        "in_progress",
        agency=world.agency,
        unit=world.unit,
        deadline=datetime(2025, 6, 13, 23, 59, 59, tzinfo=JAKARTA),
        postponed_at=monday,
        postponed_until=date(2025, 6, 5),
    )
    thursday = datetime(2025, 6, 5, 0, 10, tzinfo=JAKARTA)
    # when the daily task runs on Thursday, twice
    assert sweeps.reports_resume_postponed(now=thursday) == 1
    assert sweeps.reports_resume_postponed(now=thursday) == 0
    # then the clocks run again, 3 working days later (Tue, Wed, Thu), recorded by the system
    report.refresh_from_db()
    assert not report.is_postponed and report.paused_at is None
    # Fri 06-13 + 3 working days: Mon 06-16, Tue 06-17, Wed 06-18
    assert report.deadline == datetime(2025, 6, 18, 23, 59, 59, tzinfo=JAKARTA)
    event = Event.objects.get(report=report, action="resume")
    assert event.actor_role == "system" and event.data["paused_working_days"] == 3
