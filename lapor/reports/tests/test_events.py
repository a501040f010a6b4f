"""The hash-chained timeline and `manage.py verify_timeline`."""

from __future__ import annotations

import itertools
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lapor.reports.events import event_append, timeline_verify
from lapor.reports.models import Event, Report
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


def _with_events(world, n: int = 3) -> Report:
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    for i in range(n):
        event_append(
            report=report,
            action="note",
            at=timezone.now() + timedelta(seconds=i),
            actor=world.users["agency_admin"],
            actor_role="agency_admin",
            text=f"catatan {i}",
            is_internal=True,
            data={"i": i, "nested": {"a": [1, 2]}},
        )
    return report


def raw_delete(event: Event) -> None:
    """Tampering happens behind the application's back: straight SQL."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_event WHERE id = %s", [event.pk])


def run_verify(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_timeline", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def test_events_are_numbered_and_chained(world):
    # given a report with a few events
    report = _with_events(world)
    events = list(Event.objects.filter(report=report).order_by("seq"))
    # then seq is 1..n, each event points to the previous hash, and the head is on the report
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ""
    for prev, event in itertools.pairwise(events):
        assert event.prev_hash == prev.hash
    report.refresh_from_db()
    assert report.last_event_hash == events[-1].hash
    assert timeline_verify(report) == []


def test_intact_timelines_pass(world):
    _with_events(world)
    _with_events(world, 1)
    code, output = run_verify()
    assert code == 0
    assert "2 timeline(s) intact" in output


def test_an_edited_event_is_caught(world):
    # given an intact timeline
    report = _with_events(world)
    # when someone edits an event's text directly in the database
    Event.objects.filter(report=report, seq=2).update(text="diubah diam-diam")
    # then verify_timeline reports that event as edited and exits non-zero
    code, output = run_verify("--report", report.tracking_id)
    assert code == 1
    assert f"{report.tracking_id} #2 edited" in output


def test_an_edited_time_is_caught(world):
    report = _with_events(world)
    Event.objects.filter(report=report, seq=3).update(at=timezone.now() - timedelta(days=9))
    assert [f.problem for f in timeline_verify(report)] == ["edited"]


def test_a_deleted_event_is_caught(world):
    # when an event in the middle is deleted
    report = _with_events(world)
    raw_delete(Event.objects.get(report=report, seq=2))
    # then the gap and the broken link are reported
    code, _output = run_verify("--report", report.tracking_id)
    assert code == 1
    problems = {(f.seq, f.problem) for f in timeline_verify(report)}
    assert (3, "gap") in problems and (3, "inserted_or_deleted") in problems


def test_a_deleted_last_event_is_caught(world):
    report = _with_events(world)
    last = Event.objects.filter(report=report).order_by("-seq").first()
    assert last is not None
    raw_delete(last)
    report.refresh_from_db()
    assert [f.problem for f in timeline_verify(report)] == ["head_mismatch"]


def test_an_inserted_event_is_caught(world):
    # given a timeline of events 1..5
    report = _with_events(world)
    last = Event.objects.filter(report=report).order_by("-seq").first()
    # when a forged event is slipped in after event 2 (later ones renumbered), even with a hash
    # computed the same way but without re-chaining the rest
    for event in Event.objects.filter(report=report, seq__gt=2).order_by("-seq"):
        Event.objects.filter(pk=event.pk).update(seq=event.seq + 1)
    second = Event.objects.get(report=report, seq=2)
    Event.objects.create(
        report=report,
        seq=3,
        action="respond",
        at=second.at,
        actor_role="agency_admin",
        text="tanggapan palsu",
        prev_hash=second.hash,
        hash="0" * 64,
    )
    # then the forged event and the one after it are reported
    findings = timeline_verify(report)
    assert any(f.seq == 3 and f.problem == "edited" for f in findings)
    assert any(f.seq == 4 and f.problem == "inserted_or_deleted" for f in findings)
    assert last is not None
    code, _output = run_verify()
    assert code == 1


def test_hash_survives_the_database_round_trip(world):
    # given an event with data of several JSON types
    report = _with_events(world, 1)
    event = Event.objects.filter(report=report).order_by("-seq").first()
    # when read back from the database, then its hash recomputes to the same value
    assert event is not None
    assert timeline_verify(report) == []
    assert event.data == {"i": 0, "nested": {"a": [1, 2]}}
