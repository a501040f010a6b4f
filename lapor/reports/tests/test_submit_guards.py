"""Guards of the submission service, for every channel: rate limits and an Idempotency-Key scoped
per client, whose record holds no reporter key and is written in the report's own transaction."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart
from django.urls import reverse
from PIL import Image

from lapor.core.errors import RateLimited
from lapor.core.idempotency import IdempotencyKeyReused
from lapor.core.models import IdempotencyRecord
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.services import ReportSubmission, report_submit
from lapor.reports.tests.conftest import client_for

pytestmark = pytest.mark.django_db

GOOD: dict[str, Any] = {
    "type": "pengaduan",
    "title": "Lampu jalan mati total",
    "content": "Sudah dua minggu lampu jalan di Jalan Merdeka mati sehingga rawan kejahatan.",
    "is_confidential": True,
}


def _post(client: Client, *, key: str | None, address: str, body: dict | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/reports",
        json.dumps(body or GOOD),
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR=address,
    )


def test_two_guests_from_two_addresses_with_the_same_key_and_body_get_two_reports(world):
    # when two guests, elsewhere, happen to send the same key and the same body
    first = _post(Client(), key="kunci-1", address="10.0.0.1")
    second = _post(Client(), key="kunci-1", address="10.0.0.2")
    # then each gets a report and a reporter key of their own
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert first.json()["tracking_id"] != second.json()["tracking_id"]
    assert first.json()["reporter_key"] != second.json()["reporter_key"]
    assert Report.objects.count() == 2
    # and the second cannot open the first's confidential report
    other = Client().get(
        f"/api/v1/reports/{first.json()['tracking_id']}",
        headers={"X-Reporter-Key": second.json()["reporter_key"]},
    )
    assert other.status_code == 404


def test_the_same_guest_retrying_gets_the_first_response_with_its_reporter_key(world):
    # given
    first = _post(Client(), key="kunci-2", address="10.0.0.1")
    # when the same guest retries (a new connection, the same key and body)
    retry = _post(Client(), key="kunci-2", address="10.0.0.1")
    # then
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.json()["reporter_key"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


def test_a_signed_in_reporter_is_scoped_by_account_not_address(world):
    # given
    client = client_for(world.users["reporter"])
    first = _post(client, key="kunci-3", address="10.0.0.1")
    # when the same account retries from another address (a phone changing networks)
    retry = _post(client, key="kunci-3", address="10.0.0.9")
    # then
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


def test_the_stored_record_holds_no_reporter_key(world):
    # when
    response = _post(Client(), key="kunci-rahasia-4", address="10.1.2.3")
    # then nothing stored reads as the reporter key, the tracking ID, the key or the address
    body = response.json()
    record = IdempotencyRecord.objects.get()
    stored = json.dumps(list(IdempotencyRecord.objects.values().get().values()), default=str)
    for secret in (body["reporter_key"], body["tracking_id"], "kunci-rahasia-4", "10.1.2.3"):
        assert secret not in stored
    assert record.status_code == 201
    # and the report keeps only the key's hash
    report = Report.objects.get()
    assert body["reporter_key"] not in json.dumps(
        list(Report.objects.values().get().values()), default=str
    )
    assert report.reporter_key_hash


def test_the_same_key_with_another_body_is_refused(world):
    # given
    _post(Client(), key="kunci-5", address="10.0.0.1")
    # when
    other = _post(Client(), key="kunci-5", address="10.0.0.1", body={**GOOD, "title": "Lain"})
    # then
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1


def test_a_multipart_retry_with_the_same_fields_and_file_is_recognised(world):
    # given: the same fields and photo, sent twice with different multipart boundaries
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="PNG")

    def send(boundary: str, title: str = "Lampu jalan mati total"):
        photo = SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")
        body = {**GOOD, "title": title, "is_confidential": "true", "attachments": [photo]}
        return Client().post(
            "/api/v1/reports",
            encode_multipart(boundary, body),
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Idempotency-Key": "kunci-6"},
        )

    first = send("BoUnDaRy-1")
    # when
    retry = send("boundary-2")
    # then
    assert first.status_code == 201, first.content
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


def test_a_failure_after_the_report_insert_leaves_neither_report_nor_record(world, monkeypatch):
    # given: the process dies after the report and its record were written, before the commit
    real = services.idempotency_record

    def record_then_die(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("worker killed before the commit")

    monkeypatch.setattr(services, "idempotency_record", record_then_die)
    data = ReportSubmission(**{k: v for k, v in GOOD.items() if k != "is_confidential"})
    # when
    with pytest.raises(RuntimeError):
        report_submit(actor_user=None, data=data, client_ip="10.0.0.1", idempotency_key="k-7")
    # then
    assert Report.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0
    # and the client's retry creates exactly one report, whose record is then there
    monkeypatch.setattr(services, "idempotency_record", real)
    result = report_submit(actor_user=None, data=data, client_ip="10.0.0.1", idempotency_key="k-7")
    again = report_submit(actor_user=None, data=data, client_ip="10.0.0.1", idempotency_key="k-7")
    assert again.replayed and again.report.pk == result.report.pk
    assert again.reporter_key == result.reporter_key
    assert Report.objects.count() == 1 and IdempotencyRecord.objects.count() == 1


def test_a_concurrent_duplicate_is_rolled_back_and_replays_the_first(world, monkeypatch):
    # given: a first submission committed, and a second one with the same key that did not see
    # its record when it looked (they ran at the same time)
    data = ReportSubmission(**{k: v for k, v in GOOD.items() if k != "is_confidential"})
    first = report_submit(actor_user=None, data=data, client_ip="10.0.0.1", idempotency_key="k-8")
    real = services.idempotency_replay
    calls = {"n": 0}

    def miss_once(*args, **kwargs):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "idempotency_replay", miss_once)
    # when
    second = report_submit(actor_user=None, data=data, client_ip="10.0.0.1", idempotency_key="k-8")
    # then its own report was rolled back with its record, and it answers as the first did
    assert second.replayed
    assert second.report.pk == first.report.pk and second.reporter_key == first.reporter_key
    assert Report.objects.count() == 1


def test_the_service_rate_limits_every_channel_that_gives_an_address(world, settings):
    # given
    settings.LAPOR = {**settings.LAPOR, "RATE_LIMIT_SUBMIT_PER_IP": 2}
    data = ReportSubmission(**{k: v for k, v in GOOD.items() if k != "is_confidential"})
    # when
    for _ in range(2):
        report_submit(actor_user=None, data=data, client_ip="10.0.0.3")
    # then
    with pytest.raises(RateLimited) as caught:
        report_submit(actor_user=None, data=data, client_ip="10.0.0.3")
    assert caught.value.retry_after >= 1
    # and an internal caller (no address: the demo seeder, imports) is not limited
    report_submit(actor_user=None, data=data)
    assert Report.objects.count() == 3


def test_a_retry_is_answered_even_when_the_limit_is_reached(world, settings):
    # given: one submission left in the minute, used by a keyed request
    settings.LAPOR = {**settings.LAPOR, "RATE_LIMIT_SUBMIT_PER_IP": 1}
    first = _post(Client(), key="kunci-9", address="10.0.0.4")
    # when the client retries it
    retry = _post(Client(), key="kunci-9", address="10.0.0.4")
    fresh = _post(Client(), key="kunci-10", address="10.0.0.4")
    # then the retry gets its answer, a new submission waits
    assert retry.status_code == 201 and retry.json() == first.json()
    assert fresh.status_code == 429


def test_a_too_long_key_is_a_bad_request(world):
    response = _post(Client(), key="k" * 300, address="10.0.0.1")
    assert response.status_code == 400
    assert Report.objects.count() == 0


# --- the web form ------------------------------------------------------------------------------


def _form(**extra):
    return {
        "type": "pengaduan",
        "title": "Lampu jalan mati total",
        "content": "Sudah dua minggu lampu jalan di Jalan Merdeka mati sehingga rawan kejahatan.",
        "step": "send",
        **extra,
    }


def test_the_form_carries_an_idempotency_key(world):
    html = Client().get(reverse("web:report_submit")).content.decode()
    assert 'name="idempotency_key"' in html


def test_the_form_is_rate_limited(world, settings):
    # given
    settings.LAPOR = {**settings.LAPOR, "RATE_LIMIT_SUBMIT_PER_IP": 2}
    client = Client()
    # when a third form is sent within the minute from the same address
    codes = [
        client.post(reverse("web:report_submit"), _form(idempotency_key=f"f-{i}")).status_code
        for i in range(3)
    ]
    # then it is refused with a readable message and no report
    assert codes == [302, 302, 422]
    page = client.post(reverse("web:report_submit"), _form(idempotency_key="f-9"))
    assert "Terlalu banyak permintaan" in page.content.decode()
    assert Report.objects.count() == 2


def test_a_form_sent_twice_makes_one_report_and_shows_the_key_again(world):
    # given: a guest's form sent, and sent again (a double click, or "back" then "send")
    client = Client()
    first = client.post(reverse("web:report_submit"), _form(idempotency_key="form-1"))
    again = Client().post(reverse("web:report_submit"), _form(idempotency_key="form-1"))
    # then one report, and the second browser too is led to it with its reporter key
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Report.objects.count() == 1
    sent = client.get(again["Location"]).content.decode()
    assert Report.objects.get().tracking_id in sent


def test_a_form_changed_after_sending_makes_a_new_report(world):
    # given
    client = Client()
    client.post(reverse("web:report_submit"), _form(idempotency_key="form-2"))
    # when the same page is changed and sent again with its old key
    changed = client.post(
        reverse("web:report_submit"),
        _form(idempotency_key="form-2", title="Lampu jalan mati di dua tempat"),
    )
    # then it is a second report, not an error
    assert changed.status_code == 302
    assert Report.objects.count() == 2


def test_the_mismatch_error_is_a_service_error():
    assert IdempotencyKeyReused("x").status == 422
