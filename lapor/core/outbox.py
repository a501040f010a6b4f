"""The transactional outbox: facts written with the change that caused them, delivered after
commit to every subscriber, each with its own delivery record.

- `outbox_write(topic=…, payload=…)` inside the transaction of the change;
- `outbox_subscribe(name, topic_prefix, handler)` from an app's `ready()`: one topic may have
  many subscribers; a subscriber is known by its name, so its deliveries survive restarts;
- `outbox_process()` (a Huey task, kicked on commit and run every few minutes) delivers each
  pending message to each subscriber that has not had it yet. A subscriber that raises is retried
  at the next run, alone, up to `MAX_ATTEMPTS`; the others are never run twice. A message is
  processed once every subscriber delivered it or gave up.

The core app imports no domain app: domains publish here and subscribe here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboxDelivery, OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
Handler = Callable[[OutboxMessage], None]


@dataclass(frozen=True)
class Subscriber:
    name: str
    topic_prefix: str
    handler: Handler


_SUBSCRIBERS: dict[str, Subscriber] = {}


def outbox_subscribe(name: str, topic_prefix: str, handler: Handler) -> None:
    """Deliver every message whose topic starts with `topic_prefix` to `handler`."""
    _SUBSCRIBERS[name] = Subscriber(name, topic_prefix, handler)


def subscribers_for(topic: str) -> list[Subscriber]:
    return [s for s in _SUBSCRIBERS.values() if topic.startswith(s.topic_prefix)]


def outbox_write(*, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Record a fact in the current transaction; its delivery is queued after commit."""
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    transaction.on_commit(_kick)
    return message


# At most one immediate and one delayed outbox task per KICK_INTERVAL per process: a task
# delivers every pending message, so one queued right after a commit, and one scheduled for the
# end of the interval for commits made in between, deliver everything with at most two queue
# writes per second instead of one per transaction. In Huey's immediate mode (tests) every
# commit runs the outbox at once.
KICK_INTERVAL = 1.0
_kick_state = {"next_at": 0.0, "delayed": False}


def _kick() -> None:
    try:
        from huey.contrib.djhuey import HUEY

        from .tasks import process_outbox

        if HUEY.immediate:
            process_outbox()
            return
        moment = time.monotonic()
        if moment >= _kick_state["next_at"]:
            _kick_state["next_at"] = moment + KICK_INTERVAL
            _kick_state["delayed"] = False
            process_outbox()
        elif not _kick_state["delayed"]:
            _kick_state["delayed"] = True
            process_outbox.schedule(delay=_kick_state["next_at"] - moment + 0.05)
    except Exception:  # the periodic run delivers what a failed kick left behind
        logger.exception("could not queue the outbox")


def _deliver(message: OutboxMessage, subscriber: Subscriber, now: datetime) -> bool:
    """One subscriber's delivery of one message; True when it is settled (done or given up)."""
    try:
        with transaction.atomic():
            delivery, _created = OutboxDelivery.objects.select_for_update().get_or_create(
                message=message, subscriber=subscriber.name
            )
    except IntegrityError:  # another worker created it at the same moment
        delivery = OutboxDelivery.objects.get(message=message, subscriber=subscriber.name)
    if delivery.delivered_at is not None or delivery.gave_up_at is not None:
        return True
    try:
        subscriber.handler(message)
    except Exception as exc:
        attempts = delivery.attempts + 1
        gave_up = now if attempts >= MAX_ATTEMPTS else None
        OutboxDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, last_error=str(exc)[:2000], gave_up_at=gave_up
        )
        logger.warning("outbox %s → %s failed: %s", message.pk, subscriber.name, exc)
        return gave_up is not None
    OutboxDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1, delivered_at=now
    )
    return True


def outbox_process(*, limit: int = 200, now: datetime | None = None) -> int:
    """Deliver pending messages to each of their subscribers; returns how many messages are
    now processed (every subscriber settled)."""
    now = now or timezone.now()
    done = 0
    pending = list(OutboxMessage.objects.filter(processed_at__isnull=True).order_by("id")[:limit])
    for message in pending:
        settled = [_deliver(message, s, now) for s in subscribers_for(message.topic)]
        if all(settled):
            done += OutboxMessage.objects.filter(pk=message.pk, processed_at__isnull=True).update(
                processed_at=now
            )
    return done
