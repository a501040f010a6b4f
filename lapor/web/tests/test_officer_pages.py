"""Officer workspace pages: permissions, actions through report_act, bulk actions, attachments,
inbox query counts, organisation profile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory
from lapor.analytics.services import daily_stats_rebuild
from lapor.reports.actions.engine import report_act
from lapor.reports.models import Attachment
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    mine = AgencyFactory(code="pemkot-a", name="Pemerintah Kota A")
    other = AgencyFactory(code="pemkot-b", name="Pemerintah Kota B")
    unit = UnitFactory(agency=mine, code="dinas-pu", name="Dinas Pekerjaan Umum")
    admin = UserFactory(role="agency_admin", agency=mine)
    unit_admin = UserFactory(role="unit_admin", agency=mine, unit=unit)
    national = UserFactory(role="national_admin")
    return {
        "mine": mine,
        "other": other,
        "unit": unit,
        "admin": admin,
        "unit_admin": unit_admin,
        "national": national,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_officer_gets_404_on_another_organisations_confidential_report(orgs) -> None:
    # given
    secret = make_report("disposed", agency=orgs["other"], is_confidential=True)
    client = _client(orgs["admin"])
    # when / then
    assert client.get(reverse("web:officer_report", args=[secret.tracking_id])).status_code == 404
    assert client.get(reverse("web:report_detail", args=[secret.tracking_id])).status_code == 404


def test_officer_cannot_act_on_another_organisations_report(orgs) -> None:
    # given: a public report of another organisation
    report = make_report("disposed", agency=orgs["other"])
    client = _client(orgs["admin"])
    # when
    response = client.post(
        reverse("web:officer_act", args=[report.tracking_id, "respond"]),
        {"content": "Jawaban yang tidak berhak dikirim oleh instansi lain."},
    )
    # then
    report.refresh_from_db()
    assert response.status_code == 403
    assert report.status == "disposed"
    assert report.responded_at is None


def test_citizen_cannot_open_the_workspace(orgs) -> None:
    client = _client(UserFactory())
    assert client.get(reverse("web:inbox")).status_code == 404
    assert Client().get(reverse("web:inbox")).status_code == 302


def test_verify_dispose_respond_through_the_pages(orgs) -> None:
    # given: a submitted report that asked for my organisation
    report = make_report("submitted", agency=orgs["mine"], age_days=1)
    admin = _client(orgs["admin"])
    # when: verify
    page = admin.get(reverse("web:officer_report", args=[report.tracking_id]))
    assert "Verifikasi dan teruskan" in page.content.decode()
    admin.post(
        reverse("web:officer_act", args=[report.tracking_id, "verify"]), {"sla_class": "complaint"}
    )
    report.refresh_from_db()
    assert report.status == "disposed"
    # when: dispose to the unit (searchable)
    page = admin.get(
        reverse("web:officer_report", args=[report.tracking_id]), {"unit_q": "pekerjaan"}
    )
    assert "Dinas Pekerjaan Umum" in page.content.decode()
    admin.post(
        reverse("web:officer_act", args=[report.tracking_id, "dispose"]), {"unit": "dinas-pu"}
    )
    report.refresh_from_db()
    assert report.status == "in_progress"
    assert report.unit == orgs["unit"]
    # when: the unit officer responds
    unit = _client(orgs["unit_admin"])
    unit.post(
        reverse("web:officer_act", args=[report.tracking_id, "respond"]),
        {"content": "Lubang sudah ditambal oleh tim Dinas PU pada hari Senin."},
    )
    report.refresh_from_db()
    assert report.status == "responded"
    # then: the public page shows the answer
    html = Client().get(reverse("web:report_detail", args=[report.tracking_id])).content.decode()
    assert "Lubang sudah ditambal" in html


def test_internal_note_is_never_public(orgs) -> None:
    report = make_report("disposed", agency=orgs["mine"])
    admin = _client(orgs["admin"])
    admin.post(
        reverse("web:officer_act", args=[report.tracking_id, "note"]),
        {"text": "Catatan internal: hubungi kepala dinas"},
    )
    assert (
        "hubungi kepala dinas"
        in admin.get(reverse("web:officer_report", args=[report.tracking_id])).content.decode()
    )
    public = Client().get(reverse("web:report_detail", args=[report.tracking_id])).content.decode()
    assert "hubungi kepala dinas" not in public


def test_invalid_action_shows_message_and_changes_nothing(orgs) -> None:
    report = make_report("submitted", agency=orgs["mine"], age_days=1)
    admin = _client(orgs["admin"])
    response = admin.post(
        reverse("web:officer_act", args=[report.tracking_id, "archive"]),
        {"reason_code": "nonsense", "note": "Penjelasan yang sudah saya tulis panjang."},
    )
    report.refresh_from_db()
    # then the page comes back with the error next to the field and the draft kept
    assert response.status_code == 422 and report.status == "submitted"
    html = response.content.decode()
    assert 'class="field-error"' in html and "Alasan arsip tidak dikenal" in html
    assert "Penjelasan yang sudah saya tulis panjang." in html


def test_a_refused_action_is_a_readable_403_page(orgs) -> None:
    # given a report the organisation has received: only the national admin may archive it
    report = make_report("disposed", agency=orgs["mine"])
    response = _client(orgs["admin"]).post(
        reverse("web:officer_act", args=[report.tracking_id, "archive"]),
        {"reason_code": "unclear"},
    )
    report.refresh_from_db()
    assert response.status_code == 403 and report.status == "disposed"
    html = response.content.decode()
    assert "Tidak diizinkan" in html and "Traceback" not in html


def test_bulk_verify_reports_each_result(orgs) -> None:
    ok = make_report("submitted", agency=orgs["mine"], age_days=1)
    foreign = make_report("submitted", agency=orgs["other"], age_days=1)
    admin = _client(orgs["admin"])
    response = admin.post(
        reverse("web:bulk_act"),
        {"action": "verify", "reports": [ok.tracking_id, foreign.tracking_id]},
    )
    html = response.content.decode()
    ok.refresh_from_db()
    foreign.refresh_from_db()
    assert ok.status == "disposed"
    assert foreign.status == "submitted"
    assert html.count("Berhasil") == 1
    assert "Gagal" in html


def test_inbox_sorted_by_deadline_with_counts_and_bounded_queries(
    orgs, django_assert_max_num_queries
) -> None:
    for _ in range(8):
        make_report("disposed", agency=orgs["mine"])
    make_report("disposed", agency=orgs["other"], title="Laporan instansi lain di kotak masuk")
    admin = _client(orgs["admin"])
    with django_assert_max_num_queries(14):
        response = admin.get(reverse("web:inbox"), {"status": "open"})
    html = response.content.decode()
    assert "Belum Ditindaklanjuti (8)" in html
    assert "Laporan instansi lain di kotak masuk" not in html
    assert "sla-" in html


def test_national_admin_sees_the_unverified_queue(orgs) -> None:
    make_report("submitted", agency=orgs["other"], title="Menunggu verifikasi nasional")
    html = _client(orgs["national"]).get(reverse("web:inbox")).content.decode()
    assert "Antrean nasional" in html
    assert "Menunggu verifikasi nasional" in html


def test_attachment_download_is_permission_checked_and_safe(orgs) -> None:
    # given
    report = make_report("disposed", agency=orgs["mine"])
    attachment = Attachment.objects.create(
        report=report,
        file=ContentFile(b"%PDF-1.4 test", name="a.pdf"),
        original_name='surat "resmi"\r\n.pdf',
        content_type="application/pdf",
        size=13,
        sha256="0" * 64,
    )
    url = reverse("web:attachment_download", args=[attachment.pk])
    # when: the responsible officer downloads
    response = _client(orgs["admin"]).get(url)
    # then
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    # when: the public or another organisation's officer asks
    other_admin = UserFactory(role="agency_admin", agency=orgs["other"])
    assert Client().get(url).status_code == 404
    assert _client(other_admin).get(url).status_code == 404


def _verified(orgs, **fields) -> None:
    report = make_report("submitted", agency=orgs["mine"], age_days=0, **fields)
    report_act(tracking_id=report.tracking_id, action="verify", actor_user=orgs["national"])


def _aggregate() -> None:
    today = timezone.localdate()
    daily_stats_rebuild(day_from=today - timedelta(days=40), day_to=today)


def test_agency_profile_shows_figures_and_svg_chart(
    client: Client, orgs, django_assert_max_num_queries
) -> None:
    # given: two public reports and a confidential one, aggregated by the analytics app
    _verified(orgs)
    _verified(orgs)
    _verified(orgs, is_confidential=True)
    _aggregate()
    # when
    with django_assert_max_num_queries(8):
        html = client.get(reverse("web:agency_profile", args=["pemkot-a"])).content.decode()
    # then
    assert "<svg" in html and "<rect" in html
    assert "<strong>2</strong> laporan" in html  # the confidential one is not counted


def test_agency_dashboard_for_its_officers_only_with_downloads(orgs) -> None:
    # given
    _verified(orgs)
    _aggregate()
    admin = _client(orgs["admin"])
    # when
    page = admin.get(reverse("web:dashboard"))
    csv = admin.get(reverse("web:dashboard"), {"unduh": "csv"})
    xlsx = admin.get(reverse("web:dashboard"), {"unduh": "xlsx"})
    # then
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").startswith("Unit kerja,")
    assert xlsx.content[:2] == b"PK"
    assert 'filename="dasbor-pemkot-a.xlsx"' in xlsx["Content-Disposition"]
    # and another organisation's officer gets 404
    other = UserFactory(role="agency_admin", agency=orgs["other"])
    assert _client(other).get(reverse("web:agency_dashboard", args=["pemkot-a"])).status_code == 404


def test_national_dashboard_for_national_admin_only(orgs) -> None:
    make_report("disposed", agency=orgs["mine"], age_days=3)
    _aggregate()
    national = _client(orgs["national"])
    page = national.get(reverse("web:national_dashboard"))
    assert page.status_code == 200
    assert "Dasbor nasional" in page.content.decode()
    download = national.get(reverse("web:national_dashboard"), {"tabel": "jenis", "unduh": "csv"})
    assert download.content.decode("utf-8-sig").startswith("Jenis instansi,")
    assert _client(orgs["admin"]).get(reverse("web:national_dashboard")).status_code == 404


def test_agency_admin_protects_a_reporter_by_raising_the_privacy(orgs) -> None:
    # given: a submitted report for my organisation that should have been confidential
    report = make_report("submitted", agency=orgs["mine"], age_days=0)
    admin = _client(orgs["admin"])
    # when
    admin.post(
        reverse("web:officer_act", args=[report.tracking_id, "set_privacy"]),
        {"is_anonymous": "1", "is_confidential": "1", "reason": "Alamat rumah tertulis."},
    )
    # then
    report.refresh_from_db()
    assert report.is_anonymous and report.is_confidential
    assert Client().get(reverse("web:report_detail", args=[report.tracking_id])).status_code == 404


def test_officer_actions_need_the_csrf_token(orgs) -> None:
    report = make_report("disposed", agency=orgs["mine"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(orgs["admin"])
    response = client.post(
        reverse("web:officer_act", args=[report.tracking_id, "note"]), {"text": "catatan"}
    )
    assert response.status_code == 403


def test_officer_report_page_and_dashboards_run_few_queries(
    orgs, django_assert_max_num_queries
) -> None:
    report = make_report("in_progress", agency=orgs["mine"], unit=orgs["unit"])
    admin = _client(orgs["admin"])
    national = _client(orgs["national"])
    admin.get(reverse("web:officer_report", args=[report.tracking_id]))  # warm the calendar
    with django_assert_max_num_queries(25):
        assert (
            admin.get(reverse("web:officer_report", args=[report.tracking_id])).status_code == 200
        )
    with django_assert_max_num_queries(15):
        assert admin.get(reverse("web:dashboard")).status_code == 200
    with django_assert_max_num_queries(15):
        assert national.get(reverse("web:national_dashboard")).status_code == 200


def test_inbox_view_of_reports_assigned_to_me(orgs) -> None:
    mine = make_report("disposed", agency=orgs["mine"], title="Laporan yang saya tangani")
    make_report("disposed", agency=orgs["mine"], title="Laporan petugas lain")
    admin = _client(orgs["admin"])
    admin.post(reverse("web:officer_act", args=[mine.tracking_id, "assign"]))
    html = admin.get(reverse("web:inbox"), {"status": "open", "saya": "1"}).content.decode()
    assert "Laporan yang saya tangani" in html
    assert "Laporan petugas lain" not in html


def test_agency_admin_extends_the_deadline_once(orgs) -> None:
    report = make_report("disposed", agency=orgs["mine"])
    before = report.deadline
    admin = _client(orgs["admin"])
    page = admin.get(reverse("web:officer_report", args=[report.tracking_id])).content.decode()
    assert "Perpanjang batas waktu" in page
    admin.post(
        reverse("web:officer_act", args=[report.tracking_id, "extend"]),
        {"working_days": "2", "reason": "Menunggu hasil pemeriksaan lapangan"},
    )
    report.refresh_from_db()
    assert report.deadline is not None and before is not None
    assert report.deadline > before
