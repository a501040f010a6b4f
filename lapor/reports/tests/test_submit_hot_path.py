"""The submission hot path: its query budget, and that its per-process caches never hide a change
made in this process (a category, an override, a new ladder version)."""

from __future__ import annotations

import json
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.accounts.choices import Role
from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import CategoryFactory, RegionFactory
from lapor.core.errors import ValidationFailed
from lapor.deadlines.choices import OverrideKind
from lapor.deadlines.models import HolidayOverride
from lapor.deadlines.services import holiday_override_create, sla_ruleset_publish
from lapor.reports.events import timeline_verify
from lapor.reports.models import Event, Report
from lapor.reports.services import ReportSubmission, report_submit

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2025, 7, 7, 9, 0, tzinfo=JAKARTA)  # no holiday that week

GOOD = {
    "type": "pengaduan",
    "title": "Lampu jalan mati total",
    "content": "Sudah dua minggu lampu jalan di Jalan Merdeka mati sehingga rawan kejahatan.",
}


def submission(**overrides) -> ReportSubmission:
    return ReportSubmission(**{**GOOD, **overrides})


def api_body(world, n: int) -> str:
    return json.dumps(
        {**GOOD, "title": f"Lampu jalan mati total nomor {n}", "agency": world.agency.code}
    )


def test_a_guest_submission_is_four_inserts_once_the_caches_are_warm(world, client, settings):
    # given a category and region, and one submission that fills this process's caches
    settings.LAPOR = {**settings.LAPOR, "HOT_PATH_CACHE_SECONDS": 60}
    CategoryFactory(code="jalan")
    RegionFactory(code="31.71")
    body = json.loads(api_body(world, 0)) | {"category": "jalan", "region": "31.71"}
    first = client.post("/api/v1/reports", json.dumps(body), content_type="application/json")
    assert first.status_code == 201
    # when another guest submits
    body["title"] = "Lampu jalan mati total nomor 1"
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/reports", json.dumps(body), content_type="application/json")
    # then it is stored with no look-up of codes, ladder, overrides or a previous event, and
    # without an UPDATE of the report (the chain head is in its INSERT)
    assert response.status_code == 201
    sqls = [q["sql"] for q in queries.captured_queries]
    for table in ("agencies_", "deadlines_", "reports_event", "reports_report"):
        assert not [s for s in sqls if s.startswith("SELECT") and f'FROM "{table}' in s], table
    assert not [s for s in sqls if s.startswith("UPDATE") and '"reports_report"' in s]
    inserts = sorted(
        s.split()[2].strip('"') for s in sqls if s.startswith("INSERT")
    )  # the report, its first event, its verification clock, its public search document
    # (masked text) and the outbox
    public_document = "reports_report_public_" + (
        "fts" if connection.vendor == "sqlite" else "search"
    )
    assert inserts == sorted(
        ["core_outboxmessage", "reports_event", "reports_report", "reports_reportclock",
         public_document]
    )  # fmt: skip
    report = Report.objects.get(tracking_id=response.json()["tracking_id"])
    assert report.category is not None and report.category.code == "jalan"
    assert report.region_id == "31.71"
    assert timeline_verify(report) == []


def test_the_query_count_of_one_guest_submission_is_pinned(
    world, client, settings, django_assert_max_num_queries
):
    # given warm caches
    settings.LAPOR = {**settings.LAPOR, "HOT_PATH_CACHE_SECONDS": 60}
    assert (
        client.post(
            "/api/v1/reports", api_body(world, 0), content_type="application/json"
        ).status_code
        == 201
    )
    # when a guest submits, then the whole request stays within its budget: the report, event,
    # verification clock, public search document and outbox INSERTs, and the outbox run (its
    # SELECT and UPDATE) that Huey's immediate mode does in tests where production queues a task
    with django_assert_max_num_queries(7):
        response = client.post(
            "/api/v1/reports", api_body(world, 1), content_type="application/json"
        )
    assert response.status_code == 201


def test_the_first_event_is_chained_exactly_as_before(world):
    # when a report is submitted
    report = report_submit(actor_user=None, data=submission(agency=world.agency.code)).report
    # then its single event starts the chain and the stored head is that event's hash
    report.refresh_from_db()
    event = Event.objects.get(report=report)
    assert (event.seq, event.prev_hash) == (1, "")
    assert report.last_event_hash == event.hash
    assert timeline_verify(report) == []


