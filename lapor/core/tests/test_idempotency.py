"""`Idempotency-Key` on POST endpoints: replay, mismatch, scope, expiry, concurrency, purge."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from lapor.accounts.tests.factories import UserFactory
from lapor.core.idempotency import IN_PROGRESS, idempotency_records_purge, idempotent
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
    scopes = set(IdempotencyRecord.objects.values_list("scope", flat=True))
    assert scopes == {
        "POST /t/things guest",
        f"POST /t/things user:{user.pk}",
        f"POST /t/plain user:{user.pk}",
    }


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


def test_a_request_in_progress_answers_409(client):
    # given: another request has claimed the key and not finished
    IdempotencyRecord.objects.create(
        scope="POST /t/things guest",
        key="k-5",
        body_hash="x" * 64,
        status_code=IN_PROGRESS,
        response_body="",
    )
    # when
    response = _post(client, "things", {"name": "x"}, key="k-5")
    # then
    assert response.status_code in {409, 422}
    assert idempotency_urls.CALLS == []


def test_a_claim_in_progress_with_the_same_body_answers_409(client):
    # given
    import hashlib

    body = json.dumps({"name": "x"}).encode()
    IdempotencyRecord.objects.create(
        scope="POST /t/things guest",
        key="k-6",
        body_hash=hashlib.sha256(body).hexdigest(),
        status_code=IN_PROGRESS,
        response_body="",
    )
    # when
    response = _post(client, "things", {"name": "x"}, key="k-6")
    # then
    assert response.status_code == 409
    assert idempotency_urls.CALLS == []


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
    # then: the insert hit the unique constraint, the record was read again and replayed
    assert hidden["once"] is False
    assert second.status_code == 201
    assert second.content == first.content
    assert idempotency_urls.CALLS == ["race"]


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
    _post(client, "things", {"name": "b"}, key="new")
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=30)
    )
    # when
    deleted = idempotency_records_purge()
    # then
    assert deleted == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert idempotency_purge.call_local() == 0


def test_decorator_must_sit_below_the_route_decorator():
    # given
    def view(request):
        return {}

    view._ninja_operation = object()  # type: ignore[attr-defined]
    # when / then
    with pytest.raises(TypeError):
        idempotent(view)
