import json

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_problem_json(client):
    # when
    response = client.get("/api/v1/no-such-thing")
    # then
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert body["status"] == 404 and body["title"] and body["detail"] and body["type"]


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_unavailable_when_database_fails(client, monkeypatch):
    # given a database that refuses connections
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 503
