"""Periodic housekeeping of the core app (Huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .idempotency import idempotency_records_purge


@db_periodic_task(crontab(minute="23"))
def idempotency_purge() -> int:
    """Hourly: delete `Idempotency-Key` records older than the TTL."""
    return idempotency_records_purge()
