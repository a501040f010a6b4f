"""Scheduled refresh of the aggregate tables (Huey). Thin: each task calls one service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="*/10"))
def stats_refresh_today() -> int:
    """Every 10 minutes: rebuild today's rows, so the figures lag the events by minutes."""
    from .services import daily_stats_refresh_today

    return daily_stats_refresh_today()


@db_periodic_task(crontab(hour="18", minute="30"))  # 01:30 Asia/Jakarta (UTC+7)
def stats_rebuild_nightly() -> int:
    """Nightly: rebuild the last seven days (late events, confidentiality changes)."""
    from .services import daily_stats_rebuild_recent

    return daily_stats_rebuild_recent(days=7)


@db_task(retries=2, retry_delay=30)
def stats_rebuild_range(*, day_from: str, day_to: str, agency_id: int | None = None) -> int:
    """On demand (e.g. after a historical import): rebuild a range of days (ISO dates)."""
    from datetime import date

    from lapor.agencies.models import Agency

    from .services import daily_stats_rebuild

    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    return daily_stats_rebuild(
        day_from=date.fromisoformat(day_from), day_to=date.fromisoformat(day_to), agency=agency
    )
