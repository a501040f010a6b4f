"""The public calendar endpoints."""

from __future__ import annotations

from datetime import date

import pytest

from lapor.deadlines.models import HolidayOverride

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/deadline"


def test_deadline_example_with_skipped_days(client, django_assert_max_num_queries):
    # given the example: Thursday 2025-03-27 and 3 working days
    # when asked anonymously
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"start": "2025-03-27", "working_days": 3})
    # then due 2025-04-10, end of day in Jakarta, with each skipped day and its reason
    assert response.status_code == 200
    body = response.json()
    assert body["start"] == "2025-03-27"
    assert body["clock_start"] == "2025-03-27"
    assert body["working_days"] == 3
    assert body["due"] == "2025-04-10"
    assert body["due_at"] == "2025-04-10T23:59:59+07:00"
    assert [(s["date"], s["reason"]) for s in body["skipped"]] == [
        ("2025-03-28", "cuti_bersama"),
        ("2025-03-29", "holiday"),
        ("2025-03-30", "weekend"),
        ("2025-03-31", "holiday"),
        ("2025-04-01", "holiday"),
        ("2025-04-02", "cuti_bersama"),
        ("2025-04-03", "cuti_bersama"),
        ("2025-04-04", "cuti_bersama"),
        ("2025-04-05", "weekend"),
        ("2025-04-06", "weekend"),
        ("2025-04-07", "cuti_bersama"),
    ]
    assert body["skipped"][3]["name"] == "Hari Raya Idul Fitri"


def test_a_datetime_start_applies_the_cutoff_hour(client):
    # given a receipt at 16:30 Jakarta time on Wednesday 2025-06-04 (Idul Adha on Friday 06-06)
    response = client.get(URL, {"start": "2025-06-04T16:30:00+07:00", "working_days": 1})
    # then it counts from Thursday, so 1 working day is Tuesday 06-10 (Fri, Sat, Sun, Mon off)
    body = response.json()
    assert response.status_code == 200
    assert body["clock_start"] == "2025-06-05"
    assert body["due"] == "2025-06-10"
    # and before the cut-off (a naive time is Jakarta time) it counts from Wednesday
    early = client.get(URL, {"start": "2025-06-04T15:59:00", "working_days": 1}).json()
    assert early["clock_start"] == "2025-06-04"
    assert early["due"] == "2025-06-05"


def test_an_override_changes_the_public_answer(client):
    # given a decree making Tuesday 2025-04-08 a day off
    HolidayOverride.objects.create(
        date=date(2025, 4, 8), kind="day_off", name="Libur tambahan", legal_basis="Keppres 9/2025"
    )
    # when the example is asked / then one day later, with the decree listed
    body = client.get(URL, {"start": "2025-03-27", "working_days": 3}).json()
    assert body["due"] == "2025-04-11"
    assert body["skipped"][-1] == {
        "date": "2025-04-08",
        "reason": "decree",
        "name": "Libur tambahan",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"working_days": 3}, "start"),
        ({"start": "2025-03-27"}, "working_days"),
        ({"start": "27/03/2025", "working_days": 3}, "start"),
        ({"start": "2025-02-30", "working_days": 3}, "start"),
        ({"start": "2025-03-27", "working_days": -1}, "working_days"),
        ({"start": "2025-03-27", "working_days": 366}, "working_days"),
        ({"start": "2025-03-27", "working_days": "tiga"}, "working_days"),
        ({"start": "1990-01-01", "working_days": 3}, "start"),
    ],
)
def test_bad_parameters_are_422_problems(client, params, field):
    # given bad or missing parameters / when asked / then 422 problem+json naming the field
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422
    assert field in [e["field"] for e in body["errors"]]


def test_holidays_of_a_year(client, django_assert_max_num_queries):
    # given a decree adding a day off in 2025
    HolidayOverride.objects.create(
        date=date(2025, 4, 8), kind="day_off", name="Libur tambahan", legal_basis="Keppres 9/2025"
    )
    # when the 2025 list is asked anonymously
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/calendar/holidays", {"year": 2025})
    # then 28 holidays and cuti bersama of the package, plus the decree, by kind
    assert response.status_code == 200
    days = {d["date"]: d for d in response.json()["days"]}
    assert len(days) == 29
    assert days["2025-08-18"]["kind"] == "cuti_bersama"
    assert days["2025-03-31"] == {
        "date": "2025-03-31",
        "kind": "holiday",
        "name": "Hari Raya Idul Fitri",
        "legal_basis": "",
        "is_weekend": False,
    }
    assert days["2025-04-08"]["kind"] == "decree"
    assert days["2025-04-08"]["legal_basis"] == "Keppres 9/2025"
    assert days["2025-03-29"]["is_weekend"] is True
    # and a year out of range is 422
    assert client.get("/api/v1/calendar/holidays", {"year": 1800}).status_code == 422
