"""Periodic housekeeping of the core app (Huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .idempotency import idempotency_records_purge
from .outbox import outbox_process


@db_periodic_task(crontab(minute="23"))
def idempotency_purge() -> int:
    """Hourly: delete `Idempotency-Key` records older than the TTL."""
    return idempotency_records_purge()


@db_task()
def process_outbox() -> int:
    """Deliver pending outbox messages (queued on commit after every change that wrote one)."""
    return outbox_process()


@db_periodic_task(crontab(minute="*/5"))
def process_outbox_periodic() -> int:
    """Every 5 minutes: deliver whatever a failed or lost kick, or a failing subscriber, left."""
    return outbox_process()
