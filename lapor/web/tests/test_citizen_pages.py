"""Citizen pages with Django's test client: submit (no JavaScript), confirmation, track, the
reporter's actions, public list, support, my reports, escaping and query counts."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, CategoryFactory, RegionFactory
from lapor.reports.tests.factories import GUEST_KEY, make_report

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def registry():
    province = RegionFactory(code="35", name="Jawa Timur", level=1, kind="provinsi")
    city = RegionFactory(code="35.78", name="Kota Surabaya", level=2, kind="kota", parent=province)
    district = RegionFactory(
        code="35.78.01", name="Karang Pilang", level=3, kind="kecamatan", parent=city
    )
    top = CategoryFactory(code="infrastruktur", name_id="Infrastruktur", name_en="Infrastructure")
    road = CategoryFactory(code="jalan", name_id="Jalan rusak", name_en="Damaged roads", parent=top)
    agency = AgencyFactory(code="35.78", name="Pemerintah Kota Surabaya", type="kota")
    return {"district": district, "category": road, "agency": agency}


def _submit_data(**extra: str) -> dict[str, str]:
    data = {
        "type": "pengaduan",
        "title": "Jalan berlubang di depan SDN 3",
        "content": "Lubang besar di jalan depan sekolah sejak dua bulan, membahayakan anak-anak.",
        "category": "jalan",
        "agency": "35.78",
        "province": "35",
        "regency": "35.78",
        "district": "35.78.01",
        "step": "send",
    }
    data.update(extra)
    return data


def test_region_picker_works_without_javascript(client: Client, registry) -> None:
    # given: a province chosen and the "show" button pressed (a plain form post)
    data = {"title": "Judul yang saya ketik", "province": "35", "step": "region"}
    # when
    response = client.post(reverse("web:report_submit"), data)
    # then: the regencies of the province are offered and what was typed is kept, no errors
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="35.78">Kota Surabaya</option>' in html
    assert 'value="Judul yang saya ketik"' in html
    assert "errorlist" not in html
    # when: the regency is chosen too
    html = client.post(reverse("web:report_submit"), {**data, "regency": "35.78"}).content.decode()
    # then
    assert "Karang Pilang" in html


def test_region_fragment_for_htmx(client: Client, registry) -> None:
    # when
    response = client.get(
        reverse("web:report_submit_part", args=["region"]),
        {"province": "35", "regency": "35.78"},
        headers={"HX-Request": "true"},
    )
    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<fieldset id="region-fieldset">')
    assert "Karang Pilang" in html


def test_category_search_filters_options(client: Client, registry) -> None:
    CategoryFactory(code="kesehatan", name_id="Kesehatan", name_en="Health")
    # when
    html = client.post(
        reverse("web:report_submit"), {"category_q": "jalan", "step": "category"}
    ).content.decode()
    # then
    assert "Jalan rusak" in html
    assert ">Kesehatan<" not in html


def test_errors_show_next_to_fields_and_keep_input(client: Client, registry) -> None:
    # when: the content is too short (a rule of the reports service)
    response = client.post(reverse("web:report_submit"), _submit_data(content="pendek"))
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_content_error"' in html
    assert "pendek</textarea>" in html
    assert 'value="Jalan berlubang di depan SDN 3"' in html


def test_guest_submits_with_attachment_and_sees_key_once(client: Client, registry) -> None:
    # given
    upload = SimpleUploadedFile("foto.png", PNG, content_type="image/png")
    # when
    response = client.post(reverse("web:report_submit"), {**_submit_data(), "attachments": upload})
    # then: redirected to the confirmation with the tracking ID and the reporter key
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    found_id = re.search(r'id="tracking-id">([^<]+)<', html)
    found_key = re.search(r'id="reporter-key">([^<]+)<', html)
    assert found_id is not None and found_key is not None
    tracking_id, key = found_id.group(1), found_key.group(1)
    assert len(key) > 20
    # the key is shown once only
    assert "reporter-key" not in client.get(response["Location"]).content.decode()
    # and tracking from another browser with the key unlocks the reporter's view
    other = Client()
    tracked = other.post(reverse("web:track"), {"tracking_id": tracking_id, "reporter_key": key})
    assert tracked.status_code == 302
    detail = other.get(tracked["Location"]).content.decode()
    assert "Jalan berlubang di depan SDN 3" in detail
    assert "Belum Terverifikasi" in detail  # the official status


def test_csrf_is_required_on_the_submit_form(registry) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:report_submit"), _submit_data())
    assert response.status_code == 403


def test_script_in_report_stays_text(client: Client) -> None:
    # given
    report = make_report(
        "disposed",
        agency=AgencyFactory(),
        title="<script>alert('x')</script> judul",
        content="Isi <script>alert(1)</script> dengan <b>tag</b>",
    )
    # when
    detail = client.get(reverse("web:report_detail", args=[report.tracking_id])).content.decode()
    listing = client.get(reverse("web:public_list")).content.decode()
    # then
    for html in (detail, listing):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html


def test_track_unknown_or_mistyped_id(client: Client) -> None:
    response = client.post(reverse("web:track"), {"tracking_id": "22222-22222"})
    assert response.status_code == 404
    assert "errorlist" in response.content.decode()


def test_confidential_report_is_not_public(client: Client) -> None:
    # given
    agency = AgencyFactory()
    public = make_report("disposed", agency=agency, title="Laporan terbuka untuk umum")
    secret = make_report(
        "disposed", agency=agency, title="Laporan rahasia sekali", is_confidential=True
    )
    # when
    listing = client.get(reverse("web:public_list")).content.decode()
    # then
    assert public.title in listing
    assert secret.title not in listing
    assert client.get(reverse("web:report_detail", args=[secret.tracking_id])).status_code == 404


def test_public_list_filters_search_and_query_count(
    client: Client, django_assert_max_num_queries
) -> None:
    # given
    agency = AgencyFactory(code="kemenkes", name="Kementerian Kesehatan")
    other = AgencyFactory()
    for i in range(12):
        make_report("disposed", agency=agency if i % 2 else other, title=f"Antrean puskesmas {i}")
    # when
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:public_list"), {"agency": "kemenkes"})
    # then
    html = response.content.decode()
    assert "6 laporan" in html
    # when: sorting and a full-text search
    found = client.get(reverse("web:public_list"), {"q": "puskesmas", "sort": "terlama"})
    assert "Antrean puskesmas 0" in found.content.decode()


def test_support_once_per_signed_in_user(client: Client) -> None:
    # given
    report = make_report("disposed", agency=AgencyFactory())
    user = UserFactory()
    client.force_login(user)
    url = reverse("web:report_support", args=[report.tracking_id])
    # when
    client.post(url)
    second = client.post(url, follow=True)
    # then
    report.refresh_from_db()
    assert report.supports_count == 1
    assert "sudah mendukung" in second.content.decode()


def test_guest_with_key_rates_the_answer(client: Client) -> None:
    # given: a responded guest report and the key remembered by tracking
    report = make_report("responded", agency=AgencyFactory(), guest=True)
    client.post(
        reverse("web:track"), {"tracking_id": report.tracking_id, "reporter_key": GUEST_KEY}
    )
    # when
    response = client.post(
        reverse("web:report_reporter_act", args=[report.tracking_id, "rate"]),
        {"score": "4", "content": "Cepat ditangani"},
        follow=True,
    )
    # then
    report.refresh_from_db()
    assert report.rating == 4
    assert "tanggapan Anda sudah tercatat" in response.content.decode()


def test_stranger_cannot_act_as_reporter(client: Client) -> None:
    report = make_report("responded", agency=AgencyFactory(), guest=True)
    response = client.post(reverse("web:report_reporter_act", args=[report.tracking_id, "close"]))
    report.refresh_from_db()
    # then a readable 403 page, and nothing changed
    assert report.status == "responded"
    assert response.status_code == 403
    assert "Tidak diizinkan" in response.content.decode()


def test_my_reports_lists_own_reports_only(client: Client) -> None:
    # given
    me, other = UserFactory(), UserFactory()
    mine = make_report("submitted", reporter=me, title="Laporan milik saya sendiri")
    make_report("submitted", reporter=other, title="Laporan orang lain")
    client.force_login(me)
    # when
    html = client.get(reverse("web:my_reports")).content.decode()
    # then
    assert mine.title in html
    assert "Laporan orang lain" not in html
