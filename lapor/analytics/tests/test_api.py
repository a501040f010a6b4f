"""GET /api/v1/agencies/{code}/stats: public figures, no confidential report, problem+json."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from lapor.analytics import services

from .helpers import full_path

pytestmark = pytest.mark.django_db


def test_stats_of_an_organisation(world, django_assert_max_num_queries, monkeypatch):
    # given a public and a confidential report of November, aggregated
    full_path(world)
    full_path(world, confidential=True)
    services.daily_stats_rebuild(day_from=date(2026, 11, 1), day_to=date(2026, 11, 30))
    # when anyone asks on 27 November 2026 for its figures over 24 months
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 11, 27))
    with django_assert_max_num_queries(3):
        response = Client().get(f"/api/v1/agencies/{world.agency.code}/stats?months=24")
    # then the public figures come back, one point per month
    assert response.status_code == 200
    body = response.json()
    assert body["agency"] == world.agency.code and len(body["trend"]) == 24
    assert body["figures"]["volume"] == 1 and body["figures"]["on_time_share"] == 1.0
    november = [p for p in body["trend"] if p["month"] == "2026-11-01"]
    assert november[0]["volume"] == 1 and body["trend"][-1]["month"] == "2026-11-01"
    assert body["period"] == {"first": "2024-12-01", "last": "2026-11-27"}


def test_unknown_organisation_and_bad_months(world):
    client = Client()
    missing = client.get("/api/v1/agencies/tidak-ada/stats")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")
    bad = client.get(f"/api/v1/agencies/{world.agency.code}/stats?months=0")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "months"
