"""`Idempotency-Key` on POST endpoints (the generic decorator): replay, mismatch, per-client scope,
nothing readable stored, expiry, concurrency, one transaction with the view's writes, purge."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from lapor.accounts.tests.factories import UserFactory
from lapor.core.idempotency import idempotency_records_purge, idempotent
from lapor.core.models import IdempotencyRecord
from lapor.core.tasks import idempotency_purge
from lapor.core.tests import idempotency_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("lapor.core.tests.idempotency_urls")]


@pytest.fixture(autouse=True)
def _calls():
    idempotency_urls.CALLS.clear()
    yield


def _post(client, path, body, key=None, **extra):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"/t/{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
        **extra,
    )


def test_same_key_and_body_replays_the_first_response_and_creates_nothing(client):
    # given
    first = _post(client, "things", {"name": "jalan rusak"}, key="k-1")
    # when
    second = _post(client, "things", {"name": "jalan rusak"}, key="k-1")
    # then
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Idempotent-Replayed"] == "true"
    assert idempotency_urls.CALLS == ["jalan rusak"]
    assert IdempotencyRecord.objects.count() == 1


def test_plain_data_return_is_replayed_too(client):
    # given
    first = _post(client, "plain", {"name": "a"}, key="k-plain")
    # when
    second = _post(client, "plain", {"name": "a"}, key="k-plain")
    # then
    assert first.status_code == 200
    assert second.json() == first.json()
    assert idempotency_urls.CALLS == ["a"]


def test_same_key_with_a_different_body_is_422(client):
    # given
    _post(client, "things", {"name": "satu"}, key="k-2")
    # when
    response = _post(client, "things", {"name": "dua"}, key="k-2")
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert idempotency_urls.CALLS == ["satu"]


def test_without_a_key_every_request_runs(client):
    # when
    _post(client, "things", {"name": "x"})
    _post(client, "things", {"name": "x"})
    # then
    assert idempotency_urls.CALLS == ["x", "x"]
    assert IdempotencyRecord.objects.count() == 0


def test_keys_are_scoped_by_caller_and_path(client):
    # given
    user = UserFactory()
    _post(client, "things", {"name": "x"}, key="shared")
    # when: the same key from a signed-in user, and on another path
    client.force_login(user)
    as_user = _post(client, "things", {"name": "x"}, key="shared")
    other_path = _post(client, "plain", {"name": "x"}, key="shared")
    # then
    assert as_user.status_code == 201
    assert other_path.status_code == 200
    assert idempotency_urls.CALLS == ["x", "x", "x"]
    assert IdempotencyRecord.objects.values("scope_hash").distinct().count() == 3


def test_guests_are_scoped_by_address(client):
    # given: a guest's request
    first = _post(client, "things", {"name": "x"}, key="same", REMOTE_ADDR="10.0.0.1")
    # when: another guest, elsewhere, sends the same key and body; then the first guest retries
    other = _post(client, "things", {"name": "x"}, key="same", REMOTE_ADDR="10.0.0.2")
    retry = _post(client, "things", {"name": "x"}, key="same", REMOTE_ADDR="10.0.0.1")
    # then: the other guest got an answer of their own, the first guest their first answer
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert other.json()["id"] != first.json()["id"]
    assert retry["Idempotent-Replayed"] == "true" and retry.content == first.content
    assert idempotency_urls.CALLS == ["x", "x"]


def test_the_record_holds_neither_the_key_nor_the_address_nor_the_response(client):
    # when
    response = _post(client, "things", {"name": "rahasia-budi"}, key="kunci-budi-123",
                     REMOTE_ADDR="10.9.8.7")  # fmt: skip
    # then
    record = IdempotencyRecord.objects.get()
    stored = " ".join(str(value) for value in IdempotencyRecord.objects.values().get().values())
    assert response.status_code == 201
    for secret in ("kunci-budi-123", "10.9.8.7", "rahasia-budi", "/t/things"):
        assert secret not in stored
    assert record.sealed_response.startswith("v1:")


def test_error_responses_are_not_kept_so_a_corrected_retry_works(client):
    # given
    failed = _post(client, "things", {"name": "bad"}, key="k-3")
    # when
    retried = _post(client, "things", {"name": "good"}, key="k-3")
    # then
    assert failed.status_code == 422
    assert retried.status_code == 201
    assert idempotency_urls.CALLS == ["good"]


def test_an_expired_record_is_ignored(client, settings):
    # given
    _post(client, "things", {"name": "old"}, key="k-4")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    # when
    again = _post(client, "things", {"name": "old"}, key="k-4")
    # then
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert idempotency_urls.CALLS == ["old", "old"]
    assert IdempotencyRecord.objects.count() == 1


def test_a_concurrent_first_request_loses_the_unique_race_and_replays(client, monkeypatch):
    # given: a first request finished between our look-up and our insert
    first = _post(client, "things", {"name": "race"}, key="k-7")
    real_first = QuerySet.first
    hidden = {"once": True}

    def first_hiding_once(self):
        if self.model is IdempotencyRecord and hidden["once"]:
            hidden["once"] = False
            return None
        return real_first(self)

    monkeypatch.setattr(QuerySet, "first", first_hiding_once)
    # when
    second = _post(client, "things", {"name": "race"}, key="k-7")
    # then: its view ran (its writes rolled back with the failed insert of the record), the
    # record was read again and the first answer replayed
    assert hidden["once"] is False
    assert second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.count() == 1


def test_the_views_writes_and_the_record_share_one_transaction(client, monkeypatch):
    # given: storing the record fails after the view wrote a row
    from lapor.core import idempotency

    def failing_record(*args, **kwargs):
        raise RuntimeError("the server died before the commit")

    monkeypatch.setattr(idempotency, "idempotency_record", failing_record)
    # when
    with pytest.raises(RuntimeError):
        _post(client, "users", {"name": "budi"}, key="k-crash")
    # then: neither the view's row nor a record is left, so a retry runs again
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(full_name="budi").exists()
    assert IdempotencyRecord.objects.count() == 0
    monkeypatch.undo()
    retry = _post(client, "users", {"name": "budi"}, key="k-crash")
    assert retry.status_code == 201
    assert get_user_model().objects.filter(full_name="budi").count() == 1


def test_a_refused_request_keeps_none_of_its_writes(client):
    # when: the view wrote a row, then answered 422
    response = _post(client, "users", {"name": "bad"}, key="k-bad")
    # then
    from django.contrib.auth import get_user_model

    assert response.status_code == 422
    assert not get_user_model().objects.filter(full_name="bad").exists()


def test_a_too_long_key_is_400(client):
    response = _post(client, "things", {"name": "x"}, key="k" * 300)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert idempotency_urls.CALLS == []


def test_multipart_bodies_are_hashed_whole(client):
    # given
    def upload(content: bytes):
        return client.post(
            "/t/upload",
            data={"file": SimpleUploadedFile("a.txt", content)},
            headers={"Idempotency-Key": "k-8"},
        )

    first = upload(b"isi berkas")
    # when
    same = upload(b"isi berkas")
    different = upload(b"isi lain")
    # then
    assert first.status_code == same.status_code == 201
    assert same.content == first.content
    assert different.status_code == 422
    assert idempotency_urls.CALLS == ["a.txt"]


def test_multipart_retry_with_a_fresh_boundary_is_recognised(client):
    # given: the same field and file, sent twice with different multipart boundaries
    from django.test.client import encode_multipart

    def upload(boundary: str, content: bytes):
        data = encode_multipart(boundary, {"file": SimpleUploadedFile("a.txt", content)})
        return client.post(
            "/t/upload",
            data=data,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Idempotency-Key": "k-9"},
        )

    first = upload("BoUnDaRy1111", b"isi berkas")
    # when
    retry = upload("other-boundary-2222", b"isi berkas")
    changed = upload("third-boundary-3333", b"isi lain")
    # then
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.content == first.content
    assert changed.status_code == 422
    assert idempotency_urls.CALLS == ["a.txt"]


def test_purge_deletes_only_expired_records(client):
    # given
    _post(client, "things", {"name": "a"}, key="old")
    old = IdempotencyRecord.objects.get()
    _post(client, "things", {"name": "b"}, key="new")
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=30)
    )
    # when
    deleted = idempotency_records_purge()
    # then
    assert deleted == 1
    assert not IdempotencyRecord.objects.filter(pk=old.pk).exists()
    assert IdempotencyRecord.objects.count() == 1
    assert idempotency_purge.call_local() == 0


def test_decorator_must_sit_below_the_route_decorator():
    # given
    def view(request):
        return {}

    view._ninja_operation = object()  # type: ignore[attr-defined]
    # when / then
    with pytest.raises(TypeError):
        idempotent(view)
