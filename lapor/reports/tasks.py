"""Scheduled work of the reports app (Huey). Thin: each task calls one sweep.

Every task is idempotent: running it twice changes nothing the second time (each sweep re-checks
under the row lock; reminders are keyed).
"""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import sweeps


@db_periodic_task(crontab(minute="7"))
def close_unanswered_reports() -> int:
    """Hourly: system close of responded reports whose closing period passed with no reply."""
    return sweeps.reports_close_unanswered()


@db_periodic_task(crontab(minute="9"))
def archive_unanswered_info_requests() -> int:
    """Hourly: archive reports whose reporter did not give the information asked in time."""
    return sweeps.reports_archive_unanswered_info_requests()


@db_periodic_task(crontab(minute="*/15"))
def mark_late_reports() -> int:
    """Every 15 minutes: a `became_late` event (once per step) on steps past their due time."""
    return sweeps.reports_mark_late()


@db_periodic_task(crontab(minute="5", hour="0"))
def resume_postponed_reports() -> int:
    """Daily just after midnight: end postponements whose `until` day has come."""
    return sweeps.reports_resume_postponed()


@db_periodic_task(crontab(minute="0", hour="7"))
def remind_officers() -> int:
    """Daily at 07:00: an outbox reminder for every deadline that is near."""
    return sweeps.reports_remind_officers(
        working_days_before=settings.LAPOR.get("REMINDER_WORKING_DAYS_BEFORE", 1)
    )


@db_task()
def recompute_deadlines(reason: str) -> int:
    """After a calendar change: recompute the running deadlines of open reports."""
    return sweeps.reports_recompute_deadlines(reason=reason)
