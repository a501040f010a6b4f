"""The lifecycle through `report_act`: forwarding, disposition, clocks, archive, reply, rate,
referral, reopening, concurrency and all-or-nothing transitions (the regulation's own rules are in
test_regulation.py)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.utils import timezone

from lapor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lapor.core.models import OutboxMessage
from lapor.reports import services
from lapor.reports.actions import engine
from lapor.reports.actions.engine import report_act
from lapor.reports.events import timeline_verify
from lapor.reports.models import Event, Report
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import GUEST_KEY, make_report

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def act(report, action, user, now=None, **params):
    return report_act(action=action, actor_user=user, report_id=report.pk, params=params, now=now)


def last_event(report) -> Event:
    event = Event.objects.filter(report=report).order_by("-seq").first()
    assert event is not None
    return event


def actions_of(report) -> list[str]:
    return list(
        Event.objects.filter(report=report).order_by("seq").values_list("action", flat=True)
    )


def test_full_path_from_submission_to_rating(world):
    # given a guest's report to the organisation
    u = world.users
    result = services.report_submit(
        actor_user=None,
        data=services.ReportSubmission(
            type="pengaduan",
            title="Sampah menumpuk di pasar",
            content="Sampah di Pasar Besar tidak diangkut selama seminggu, baunya menyengat.",
            agency=world.agency.code,
        ),
    )
    report, key = result.report, result.reporter_key
    # when it is verified, disposed, answered, and the reporter rates and closes it
    act(report, "verify", u["agency_admin"], sla_class="complaint")
    act(report, "dispose", u["agency_admin"], unit=world.unit.code)
    act(report, "respond", u["unit_admin"], content="Sampah sudah diangkut pagi ini.")
    report_act(action="rate", actor_user=None, report_id=report.pk, reporter_key=key,
               params={"score": 5, "comment": "Cepat!"})  # fmt: skip
    report_act(action="close", actor_user=None, report_id=report.pk, reporter_key=key, params={})
    # then the report is closed, rated, and the timeline holds each step, intact
    report.refresh_from_db()
    assert report.status == "closed" and report.rating == 5 and report.deadline is None
    assert actions_of(report) == ["submit", "verify", "dispose", "respond", "rate", "close"]
    assert report.unit == world.unit and report.first_response_at is not None
    assert timeline_verify(report) == []
    closing = Event.objects.get(report=report, action="close")
    assert closing.actor_role == "reporter" and closing.actor is None


def test_forwarding_keeps_the_tracking_id_and_history(world):
    # given a report being handled by the organisation
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    tracking_id = report.tracking_id
    # when its admin says "bukan wewenang" and forwards it to the ministry
    act(report, "forward", world.users["agency_admin"], agency=world.other_agency.code,
        reason="Urusan kesehatan, bukan wewenang pemkot.")  # fmt: skip
    report.refresh_from_db()
    # then it waits at the ministry (disposed), same ID, with the forwarding on its timeline
    assert (report.tracking_id, report.status) == (tracking_id, "disposed")
    assert report.agency == world.other_agency and report.unit is None
    event = last_event(report)
    assert (event.action, event.from_agency, event.to_agency) == (
        "forward", world.agency, world.other_agency
    )  # fmt: skip
    assert event.from_unit == world.unit and event.text.startswith("Urusan kesehatan")
    assert report.deadline_step == "first_response"
    # and the ministry's admin may act now while the first organisation may not
    with pytest.raises(PermissionDenied):
        act(report, "postpone", world.users["agency_admin"], reason="x")
    # when the ministry sends it back to the national queue
    act(report, "forward", world.users["other_admin"], reason="Bukan wewenang kami juga.")
    report.refresh_from_db()
    assert (report.status, report.agency, report.deadline_step) == (
        "submitted", None, "verification"
    )  # fmt: skip
    assert Event.objects.filter(report=report, action="forward").count() == 2


def test_disposition_goes_down_the_unit_tree(world):
    u = world.users
    report = make_report("disposed", agency=world.agency)
    # when the organisation's admin disposes to a unit, that unit's admin further down
    act(report, "dispose", u["agency_admin"], unit=world.unit.code)
    act(report, "dispose", u["unit_admin"], unit=world.sub_unit.code)
    report.refresh_from_db()
    assert report.unit == world.sub_unit and report.status == "in_progress"
    # then a unit admin cannot send it sideways, and a unit of another organisation is refused
    with pytest.raises((PermissionDenied, NotFound)):
        act(report, "dispose", u["other_unit_admin"], unit=world.unit.code)
    with pytest.raises(ValidationFailed) as info:
        act(report, "dispose", u["agency_admin"], unit="unit-tidak-ada")
    assert (info.value.errors or [{}])[0]["field"] == "unit"


def test_postponement_pauses_the_clock(world):
    # given a report due Friday 2025-06-13 (a normal week)
    deadline = datetime(2025, 6, 13, 23, 59, 59, tzinfo=JAKARTA)
    report = make_report("in_progress", agency=world.agency, unit=world.unit, deadline=deadline)
    monday = datetime(2025, 6, 9, 9, 0, tzinfo=JAKARTA)
    thursday = datetime(2025, 6, 12, 9, 0, tzinfo=JAKARTA)
    # when it is postponed on Monday and resumed on Thursday
    act(report, "postpone", world.users["agency_admin"], now=monday, reason="Menunggu anggaran.")
    report.refresh_from_db()
    assert report.is_postponed and report.status == "in_progress"
    assert report.paused_at == monday and report.postpone_reason == "Menunggu anggaran."
    with pytest.raises(Conflict):
        act(report, "postpone", world.users["agency_admin"], now=monday, reason="lagi")
    act(report, "resume", world.users["agency_admin"], now=thursday)
    # then the deadline moves by the 3 working days lost (Tue, Wed, Thu) to Wednesday 06-18
    report.refresh_from_db()
    assert not report.is_postponed and report.paused_at is None
    assert report.deadline == datetime(2025, 6, 18, 23, 59, 59, tzinfo=JAKARTA)
    resume = Event.objects.get(report=report, action="resume")
    assert resume.data["paused_working_days"] == 3


def test_an_extension_is_bounded_once_with_a_reason(world):
    # given a first follow-up due Friday 2025-06-13 (5 working days)
    deadline = datetime(2025, 6, 13, 23, 59, 59, tzinfo=JAKARTA)
    report = make_report("disposed", agency=world.agency, deadline=deadline)
    admin = world.users["agency_admin"]
    assert report.deadline_step == "first_response"
    # when asking for more than the original 5 working days, or without a reason
    with pytest.raises(ValidationFailed):
        act(report, "extend", admin, reason="Perlu survei.", working_days=6, step="first_response")
    with pytest.raises(ValidationFailed):
        act(report, "extend", admin, working_days=2, step="first_response")
    # when extending by 2 working days with a reason
    act(report, "extend", admin, reason="Perlu survei lapangan.", working_days=2,
        step="first_response")  # fmt: skip
    report.refresh_from_db()
    # then the deadline moves to Tuesday 06-17, the reason is public, and only once per step
    assert report.deadline == datetime(2025, 6, 17, 23, 59, 59, tzinfo=JAKARTA)
    body = client_for(None).get(f"/api/v1/reports/{report.tracking_id}").json()
    running = {d["step"]: d for d in body["deadlines"]}
    assert running["first_response"]["extension_reason"] == "Perlu survei lapangan."
    assert running["first_response"]["extended_days"] == 2
    with pytest.raises(ValidationFailed):
        act(report, "extend", admin, reason="Lagi.", working_days=1, step="first_response")
    # the completion step may still be extended once
    act(report, "extend", admin, reason="Menunggu anggaran.", step="completion")


def test_archiving_a_duplicate_links_the_original(world):
    original = make_report("in_progress", agency=world.agency, unit=world.unit)
    copy = make_report("submitted", agency=world.agency)
    national = world.users["national"]
    # when archived as duplicate without naming the original
    with pytest.raises(ValidationFailed) as info:
        act(copy, "archive", national, reason_code="duplicate")
    assert (info.value.errors or [{}])[0]["field"] == "duplicate_of"
    with pytest.raises(ValidationFailed):
        act(copy, "archive", national, reason_code="spam")
    # when archived naming it
    act(copy, "archive", national, reason_code="duplicate", duplicate_of=original.tracking_id)
    copy.refresh_from_db()
    # then the copy is archived, linked, with no running deadline
    assert (copy.status, copy.archive_reason, copy.duplicate_of) == (
        "archived", "duplicate", original
    )  # fmt: skip
    assert copy.deadline is None
    body = client_for(None).get(f"/api/v1/reports/{copy.tracking_id}").json()
    assert body["duplicate_of"] == original.tracking_id and body["archive_reason"] == "duplicate"


def test_a_dispute_sends_the_report_back_and_restarts_the_clock(world):
    # given a responded report with its closing clock running
    now = datetime(2025, 6, 9, 9, 0, tzinfo=JAKARTA)
    reporter = world.users["reporter"]
    report = make_report("responded", agency=world.agency, unit=world.unit, reporter=reporter)
    # when the reporter disputes the answer
    act(report, "reply", reporter, now=now, content="Belum diperbaiki sama sekali.", disputes=True)
    report.refresh_from_db()
    # then it is in progress again with a new follow-up deadline counted from the dispute
    assert report.status == "in_progress" and report.deadline_step == "follow_up"
    # (Monday 06-09 is cuti bersama Idul Adha: the clock starts Tuesday 06-10, + 5 working days)
    assert report.deadline == datetime(2025, 6, 17, 23, 59, 59, tzinfo=JAKARTA)
    event = last_event(report)
    assert (event.action, event.reason_code, event.data["disputes"]) == ("reply", "dispute", True)


def test_rating_needs_a_response_a_valid_score_and_happens_once(world):
    reporter = world.users["reporter"]
    report = make_report("responded", agency=world.agency, unit=world.unit, reporter=reporter)
    for bad in (0, 6, "lima", True):
        with pytest.raises(ValidationFailed):
            act(report, "rate", reporter, score=bad)
    act(report, "rate", reporter, score=3)
    with pytest.raises(Conflict):
        act(report, "rate", reporter, score=4)
    report.refresh_from_db()
    assert report.rating == 3


def test_the_reporter_asks_for_a_referral_once_completion_is_late(world):
    reporter = world.users["reporter"]
    # given a report received three days ago: its completion deadline has not passed
    young = make_report("in_progress", agency=world.agency, unit=world.unit, reporter=reporter,
                        age_days=5)  # fmt: skip
    with pytest.raises(Conflict) as info:
        act(young, "escalate", reporter, to="ombudsman")
    assert "escalate" not in info.value.extra["allowed_actions"]
    # given one received weeks ago and still not completed
    old = make_report("in_progress", agency=world.agency, unit=world.unit, reporter=reporter,
                      age_days=70)  # fmt: skip
    with pytest.raises(ValidationFailed):
        act(old, "escalate", reporter, to="polisi")
    act(old, "escalate", reporter, to="ombudsman")
    old.refresh_from_db()
    # then the referral is recorded, with the reporter's consent; the report stays open, the
    # organisation's, with its clocks
    assert old.status == "in_progress" and old.referred_to_ombudsman_at is not None
    assert old.agency == world.agency and old.deadline is not None
    event = last_event(old)
    assert (event.action, event.actor_role, event.data["consent"]) == (
        "escalate", "reporter", "reporter"
    )  # fmt: skip
    # and only once
    with pytest.raises(Conflict):
        act(old, "escalate", reporter, to="ombudsman")


def test_reopening_within_the_closing_period(world):
    reporter = world.users["reporter"]
    late = make_report("closed", agency=world.agency, unit=world.unit, reporter=reporter,
                       closed_at=timezone.now() - timedelta(days=40))  # fmt: skip
    # the reporter is too late, the national admin is not bound by the period
    with pytest.raises(Conflict):
        act(late, "reopen", reporter, reason="Masih rusak.")
    act(late, "reopen", world.users["national"], reason="Ditemukan masalah baru.")
    late.refresh_from_db()
    assert late.status == "in_progress" and late.closed_at is None
    recent = make_report("closed", agency=world.agency, unit=world.unit, reporter=reporter)
    act(recent, "reopen", reporter, reason="Masih rusak.")
    recent.refresh_from_db()
    assert recent.status == "in_progress" and recent.deadline_step == "follow_up"


def test_guest_reporter_acts_with_the_key(world):
    report = make_report("responded", agency=world.agency, unit=world.unit, guest=True)
    url = f"/api/v1/reports/{report.tracking_id}/close"
    # a wrong key is refused; the right one in the header or in the body works
    wrong = client_for(None).post(url, {}, content_type="application/json",
                                  HTTP_X_REPORTER_KEY="salah")  # fmt: skip
    assert wrong.status_code == 403
    ok = client_for(None).post(url, {"note": "Terima kasih", "reporter_key": GUEST_KEY},
                               content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["status"] == "closed"
    # after closing, the key holder may still rate
    rated = client_for(None).post(
        f"/api/v1/reports/{report.tracking_id}/rate", {"score": 4},
        content_type="application/json", HTTP_X_REPORTER_KEY=GUEST_KEY,
    )  # fmt: skip
    assert rated.status_code == 200 and rated.json()["rating"] == 4


def test_support_once_per_user_and_never_by_the_reporter(world):
    reporter = world.users["reporter"]
    report = make_report("in_progress", agency=world.agency, unit=world.unit, reporter=reporter)
    citizen = world.users["citizen"]
    act(report, "support", citizen)
    with pytest.raises(Conflict):
        act(report, "support", citizen)
    with pytest.raises(PermissionDenied):
        act(report, "support", reporter)
    act(report, "support", world.users["agency_admin"])
    report.refresh_from_db()
    assert report.supports_count == 2
    with pytest.raises(PermissionDenied):
        act(report, "support", None)


def test_privacy_raised_by_the_reporter_is_recorded(world):
    reporter = world.users["reporter"]
    report = make_report("disposed", agency=world.agency, reporter=reporter)
    act(report, "set_privacy", reporter, is_confidential=True)
    report.refresh_from_db()
    assert report.is_confidential
    event = last_event(report)
    assert (event.action, event.actor, event.actor_role) == ("set_privacy", reporter, "reporter")
    assert event.data == {"raised": ["is_confidential"], "lowered": []}


def test_unknown_and_system_actions_are_not_reachable(world):
    report = make_report("responded", agency=world.agency)
    response = client_for(world.users["national"]).post(
        f"/api/v1/reports/{report.tracking_id}/auto_close", {}, content_type="application/json"
    )
    assert response.status_code == 404
    with pytest.raises(NotFound):
        act(report, "mark_late", world.users["national"])


# --- concurrency and atomicity -------------------------------------------------------------


def test_two_officers_at_once_one_wins(world, django_db_blocker):
    # given a submitted report and two admins who both loaded it
    report = make_report("submitted", agency=world.agency)
    seen_hash = Report.objects.get(pk=report.pk).last_event_hash
    first, second = world.users["national"], world.users["agency_admin"]
    # when both verify it: the first wins
    report_act(action="verify", actor_user=first, report_id=report.pk,
               params={"agency": world.agency.code}, expected_event_hash=seen_hash)  # fmt: skip
    # then the second, acting on what it saw, gets 409 — with or without If-Match
    with pytest.raises(Conflict):
        report_act(action="verify", actor_user=second, report_id=report.pk,
                   params={"agency": world.agency.code}, expected_event_hash=seen_hash)  # fmt: skip
    with pytest.raises(Conflict):
        report_act(action="verify", actor_user=second, report_id=report.pk,
                   params={"agency": world.agency.code})  # fmt: skip
    # and a same-status action on a stale view is refused too
    with pytest.raises(Conflict):
        report_act(action="note", actor_user=second, report_id=report.pk,
                   params={"text": "x"}, expected_event_hash=seen_hash)  # fmt: skip
    report.refresh_from_db()
    assert actions_of(report) == ["submit", "verify"] and timeline_verify(report) == []


def test_if_match_header_through_the_api(world):
    report = make_report("disposed", agency=world.agency)
    client = client_for(world.users["agency_admin"])
    url = f"/api/v1/reports/{report.tracking_id}/dispose"
    stale = client.post(url, {"unit": world.unit.code}, content_type="application/json",
                        HTTP_IF_MATCH='"deadbeef"')  # fmt: skip
    assert stale.status_code == 409 and "allowed_actions" in stale.json()
    fresh = client.post(url, {"unit": world.unit.code}, content_type="application/json",
                        HTTP_IF_MATCH=f'"{report.last_event_hash}"')  # fmt: skip
    assert fresh.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_verifications_in_threads(world):
    """Real threads on PostgreSQL (row lock); on SQLite the writers are serialised by the
    IMMEDIATE transaction mode, and the test database lives in one connection, so the two
    attempts run one after the other there. Either way exactly one wins."""
    report = make_report("submitted", agency=world.agency)
    users = [world.users["national"], world.users["agency_admin"]]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(user) -> None:
        try:
            barrier.wait(timeout=5)
            report_act(action="verify", actor_user=user, report_id=report.pk,
                       params={"agency": world.agency.code})  # fmt: skip
            outcomes.append("ok")
        except Conflict:
            outcomes.append("409")
        finally:
            connections.close_all() if connection.vendor == "postgresql" else None

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    else:
        barrier = threading.Barrier(1)
        for u in users:
            attempt(u)
    assert sorted(outcomes) == ["409", "ok"]
    report.refresh_from_db()
    assert report.status == "disposed"
    assert actions_of(report) == ["submit", "verify"] and timeline_verify(report) == []


def test_a_failure_while_writing_the_event_leaves_nothing(world, monkeypatch):
    report = make_report("disposed", agency=world.agency)
    before = (report.status, report.last_event_hash, Event.objects.count())

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "event_append", boom)
    with pytest.raises(RuntimeError):
        act(report, "dispose", world.users["agency_admin"], unit=world.unit.code)
    report.refresh_from_db()
    assert (report.status, report.last_event_hash, Event.objects.count()) == before
    assert report.unit is None


def test_a_failure_after_the_event_leaves_nothing(world, monkeypatch):
    # given a failure in the last step (queueing side effects), after the event was written
    report = make_report("disposed", agency=world.agency)
    events_before = Event.objects.count()
    outbox_before = OutboxMessage.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(engine, "outbox_write", boom)
    with pytest.raises(RuntimeError):
        act(report, "respond", world.users["agency_admin"], content="Sudah kami tangani.")
    # then the status, the event and the head of the chain are all as before
    report.refresh_from_db()
    assert report.status == "disposed" and report.responded_at is None
    assert Event.objects.count() == events_before
    assert OutboxMessage.objects.count() == outbox_before
    assert timeline_verify(report) == []
