"""Background work of the deadlines app (Huey). Thin: take ids, call one service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=30)
def deadlines_recompute_task(*, reason: str, actor_id: int | None = None) -> None:
    """Recompute the deadlines of open reports after the calendar changed."""
    from lapor.accounts.models import User

    from .services import deadlines_recompute

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    deadlines_recompute(reason=reason, actor=actor)
