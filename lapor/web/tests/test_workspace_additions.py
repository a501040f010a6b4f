"""Saved inbox views, assignment to a chosen officer, the deadline explanation on the pages,
e-mail verification mark and similar-report suggestions on the submit page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lapor.accounts.models import SavedInboxView
from lapor.accounts.services import saved_view_create
from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory
from lapor.reports.actions.engine import report_act
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def org():
    agency = AgencyFactory(code="pemkot-s", name="Pemerintah Kota S")
    other = AgencyFactory(code="pemkot-t", name="Pemerintah Kota T")
    unit = UnitFactory(agency=agency, code="dinas-pu", name="Dinas Pekerjaan Umum")
    admin = UserFactory(role="agency_admin", agency=agency, full_name="Admin Kota S")
    officer = UserFactory(
        role="liaison_officer", agency=agency, unit=unit, full_name="Petugas Dinas PU"
    )
    stranger = UserFactory(role="agency_admin", agency=other, full_name="Admin Kota T")
    return {
        "agency": agency,
        "other": other,
        "unit": unit,
        "admin": admin,
        "officer": officer,
        "stranger": stranger,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- saved inbox views ---------------------------------------------------------------------


def test_an_officer_saves_lists_opens_and_deletes_an_inbox_view(org) -> None:
    client = _client(org["admin"])
    # given: the inbox filtered on late reports
    page = client.get(reverse("web:inbox"), {"overdue": "1", "status": "open", "page": "2"})
    html = page.content.decode()
    assert 'name="query" value="status=open&amp;overdue=1"' in html
    # when: the filters are saved under a name (plain POST form)
    saved = client.post(
        reverse("web:inbox_view_save"),
        {"name": "Terlambat", "query": "status=open&overdue=1&evil=x"},
    )
    # then: the view is stored without the unknown key and the inbox opens on it
    view = SavedInboxView.objects.get(user=org["admin"])
    assert view.query == "status=open&overdue=1"
    assert saved.status_code == 302
    assert saved["Location"] == reverse("web:inbox") + "?status=open&overdue=1"
    listed = client.get(reverse("web:inbox")).content.decode()
    assert f'href="{reverse("web:inbox")}?status=open&amp;overdue=1"' in listed
    assert ">Terlambat</a>" in listed
    # when: it is deleted
    deleted = client.post(reverse("web:inbox_view_delete", args=[view.pk]))
    # then
    assert deleted.status_code == 302
    assert not SavedInboxView.objects.exists()


def test_saving_a_view_with_a_taken_name_shows_an_error(org) -> None:
    # given
    saved_view_create(user=org["admin"], name="Baru", query="status=submitted")
    client = _client(org["admin"])
    # when
    response = client.post(
        reverse("web:inbox_view_save"), {"name": "Baru", "query": "saya=1"}, follow=True
    )
    # then
    assert "Sudah ada tampilan bernama Baru" in response.content.decode()
    assert SavedInboxView.objects.count() == 1


def test_saved_views_need_csrf_and_belong_to_their_owner(org) -> None:
    # given
    view = saved_view_create(user=org["admin"], name="Baru", query="status=submitted")
    # when: a cross-site POST without the token
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(org["admin"])
    forged = csrf_client.post(reverse("web:inbox_view_save"), {"name": "X", "query": ""})
    # then
    assert forged.status_code == 403
    # when: another officer tries to delete it; a reporter tries to save one
    other = _client(org["stranger"]).post(reverse("web:inbox_view_delete", args=[view.pk]))
    reporter = _client(UserFactory()).post(
        reverse("web:inbox_view_save"), {"name": "X", "query": ""}
    )
    # then
    assert other.status_code == 404
    assert reporter.status_code == 404
    assert list(SavedInboxView.objects.values_list("name", flat=True)) == ["Baru"]


# --- assignment ----------------------------------------------------------------------------


def test_report_page_offers_covering_officers_and_assigns_the_chosen_one(org) -> None:
    # given: a report disposed to the unit; an officer of another organisation exists
    report = make_report("in_progress", agency=org["agency"], unit=org["unit"])
    client = _client(org["admin"])
    # when
    html = client.get(reverse("web:officer_report", args=[report.tracking_id])).content.decode()
    # then: the select lists the organisation's covering officers only
    assert 'id="assign-user"' in html
    assert f'value="{org["officer"].pk}"' in html
    assert "Petugas Dinas PU" in html
    assert "Admin Kota T" not in html
    # when: the unit's officer is chosen
    client.post(
        reverse("web:officer_act", args=[report.tracking_id, "assign"]),
        {"user": str(org["officer"].pk)},
    )
    # then
    report.refresh_from_db()
    assert report.assigned_to_id == org["officer"].pk


def test_assigning_an_officer_of_another_organisation_is_refused(org) -> None:
    # given
    report = make_report("in_progress", agency=org["agency"], unit=org["unit"])
    client = _client(org["admin"])
    # when: a forged POST names another organisation's admin
    response = client.post(
        reverse("web:officer_act", args=[report.tracking_id, "assign"]),
        {"user": str(org["stranger"].pk)},
        follow=True,
    )
    # then
    report.refresh_from_db()
    assert report.assigned_to_id is None
    assert "Petugas tidak ditemukan di instansi ini." in response.content.decode()


def test_bulk_assign_to_a_chosen_officer_reports_each_result(org) -> None:
    # given: one report of the officer's unit, one of another unit of the organisation
    ours = make_report("in_progress", agency=org["agency"], unit=org["unit"])
    elsewhere = make_report(
        "in_progress", agency=org["agency"], unit=UnitFactory(agency=org["agency"])
    )
    client = _client(org["admin"])
    inbox = client.get(reverse("web:inbox")).content.decode()
    assert 'id="bulk-user"' in inbox
    # when
    response = client.post(
        reverse("web:bulk_act"),
        {
            "action": "assign",
            "user": str(org["officer"].pk),
            "reports": [ours.tracking_id, elsewhere.tracking_id],
        },
    )
    # then: assigned where the officer's unit covers the report, refused elsewhere
    ours.refresh_from_db()
    elsewhere.refresh_from_db()
    assert ours.assigned_to_id == org["officer"].pk
    assert elsewhere.assigned_to_id is None
    html = response.content.decode()
    assert html.count("Berhasil") == 1
    assert "Petugas tidak ditemukan di instansi ini." in html


# --- deadline explanation ------------------------------------------------------------------


def _started(org, started_at: datetime, **fields):
    """A report its organisation received at `started_at` (first follow-up due 5 working days
    later: its nearest deadline)."""
    report = make_report("disposed", agency=org["agency"], now=started_at + timedelta(days=2),
                         age_days=3, **fields)  # fmt: skip
    assert report.received_at == started_at
    return report


def test_track_and_officer_pages_show_a_pause_and_an_extension(org) -> None:
    # given: started Monday 2 February 2026, postponed Tuesday, resumed Thursday, extended
    start = datetime(2026, 2, 2, 10, tzinfo=JAKARTA)
    report = _started(org, start)
    admin = org["admin"]
    steps: tuple[tuple[str, dict[str, object], datetime], ...] = (
        ("postpone", {"reason": "Menunggu dokumen pelapor"}, start + timedelta(days=1)),
        ("resume", {}, start + timedelta(days=3)),
        (
            "extend",
            {"reason": "Perlu pemeriksaan lapangan", "working_days": 2},
            start.replace(day=6),
        ),
    )
    for action, params, at in steps:
        report_act(action=action, actor_user=admin, report_id=report.pk, params=params, now=at)
    # when
    public = Client().get(reverse("web:report_detail", args=[report.tracking_id]))
    officer = _client(admin).get(reverse("web:officer_report", args=[report.tracking_id]))
    # then: both pages say how the deadline moved, the extension with its (public) reason
    for html in (public.content.decode(), officer.content.decode()):
        assert "Cara batas waktu dihitung" in html
        assert "batas waktu bertambah 2 hari kerja" in html
        assert "Diperpanjang 6 Februari 2026: 2 hari kerja." in html
        assert "Perlu pemeriksaan lapangan" in html
        assert "13 Februari 2026" in html  # 9 Feb + 2 (pause) + 2 (extension) working days
        assert "Minggu" in html  # a skipped weekend day is named


# --- similar open reports ------------------------------------------------------------------


def test_submit_page_asks_for_suggestions_only_with_htmx(client: Client) -> None:
    html = client.get(reverse("web:report_submit")).content.decode()
    assert f'hx-get="{reverse("web:report_similar")}"' in html
    assert 'hx-trigger="keyup changed delay:600ms"' in html
    assert '<div id="similar-reports" aria-live="polite"></div>' in html


def test_suggestions_list_open_public_reports_never_confidential_ones(client: Client) -> None:
    # given
    agency = AgencyFactory()
    shown = make_report("disposed", agency=agency, title="Lampu jalan padam di Jalan Merdeka")
    make_report(
        "disposed",
        agency=agency,
        title="Lampu jalan padam rahasia di Jalan Merdeka",
        is_confidential=True,
    )
    make_report("closed", agency=agency, title="Lampu jalan padam sudah selesai")
    make_report("disposed", agency=agency, title="Sampah menumpuk di pasar")
    # when
    response = client.get(reverse("web:report_similar"), {"title": "lampu jalan padam"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("web:report_detail", args=[shown.tracking_id]) in html
    assert "rahasia" not in html
    assert "sudah selesai" not in html
    assert "Sampah" not in html
    # and: nothing for a title too short to search
    assert client.get(reverse("web:report_similar"), {"title": "di"}).content.strip() == b""


def test_suggestions_are_rate_limited(client: Client, settings) -> None:
    # given
    cache.clear()
    settings.LAPOR = {**settings.LAPOR, "RATE_LIMIT_SIMILAR_PER_IP": 2}
    url = reverse("web:report_similar")
    # when
    codes = [client.get(url, {"title": "jalan rusak"}).status_code for _ in range(3)]
    # then
    assert codes == [200, 200, 429]
    cache.clear()
