"""Confidential (rahasia) and anonymous (anonim) over every endpoint, and masking in public views."""

from __future__ import annotations

import pytest

from lapor.reports.events import event_append
from lapor.reports.selectors import report_counts_public
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import GUEST_KEY, make_report

pytestmark = pytest.mark.django_db

SECRET_WORD = "Kerahasiaanxyz"


def _items(client, **query) -> list[str]:
    response = client.get("/api/v1/reports", query)
    assert response.status_code == 200
    return [item["tracking_id"] for item in response.json()["items"]]


@pytest.fixture
def confidential(world):
    return make_report(
        "in_progress",
        agency=world.agency,
        unit=world.unit,
        reporter=world.users["reporter"],
        is_confidential=True,
        title=f"Pungutan liar {SECRET_WORD}",
    )


OUTSIDERS = ("public", "citizen", "other_admin", "other_unit_admin", "evaluator")
INSIDERS = ("reporter", "national", "agency_admin", "unit_admin")


@pytest.mark.parametrize("who", OUTSIDERS + INSIDERS)
def test_confidential_report_on_every_endpoint(world, confidential, who):
    # given a confidential report and a public one
    public = make_report("in_progress", agency=world.agency, unit=world.unit)
    client = client_for(None if who == "public" else world.users[who])
    tid = confidential.tracking_id
    visible = who in INSIDERS
    # then lists, search, detail, timeline and actions agree on whether it exists
    listed = _items(client)
    assert (tid in listed) is visible
    # (officers' lists hold their own organisation's or unit subtree's reports only)
    assert (public.tracking_id in listed) is (who not in ("other_admin", "other_unit_admin"))
    assert (tid in _items(client, q=SECRET_WORD)) is visible
    assert (tid in _items(client, status="in_progress", agency=world.agency.code)) is visible
    detail = client.get(f"/api/v1/reports/{tid}")
    timeline = client.get(f"/api/v1/reports/{tid}/timeline")
    support = client.post(f"/api/v1/reports/{tid}/support", {}, content_type="application/json")
    respond = client.post(f"/api/v1/reports/{tid}/respond", {"content": "Tanggapan kami."},
                          content_type="application/json")  # fmt: skip
    if visible:
        assert detail.status_code == 200 and timeline.status_code == 200
        assert detail.json()["is_confidential"] is True
    else:
        # 404 everywhere: not even the existence leaks (not 403)
        for response in (detail, timeline, support, respond):
            assert response.status_code == 404, response.content
            assert response.json()["code"] == "not_found"


def test_confidential_reports_are_not_counted_publicly(world, confidential):
    make_report("in_progress", agency=world.agency, unit=world.unit)
    assert report_counts_public() == {"in_progress": 1}
    response = client_for(None).get("/api/v1/reports", {"status": "in_progress"})
    assert response.json()["count"] == 1


def test_guest_key_opens_a_confidential_report_to_its_reporter(world):
    report = make_report("in_progress", agency=world.agency, unit=world.unit, guest=True,
                         is_confidential=True)  # fmt: skip
    url = f"/api/v1/reports/{report.tracking_id}"
    assert client_for(None).get(url).status_code == 404
    assert client_for(None).get(url, HTTP_X_REPORTER_KEY="salah").status_code == 404
    assert client_for(None).get(url, HTTP_X_REPORTER_KEY=GUEST_KEY).status_code == 200


@pytest.mark.parametrize(
    ("who", "sees_name"),
    [
        ("public", False),
        ("citizen", False),
        ("agency_admin", False),
        ("unit_admin", False),
        ("other_admin", False),
        ("national", True),
        ("reporter", True),
    ],
)
def test_anonymous_reporter_on_every_endpoint(world, who, sees_name):
    # given an anonymous report whose reporter replied on the timeline
    reporter = world.users["reporter"]
    report = make_report("in_progress", agency=world.agency, unit=world.unit, reporter=reporter,
                         is_anonymous=True)  # fmt: skip
    event_append(report=report, action="reply", at=report.submitted_at, actor=reporter,
                 actor_role="reporter", text="Tambahan informasi.")  # fmt: skip
    client = client_for(None if who == "public" else world.users[who])
    expected = "Budi Santoso" if sees_name else "Anonim"
    # then detail, list items and timeline show the name only to the national admin and the
    # reporter; everyone else sees "Anonim" — and the reporter's e-mail never appears
    detail = client.get(f"/api/v1/reports/{report.tracking_id}").json()
    assert detail["reporter"] == expected
    listed = client.get("/api/v1/reports").json()["items"]
    in_list = [i["reporter"] for i in listed if i["tracking_id"] == report.tracking_id]
    assert in_list == ([] if who == "other_admin" else [expected])
    timeline = client.get(f"/api/v1/reports/{report.tracking_id}/timeline").json()
    reporter_events = [e for e in timeline if e["actor_role"] == "reporter"]
    assert reporter_events and all(e["actor"] == expected for e in reporter_events)
    assert "budi@example.id" not in str(detail) + str(timeline) + str(listed)
    assert reporter.email not in str(timeline)


def test_non_anonymous_reporter_is_named_to_officers_not_to_the_public(world):
    report = make_report("in_progress", agency=world.agency, unit=world.unit,
                         reporter=world.users["reporter"])  # fmt: skip
    url = f"/api/v1/reports/{report.tracking_id}"
    assert client_for(world.users["agency_admin"]).get(url).json()["reporter"] == "Budi Santoso"
    assert client_for(None).get(url).json()["reporter"] is None


def test_public_views_mask_personal_data(world):
    # given a report whose text carries a phone number, an e-mail and a NIK
    text = (
        "Hubungi saya di 0812-3456-7890 atau budi.s@gmail.com, NIK 3578011203850001, "
        "jalan di depan rumah rusak berat."
    )
    report = make_report("in_progress", agency=world.agency, unit=world.unit,
                         reporter=world.users["reporter"], content=text)  # fmt: skip
    url = f"/api/v1/reports/{report.tracking_id}"
    # then the public sees it masked, in the detail, the list and the search results
    public = client_for(None).get(url).json()["content"]
    for secret in ("0812-3456-7890", "budi.s@gmail.com", "3578011203850001"):
        assert secret not in public
    listed = client_for(None).get("/api/v1/reports", {"q": "rusak"}).json()["items"]
    assert listed and "3578011203850001" not in str(listed)
    # while the handling officer and the reporter see the original
    assert client_for(world.users["agency_admin"]).get(url).json()["content"] == text
    assert client_for(world.users["reporter"]).get(url).json()["content"] == text


def test_internal_notes_only_for_officers(world):
    report = make_report("in_progress", agency=world.agency, unit=world.unit,
                         reporter=world.users["reporter"])  # fmt: skip
    client_for(world.users["agency_admin"]).post(
        f"/api/v1/reports/{report.tracking_id}/note", {"text": "Catatan internal rahasia"},
        content_type="application/json",
    )  # fmt: skip
    url = f"/api/v1/reports/{report.tracking_id}/timeline"
    officer = client_for(world.users["unit_admin"]).get(url).json()
    assert any(e["is_internal"] and e["text"] == "Catatan internal rahasia" for e in officer)
    for who in (None, world.users["reporter"], world.users["citizen"]):
        events = client_for(who).get(url).json()
        assert all(not e["is_internal"] for e in events)
        assert "Catatan internal" not in str(events)
