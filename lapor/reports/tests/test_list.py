"""`GET /api/v1/reports`: filters, full-text search, officers' scope, pagination, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.agencies.tests.factories import CategoryFactory, RegionFactory
from lapor.reports.search import search_document_refresh
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["tracking_id"] for item in response.json()["items"]}


def test_filters(world):
    # given reports differing in each filtered field
    prov = RegionFactory(code="35", level=1, kind="provinsi")
    city = RegionFactory(code="35.78", parent=prov)
    elsewhere = RegionFactory(code="36.01")
    cat = CategoryFactory(code="infrastruktur")
    now = timezone.now()
    a = make_report("in_progress", agency=world.agency, unit=world.unit, region=city, category=cat,
                    deadline=now - timedelta(hours=1))  # fmt: skip
    b = make_report("closed", agency=world.other_agency, region=elsewhere, type="aspirasi",
                    age_days=5)  # fmt: skip
    c = make_report("submitted", agency=world.agency, region=prov, age_days=1)
    client = client_for(None)
    # then each filter keeps what it should
    assert ids(client.get("/api/v1/reports")) == {a.tracking_id, b.tracking_id, c.tracking_id}
    assert ids(client.get("/api/v1/reports", {"status": "closed"})) == {b.tracking_id}
    assert ids(client.get("/api/v1/reports", {"type": "aspirasi"})) == {b.tracking_id}
    assert ids(client.get("/api/v1/reports", {"agency": world.agency.code})) == {a.tracking_id}
    assert ids(client.get("/api/v1/reports", {"category": "infrastruktur"})) == {a.tracking_id}
    assert ids(client.get("/api/v1/reports", {"region": "35"})) == {a.tracking_id, c.tracking_id}
    assert ids(client.get("/api/v1/reports", {"region": "35.78"})) == {a.tracking_id}
    assert ids(client.get("/api/v1/reports", {"overdue": "true"})) == {a.tracking_id}
    since = (now - timedelta(days=6)).date().isoformat()
    assert ids(client.get("/api/v1/reports", {"since": since})) == {b.tracking_id, c.tracking_id}
    until = (now - timedelta(days=10)).date().isoformat()
    assert ids(client.get("/api/v1/reports", {"until": until})) == {a.tracking_id}
    bad = client.get("/api/v1/reports", {"status": "selesai"})
    assert bad.status_code == 422


def test_full_text_search(world):
    # given reports about different things
    road = make_report("in_progress", agency=world.agency, unit=world.unit,
                       title="Jalan berlubang di Jalan Ahmad Yani",
                       content="Lubang besar di jalan membahayakan pengendara motor setiap malam.")  # fmt: skip
    school = make_report("in_progress", agency=world.agency, unit=world.unit,
                         title="Pungutan di sekolah negeri",
                         content="Sekolah meminta pungutan seragam yang tidak sesuai aturan.")  # fmt: skip
    client = client_for(None)
    # then search finds by words of the title and of the content, all words required
    assert ids(client.get("/api/v1/reports", {"q": "berlubang"})) == {road.tracking_id}
    assert ids(client.get("/api/v1/reports", {"q": "pungutan seragam"})) == {school.tracking_id}
    assert ids(client.get("/api/v1/reports", {"q": "pungutan motor"})) == set()
    # and FTS syntax in the query is treated as plain words
    assert client.get("/api/v1/reports", {"q": 'sekolah" OR *'}).status_code == 200


def test_search_sees_edits(world):
    # given a report whose title is edited and its public document refreshed (as services do)
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    report.title = "Banjir rob di pelabuhan"
    report.save(update_fields=["title"])
    search_document_refresh(report)
    # then both the public and the officers find it by the new words
    assert ids(client_for(None).get("/api/v1/reports", {"q": "banjir"})) == {report.tracking_id}
    officer = client_for(world.users["agency_admin"])
    assert ids(officer.get("/api/v1/reports", {"q": "banjir"})) == {report.tracking_id}


def test_officers_see_their_organisation_and_unit_subtree(world):
    mine = make_report("in_progress", agency=world.agency, unit=world.sub_unit)
    sideways = make_report("in_progress", agency=world.agency, unit=world.other_unit)
    waiting = make_report("submitted", agency=world.agency)  # requested, in the national queue
    other = make_report("disposed", agency=world.other_agency)
    u = world.users
    assert ids(client_for(u["agency_admin"]).get("/api/v1/reports")) == {
        mine.tracking_id, sideways.tracking_id, waiting.tracking_id
    }  # fmt: skip
    assert ids(client_for(u["unit_admin"]).get("/api/v1/reports")) == {mine.tracking_id}
    assert ids(client_for(u["other_admin"]).get("/api/v1/reports")) == {other.tracking_id}
    every = {mine.tracking_id, sideways.tracking_id, waiting.tracking_id, other.tracking_id}
    assert ids(client_for(u["national"]).get("/api/v1/reports")) == every


def test_pagination_envelope(world):
    for _ in range(3):
        make_report("in_progress", agency=world.agency, unit=world.unit)
    body = client_for(None).get("/api/v1/reports", {"page": 2, "page_size": 2}).json()
    assert (body["count"], body["page"], body["page_size"], len(body["items"])) == (3, 2, 2, 1)
    assert client_for(None).get("/api/v1/reports", {"page_size": 101}).status_code == 422


@pytest.mark.parametrize("who", ["public", "national", "agency_admin"])
def test_list_query_count_does_not_grow_with_the_page(world, who, django_assert_max_num_queries):
    # given many reports with every related object set
    cat = CategoryFactory()
    region = RegionFactory(code="35.78")
    for i in range(25):
        make_report("in_progress", agency=world.agency, unit=world.unit, category=cat,
                    region=region, reporter=world.users["reporter"], is_anonymous=bool(i % 2))  # fmt: skip
    client = client_for(None if who == "public" else world.users[who])
    client.get("/api/v1/reports")  # warm the per-process calendar and ladder caches
    # then one page of 20 costs a bounded number of queries
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/reports", {"page_size": 20})
    assert len(response.json()["items"]) == 20
