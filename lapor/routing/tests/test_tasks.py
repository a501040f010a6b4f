"""The routing tasks and the outbox handler (Huey runs tasks immediately in tests)."""

from __future__ import annotations

from types import SimpleNamespace

from lapor.routing import tasks
from lapor.routing.models import ResponseFingerprint
from lapor.routing.tests.conftest import SUBSTANTIVE_ANSWER, answered


def test_fingerprint_response_task(world):
    # given an answer
    _report, event = answered(world.agency, SUBSTANTIVE_ANSWER)
    # when the task runs for it and for an unknown event
    tasks.fingerprint_response.call_local(event.pk)
    missing = tasks.fingerprint_response.call_local(999_999)
    # then the answer is fingerprinted and the unknown event is ignored
    assert ResponseFingerprint.objects.filter(event=event).exists()
    assert missing is False


def test_the_outbox_handler_queues_the_answer(world):
    # given the outbox message of an answer
    report, event = answered(world.agency, SUBSTANTIVE_ANSWER)
    message = SimpleNamespace(payload={"report_id": report.pk, "event_seq": event.seq})
    # when the handler receives it
    tasks.on_report_outbox(message)
    # then the answer is fingerprinted
    assert ResponseFingerprint.objects.filter(event=event).count() == 1


def test_the_outbox_handler_ignores_a_malformed_message(world):
    # given messages without a usable report or event
    for payload in [{}, {"report_id": "x", "event_seq": 1}, {"report_id": 1, "event_seq": 99}]:
        # when the handler receives them
        tasks.on_report_outbox(SimpleNamespace(payload=payload))
    # then nothing happens and nothing is raised
    assert ResponseFingerprint.objects.count() == 0


def test_the_periodic_backfill(world):
    # given an answer without a fingerprint
    answered(world.agency, SUBSTANTIVE_ANSWER)
    # when the hourly task runs
    done = tasks.fingerprint_missing_responses.call_local()
    # then it is recorded
    assert done == 1 and ResponseFingerprint.objects.count() == 1
