"""What the reports app does when other apps publish on the outbox."""

from __future__ import annotations

from lapor.core.models import OutboxMessage
from lapor.core.ttlcache import hot_path_max_age


def on_calendar_changed(message: OutboxMessage) -> None:
    """Recompute open reports' deadlines now, and once more after the submission path's cache
    age (a report submitted meanwhile in another process may have used the old calendar; a pass
    changes only deadlines that differ, so it is a no-op otherwise)."""
    from .tasks import recompute_deadlines

    reason = str((message.payload or {}).get("reason") or "calendar changed")
    recompute_deadlines(reason)
    recompute_deadlines.schedule(args=(reason,), delay=hot_path_max_age() + 1.0)
