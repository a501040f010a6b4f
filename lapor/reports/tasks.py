"""Scheduled and queued work of the reports app (Huey). Thin: each task calls one service.

Every task is idempotent: running it twice changes nothing the second time (closing and
late-marking re-check under the row lock; reminders and outbox deliveries are keyed).
"""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def process_outbox() -> int:
    """Deliver pending outbox messages (queued on commit after every report change)."""
    return services.outbox_process()


@db_periodic_task(crontab(minute="*/5"))
def process_outbox_periodic() -> int:
    """Every 5 minutes: deliver whatever a failed or lost kick left behind."""
    return services.outbox_process()


@db_periodic_task(crontab(minute="7"))
def close_unanswered_reports() -> int:
    """Hourly: system close of responded reports whose closing period passed with no reply."""
    return services.reports_close_unanswered()


@db_periodic_task(crontab(minute="*/15"))
def mark_late_reports() -> int:
    """Every 15 minutes: a `became_late` event (once per deadline) on reports past due."""
    return services.reports_mark_late()


@db_periodic_task(crontab(minute="5", hour="0"))
def resume_postponed_reports() -> int:
    """Daily just after midnight: end postponements whose `until` day has come."""
    return services.reports_resume_postponed()


@db_periodic_task(crontab(minute="0", hour="7"))
def remind_officers() -> int:
    """Daily at 07:00: an outbox reminder for every deadline that is near."""
    return services.reports_remind_officers(
        working_days_before=settings.LAPOR.get("REMINDER_WORKING_DAYS_BEFORE", 1)
    )
