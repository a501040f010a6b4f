"""Every error under /api/ is application/problem+json (issue 2, item 7), never HTML or a trace."""

from __future__ import annotations

import json

import pytest

from lapor.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith(PROBLEM)
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    assert "Traceback" not in response.content.decode()
    return body


def test_401_for_a_wrong_token(client):
    # when
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer lpr_not-a-real-token")
    # then
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_404_for_an_unknown_path_and_an_unknown_code(client):
    _problem(client.get("/api/v1/tidak-ada"), 404)
    _problem(client.get("/api/v1/agencies/tidak-ada"), 404)


def test_405_for_a_method_the_path_does_not_allow(client):
    # given a read-only collection
    AgencyFactory(code="kemenkes")
    # when it is deleted
    response = client.delete("/api/v1/agencies/kemenkes")
    # then
    _problem(response, 405)


def test_422_lists_the_bad_fields(client):
    body = _problem(client.get("/api/v1/agencies?page_size=101&page=0"), 422)
    assert {e["field"] for e in body["errors"]} >= {"page_size", "page"}


def test_429_carries_retry_after(client, settings):
    # given a submission limit of one a minute per address
    settings.LAPOR = {**settings.LAPOR, "RATE_LIMIT_SUBMIT_PER_IP": 1}
    payload = {"type": "aspirasi", "title": "x", "content": "y"}
    client.post("/api/v1/reports", payload, content_type="application/json")
    # when the next one comes within the minute
    response = client.post("/api/v1/reports", payload, content_type="application/json")
    # then
    _problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_500_is_a_problem_without_internals(client, monkeypatch):
    # given a registry read that fails unexpectedly
    from lapor.agencies import selectors

    def broken(**kwargs):
        raise RuntimeError("secret connection string leaked?")

    monkeypatch.setattr(selectors, "agency_list", broken)
    # when
    response = client.get("/api/v1/agencies")
    # then
    body = _problem(response, 500)
    assert "secret" not in json.dumps(body)


def test_400_for_a_multipart_body_without_a_boundary(client):
    # given a report and an officer-free action that reads the body
    from lapor.reports.tests.factories import make_report

    report = make_report()
    # when the body claims multipart but has no boundary
    response = client.generic(
        "POST",
        f"/api/v1/reports/{report.tracking_id}/support",
        b"garbage",
        content_type="multipart/form-data",
    )
    # then the client is told, and nothing is logged as a server error
    _problem(response, 400)


def test_a_page_answers_400_for_a_multipart_body_without_a_boundary(client):
    response = client.generic("POST", "/lacak/", b"garbage", content_type="multipart/form-data")
    assert response.status_code == 400
