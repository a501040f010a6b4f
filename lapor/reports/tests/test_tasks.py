"""Scheduled work (closing, late marking, reminders, outbox) and deadline recomputation:
each does its job once and changes nothing when run again."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lapor.deadlines.models import HolidayOverride
from lapor.reports import services, tasks
from lapor.reports.events import timeline_verify
from lapor.reports.models import Event, OutboxMessage
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
    assert timeline_verify(due) == []


def test_mark_late_reports_once_per_deadline(world):
    now = timezone.now()
    late = make_report("in_progress", agency=world.agency, unit=world.unit,
                       deadline=now - timedelta(hours=2))  # fmt: skip
    make_report("in_progress", agency=world.agency, unit=world.unit,
                deadline=now + timedelta(days=3))  # fmt: skip
    paused = make_report("in_progress", agency=world.agency, unit=world.unit,
                         deadline=now - timedelta(hours=2), is_postponed=True,
                         paused_at=now - timedelta(days=3))  # fmt: skip
    assert tasks.mark_late_reports.call_local() == 1
    assert tasks.mark_late_reports.call_local() == 0
    assert Event.objects.filter(action="became_late").count() == 1
    event = Event.objects.get(action="became_late")
    assert event.report_id == late.pk and event.deadline == late.deadline
    assert not Event.objects.filter(report=paused, action="became_late").exists()
    # a new deadline that passes again is marked again
    late.refresh_from_db()
    late.deadline = now - timedelta(minutes=5)
    late.save(update_fields=["deadline"])
    assert services.reports_mark_late(now=now) == 1


def test_remind_officers_once_per_deadline(world):
    now = timezone.now()
    soon = make_report("in_progress", agency=world.agency, unit=world.unit,
                       deadline=timezone.localtime(now).replace(hour=23, minute=59, second=59))  # fmt: skip
    make_report("in_progress", agency=world.agency, unit=world.unit,
                deadline=now + timedelta(days=30))  # fmt: skip
    assert services.reports_remind_officers(now=now) == 1
    assert services.reports_remind_officers(now=now) == 0
    reminder = OutboxMessage.objects.get(topic="report.reminder")
    assert reminder.payload["tracking_id"] == soon.tracking_id


def test_outbox_is_delivered_once(world):
    delivered: list[int] = []
    services.outbox_register("report.", lambda message: delivered.append(message.pk))
    try:
        make_report("in_progress", agency=world.agency, unit=world.unit)
        OutboxMessage.objects.create(topic="report.submitted", payload={"x": 1})
        OutboxMessage.objects.create(topic="report.verify", payload={"x": 2})
        assert tasks.process_outbox.call_local() == 2
        assert tasks.process_outbox.call_local() == 0
        assert len(delivered) == 2
        assert not OutboxMessage.objects.filter(processed_at__isnull=True).exists()
    finally:
        services.OUTBOX_HANDLERS.pop("report.", None)


def test_a_failing_outbox_handler_is_retried_later(world):
    def broken(message):
        raise RuntimeError("smtp down")

    services.outbox_register("report.", broken)
    try:
        message = OutboxMessage.objects.create(topic="report.verify", payload={})
        assert services.outbox_process() == 0
        message.refresh_from_db()
        assert message.processed_at is None and message.attempts == 1
        assert "smtp down" in message.last_error
    finally:
        services.OUTBOX_HANDLERS.pop("report.", None)
    assert services.outbox_process() == 1


def test_side_effects_are_queued_on_commit(world, django_capture_on_commit_callbacks):
    report = make_report("disposed", agency=world.agency)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_act(action="dispose", actor_user=world.users["agency_admin"],
                            report_id=report.pk, params={"unit": world.unit.code})  # fmt: skip
    assert len(callbacks) == 1
    message = OutboxMessage.objects.get(topic="report.dispose")
    assert message.processed_at is not None  # Huey runs immediately in tests
    assert message.payload["tracking_id"] == report.tracking_id


def test_a_holiday_override_recomputes_open_deadlines(world):
    # given an open report whose verification clock started Monday 2025-06-02 (due Thu 06-05)
    start = datetime(2025, 6, 2, 9, 0, tzinfo=JAKARTA)
    report = make_report("submitted", agency=world.agency, clock_started_at=start,
                         deadline=datetime(2025, 6, 5, 23, 59, 59, tzinfo=JAKARTA),
                         deadline_step="verification")  # fmt: skip
    closed = make_report("closed", agency=world.agency, unit=world.unit)
    # when Wednesday 06-04 becomes a day off by decree
    HolidayOverride.objects.create(date=date(2025, 6, 4), kind="day_off", name="Libur khusus",
                                   legal_basis="Keppres 1/2025")  # fmt: skip
    changed = services.reports_recompute_deadlines(reason="Keppres 1/2025")
    # then the open report is due on its new 3rd working day: Tue 06-03, Thu 06-05, then (Fri
    # 06-06 Idul Adha, Mon 06-09 cuti bersama) Tuesday 06-10
    report.refresh_from_db()
    assert changed == 1
    assert report.deadline == datetime(2025, 6, 10, 23, 59, 59, tzinfo=JAKARTA)
    event = Event.objects.get(report=report, action="deadline_recomputed")
    assert event.text == "Keppres 1/2025" and event.data["old_deadline"].startswith("2025-06-05")
    assert not Event.objects.filter(report=closed, action="deadline_recomputed").exists()
    # and running it again changes nothing
    assert services.reports_recompute_deadlines(reason="Keppres 1/2025") == 0
    assert timeline_verify(report) == []


def test_postponements_end_on_their_day(world):
    # given a report postponed on Monday 2025-06-02 until Thursday 06-05, due Friday 06-13
    monday = datetime(2025, 6, 2, 9, 0, tzinfo=JAKARTA)
    report = make_report(
        "in_progress",
        agency=world.agency,
        unit=world.unit,
        deadline=datetime(2025, 6, 13, 23, 59, 59, tzinfo=JAKARTA),
        is_postponed=True,
        paused_at=monday,
        postponed_until=date(2025, 6, 5),
        postpone_reason="Menunggu anggaran.",
    )
    thursday = datetime(2025, 6, 5, 0, 10, tzinfo=JAKARTA)
    # when the daily task runs on Thursday, twice
    assert services.reports_resume_postponed(now=thursday) == 1
    assert services.reports_resume_postponed(now=thursday) == 0
    # then the clock runs again, 3 working days later (Tue, Wed, Thu), recorded by the system
    report.refresh_from_db()
    assert not report.is_postponed and report.paused_at is None
    # Fri 06-13 + 3 working days: Mon 06-16, Tue 06-17, Wed 06-18
    assert report.deadline == datetime(2025, 6, 18, 23, 59, 59, tzinfo=JAKARTA)
    event = Event.objects.get(report=report, action="resume")
    assert event.actor_role == "system" and event.data["paused_working_days"] == 3