def test_a_category_added_after_a_rejection_is_accepted_at_once(world, settings):
    # given caches that live long, and a code that is not known yet
    settings.LAPOR = {**settings.LAPOR, "HOT_PATH_CACHE_SECONDS": 60}
    with pytest.raises(ValidationFailed) as unknown:
        report_submit(actor_user=None, data=submission(category="air-bersih"))
    assert [e["field"] for e in unknown.value.errors or []] == ["category"]
    # when the category is added
    category = CategoryFactory(code="air-bersih")
    # then the next submission accepts it
    report = report_submit(actor_user=None, data=submission(category="air-bersih")).report
    assert report.category_id == category.pk
    # and when its code changes in this process, the old code is refused again
    category.code = "air-minum"
    category.save()
    with pytest.raises(ValidationFailed):
        report_submit(actor_user=None, data=submission(category="air-bersih"))


def test_an_override_is_seen_by_the_next_deadline_in_the_same_process(world, settings):
    # given a submission that cached the calendar check for a minute
    settings.LAPOR = {**settings.LAPOR, "HOT_PATH_CACHE_SECONDS": 60}
    admin = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    before = report_submit(actor_user=None, data=submission(), now=MONDAY).report
    # when Tuesday is made a day off by decree
    holiday_override_create(
        actor=admin,
        date=date(2025, 7, 8),
        kind=OverrideKind.DAY_OFF,
        name="Cuti bersama tambahan",
        legal_basis="Keppres 1/2025",
    )
    after = report_submit(actor_user=None, data=submission(), now=MONDAY).report
    # then the new report's deadline skips it, one working day later
    assert before.deadline is not None and after.deadline is not None
    assert after.deadline.astimezone(JAKARTA).date() == date(2025, 7, 11)
    assert before.deadline.astimezone(JAKARTA).date() == date(2025, 7, 10)
    # and removing it (here without the service) is seen too
    HolidayOverride.objects.all().delete()
    again = report_submit(actor_user=None, data=submission(), now=MONDAY).report
    assert again.deadline == before.deadline


def test_a_new_ladder_version_is_used_by_the_next_submission_in_the_same_process(world, settings):
    # given a submission under v2 that cached the published versions for a minute
    settings.LAPOR = {**settings.LAPOR, "HOT_PATH_CACHE_SECONDS": 60}
    admin = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    v2 = report_submit(actor_user=None, data=submission(), now=MONDAY).report
    # when v3 (verification in 5 working days) is published, effective before that Monday
    sla_ruleset_publish(
        actor=admin,
        name="PermenPANRB 5/2025 (contoh)",
        legal_basis="PermenPANRB 5/2025",
        effective_from=datetime(2025, 6, 1, tzinfo=JAKARTA),
        rules=[
            {"step": "verification", "days": 5},
            {"step": "first_response", "days": 5},
            {"step": "completion", "days": 5, "sla_class": "information_request"},
            {"step": "completion", "days": 14, "sla_class": "complaint"},
            {"step": "completion", "days": 60, "sla_class": "misconduct"},
            {"step": "follow_up", "days": 5},
            {"step": "closing", "days": 10},
        ],
    )
    v3 = report_submit(actor_user=None, data=submission(), now=MONDAY).report
    # then the next report keeps v3 and its longer deadline; one dated before keeps v2
    assert v3.sla_ruleset is not None and v2.sla_ruleset is not None
    assert (v2.sla_ruleset.version, v3.sla_ruleset.version) == (2, 3)
    assert v3.deadline is not None and v2.deadline is not None and v3.deadline > v2.deadline
    earlier = report_submit(
        actor_user=None, data=submission(), now=datetime(2025, 5, 5, 9, tzinfo=JAKARTA)
    ).report
    assert earlier.sla_ruleset is not None and earlier.sla_ruleset.version == 2


class _FakeTask:
    def __init__(self) -> None:
        self.now: list[int] = []
        self.delays: list[float] = []

    def __call__(self) -> None:
        self.now.append(1)

    def schedule(self, *, delay: float) -> None:
        self.delays.append(delay)


def test_the_outbox_is_queued_at_most_twice_a_second_outside_tests(monkeypatch):
    # given a real (not immediate) queue and a clock under control
    from huey.contrib.djhuey import HUEY

    from lapor.core import outbox, tasks

    fake = _FakeTask()
    clock = SimpleNamespace(t=1000.0)
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(tasks, "process_outbox", fake)
    monkeypatch.setattr(outbox.time, "monotonic", lambda: clock.t)
    monkeypatch.setattr(outbox, "_kick_state", {"next_at": 0.0, "delayed": False})
    # when five transactions commit within one second, then one more after it
    for t in (1000.0, 1000.1, 1000.4, 1000.7, 1000.9, 1001.2):
        clock.t = t
        outbox._kick()
    # then the first is kicked at once, one delayed task covers the rest of that second (it runs
    # after all of them), and the next second starts with an immediate kick again
    assert len(fake.now) == 2
    assert len(fake.delays) == 1 and 1001.0 <= 1000.1 + fake.delays[0] < 1001.2
