"""Submission: field validation (every error at once), guest key, SLA, API, idempotency, limits."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lapor.agencies.tests.factories import CategoryFactory, RegionFactory
from lapor.core.errors import ValidationFailed
from lapor.core.models import OutboxMessage
from lapor.reports.models import Attachment, Event, Report, ReportClock
from lapor.reports.selectors import hash_reporter_key
from lapor.reports.services import ReportSubmission, report_submit
from lapor.reports.tests.conftest import client_for

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")

GOOD = {
    "type": "pengaduan",
    "title": "Lampu jalan mati total",
    "content": "Sudah dua minggu lampu jalan di Jalan Merdeka mati sehingga rawan kejahatan.",
}


def submission(**overrides) -> ReportSubmission:
    return ReportSubmission(**{**GOOD, **overrides})


def test_every_field_error_is_reported_at_once(world):
    # given a submission that breaks every rule
    data = submission(
        type="keluhan",
        title="pendek",
        content="terlalu pendek",
        category="tidak-ada",
        agency="tidak-ada",
        region="99.99.99",
        lat=-20.0,
        lon=200.0,
        event_date=date.today() + timedelta(days=3),
        channel="fax",
    )
    # when it is submitted
    with pytest.raises(ValidationFailed) as info:
        report_submit(actor_user=None, data=data)
    # then each field is named, with a message, in one answer
    fields = {e["field"] for e in (info.value.errors or [])}
    assert fields == {
        "type", "title", "content", "category", "agency", "region", "lat", "lon",
        "event_date", "channel",
    }  # fmt: skip
    assert all(e["message"] for e in (info.value.errors or []))
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("lat", "lon", "bad"),
    [
        (1.35, 103.8, None),  # Batam, inside
        (-11.6, 110.0, "lat"),  # south of Indonesia
        (7.0, 120.0, "lat"),  # north of Indonesia (Mindanao)
        (-6.2, 94.0, "lon"),  # west of Aceh
        (-2.5, 141.6, "lon"),  # east of Papua
        (-6.2, None, "lon"),  # only one of the two
    ],
)
def test_coordinates_must_be_inside_indonesia(world, lat, lon, bad):
    data = submission(lat=lat, lon=lon)
    if bad is None:
        assert report_submit(actor_user=None, data=data).report.lat == lat
    else:
        with pytest.raises(ValidationFailed) as info:
            report_submit(actor_user=None, data=data)
        assert [e["field"] for e in (info.value.errors or [])] == [bad]


@pytest.mark.parametrize(("title_len", "ok"), [(9, False), (10, True), (150, True), (151, False)])
def test_title_length_bounds(world, title_len, ok):
    data = submission(title="a" * title_len)
    if ok:
        assert report_submit(actor_user=None, data=data).report.title == "a" * title_len
    else:
        with pytest.raises(ValidationFailed):
            report_submit(actor_user=None, data=data)


@pytest.mark.parametrize(("n", "ok"), [(29, False), (30, True), (10_000, True), (10_001, False)])
def test_content_length_bounds(world, n, ok):
    data = submission(content="b" * n)
    if ok:
        assert len(report_submit(actor_user=None, data=data).report.content) == n
    else:
        with pytest.raises(ValidationFailed):
            report_submit(actor_user=None, data=data)


def test_guest_gets_a_key_and_only_its_hash_is_stored(world):
    # when a guest submits
    result = report_submit(actor_user=None, data=submission(agency=world.agency.code))
    # then a secret key is returned once and only its SHA-256 is kept
    assert result.reporter_key and len(result.reporter_key) >= 24
    report = result.report
    assert report.reporter_key_hash == hash_reporter_key(result.reporter_key)
    assert result.reporter_key not in report.reporter_key_hash
    assert report.requested_agency == world.agency and report.agency is None


def test_account_reporter_gets_no_key(world):
    result = report_submit(actor_user=world.users["reporter"], data=submission())
    assert result.reporter_key is None
    assert result.report.reporter == world.users["reporter"]


def test_submission_starts_the_verification_clock_and_the_timeline(world):
    # given a submission on Thursday 2025-03-27 at 10:00 Jakarta (before the cut-off)
    now = datetime(2025, 3, 27, 10, 0, tzinfo=JAKARTA)
    category = CategoryFactory()
    region = RegionFactory(code="35.78")
    # when it is submitted
    report = report_submit(
        actor_user=None,
        data=submission(category=category.code, region=region.code),
        now=now,
    ).report
    # then the deadline is 3 working days later, skipping Nyepi, cuti bersama and Idul Fitri:
    # 2025-04-10 at the end of the day (the issue's own example)
    assert report.deadline == datetime(2025, 4, 10, 23, 59, 59, tzinfo=JAKARTA)
    assert report.deadline_step == "verification"
    # (ladder version 2, the corrected reading of PermenPANRB 62/2018, governs every date)
    assert report.sla_ruleset is not None and report.sla_ruleset.version == 2
    assert report.status == "submitted" and report.sla_class == "complaint"
    clock = ReportClock.objects.get(report=report)
    assert (clock.step, clock.due_at, clock.agency) == ("verification", report.deadline, None)
    # and the first event is `submit`, chained, with an outbox message
    event = Event.objects.get(report=report)
    assert (event.seq, event.action, event.to_status) == (1, "submit", "submitted")
    assert report.last_event_hash == event.hash
    assert OutboxMessage.objects.filter(topic="report.submitted").count() == 1


def test_a_report_after_the_cutoff_counts_from_the_next_working_day(world):
    # Friday 2025-05-02 16:30 → clock starts Monday 05-05; 3 working days → Thursday 05-08
    now = datetime(2025, 5, 2, 16, 30, tzinfo=JAKARTA)
    report = report_submit(actor_user=None, data=submission(), now=now).report
    assert report.deadline == datetime(2025, 5, 8, 23, 59, 59, tzinfo=JAKARTA)


# --- through the API ---------------------------------------------------------------------------


def test_api_submit_as_guest(world):
    # when a guest posts JSON
    response = Client().post(
        "/api/v1/reports", {**GOOD, "agency": world.agency.code}, content_type="application/json"
    )
    # then 201 with the contract's fields and a reporter key
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"tracking_id", "status", "deadline", "reporter_key"}
    assert body["status"] == "submitted" and body["reporter_key"]
    assert body["deadline"].endswith("+07:00")
    assert Report.objects.filter(tracking_id=body["tracking_id"]).exists()


def test_api_submit_validation_is_a_problem_with_fields(world):
    response = Client().post(
        "/api/v1/reports",
        {**GOOD, "title": "x", "lat": 50, "lon": 110},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"title", "lat"} <= fields


def test_api_submit_with_attachments(world):
    # given a PNG image and a multipart form
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buffer, format="PNG")
    photo = SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")
    # when posted as multipart with the file under `attachments`
    response = client_for(world.users["reporter"]).post(
        "/api/v1/reports", {**GOOD, "is_anonymous": "true", "attachments": [photo]}
    )
    # then the report and its attachment exist, tied to the submit event
    assert response.status_code == 201, response.content
    report = Report.objects.get(tracking_id=response.json()["tracking_id"])
    assert report.is_anonymous is True
    attachment = Attachment.objects.get(report=report)
    assert attachment.event is not None and attachment.event.action == "submit"
    assert attachment.content_type == "image/png"


def test_api_submit_rejects_a_disguised_file(world):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = Client().post("/api/v1/reports", {**GOOD, "attachments": [fake]})
    assert response.status_code == 422
    assert any(e["field"].startswith("attachments") for e in response.json()["errors"])
    assert Report.objects.count() == 0


def test_api_submit_is_idempotent(world):
    # when the same key and body are posted twice
    client = Client()
    first = client.post(
        "/api/v1/reports", GOOD, content_type="application/json", HTTP_IDEMPOTENCY_KEY="kunci-1"
    )
    second = client.post(
        "/api/v1/reports", GOOD, content_type="application/json", HTTP_IDEMPOTENCY_KEY="kunci-1"
    )
    # then one report, the same answer twice
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Report.objects.count() == 1


def test_api_submit_is_rate_limited_per_ip(world, settings):
    settings.LAPOR = {**settings.LAPOR, "RATE_LIMIT_SUBMIT_PER_IP": 2}
    client = Client()
    codes = [
        client.post("/api/v1/reports", GOOD, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    limited = client.post("/api/v1/reports", GOOD, content_type="application/json")
    assert int(limited["Retry-After"]) >= 1
    assert Report.objects.count() == 2


def test_api_submit_is_rate_limited_per_account(world, settings):
    settings.LAPOR = {
        **settings.LAPOR,
        "RATE_LIMIT_SUBMIT_PER_IP": 100,
        "RATE_LIMIT_SUBMIT_PER_ACCOUNT": 1,
    }
    client = client_for(world.users["reporter"])
    codes = [
        client.post("/api/v1/reports", GOOD, content_type="application/json").status_code
        for _ in range(2)
    ]
    assert codes == [201, 429]


def test_default_rate_limits_are_at_least_the_issues():
    from django.conf import settings

    assert settings.LAPOR["RATE_LIMIT_SUBMIT_PER_IP"] >= 10
    assert settings.LAPOR["RATE_LIMIT_SUBMIT_PER_ACCOUNT"] >= 20


def test_mistyped_and_unknown_tracking_ids(world):
    # given a submitted report
    report = report_submit(actor_user=None, data=submission()).report
    tid = report.tracking_id
    # when its ID is typed with one character changed
    alphabet = "23456789ABCDEFGHJKMNPQRTVWXYZ"
    wrong = tid[0] + next(c for c in alphabet if c != tid[1]) + tid[2:]
    mistyped = Client().get(f"/api/v1/reports/{wrong}")
    # then 404 says it is mistyped, while a well-formed unknown one is plain not_found
    assert mistyped.status_code == 404
    assert mistyped.json()["code"] == "mistyped_tracking_id"
    assert "salah ketik" in mistyped.json()["detail"]
    assert Client().get("/api/v1/reports/ZZZZZ-ZZZZZ-0").json()["code"] == "not_found"
    # and lower case with spaces still finds it
    typed = tid.lower().replace("-", " ")
    assert Client().get(f"/api/v1/reports/{typed}").status_code == 200
