"""Browser: the end-to-end flow of issue 4 with screenshots and axe-core on the main pages.

A guest submits a report with an attachment and gets a tracking ID; the organisation's admin
signs in, verifies and disposes it to a unit; the unit officer responds; the guest tracks the
report, sees the answer and rates it; the public list shows it and not a confidential one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lapor.accounts.tests.factories import PASSWORD, UserFactory
from lapor.agencies.tests.factories import (
    AgencyFactory,
    CategoryFactory,
    RegionFactory,
    UnitFactory,
)
from lapor.reports.models import Report
from lapor.reports.tests.factories import make_report

from .conftest import assert_accessible, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _select_and_swap(page: Any, selector: str, value: str) -> None:
    """Choose an option that HTMX reacts to, and wait until the swapped fragment is live."""
    with page.expect_response(lambda r: "/lapor/bagian/" in r.url):
        page.locator(selector).select_option(value)
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    )


def _sign_in(page: Any, email: str) -> None:
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def test_guest_to_officer_to_rating(
    browser: Any, live_server: Any, sla_ladder: None, tmp_path: Path
) -> None:
    # given: the registry, an organisation with a unit, its admin and unit officer
    province = RegionFactory(code="35", name="Jawa Timur", level=1, kind="provinsi")
    city = RegionFactory(code="35.78", name="Kota Surabaya", level=2, kind="kota", parent=province)
    RegionFactory(code="35.78.01", name="Karang Pilang", level=3, kind="kecamatan", parent=city)
    top = CategoryFactory(code="infrastruktur", name_id="Infrastruktur")
    CategoryFactory(code="jalan", name_id="Jalan rusak", parent=top)
    agency = AgencyFactory(code="35.78", name="Pemerintah Kota Surabaya", type="kota")
    UnitFactory(agency=agency, code="dsdabm", name="Dinas SDA dan Bina Marga")
    unit = agency.units.get()
    UserFactory(email="admin@surabaya.go.id", role="agency_admin", agency=agency)
    UserFactory(email="dsdabm@surabaya.go.id", role="unit_admin", agency=agency, unit=unit)
    make_report("disposed", agency=agency, title="Laporan rahasia warga", is_confidential=True)
    make_report("disposed", agency=agency, title="Jalan berlubang di depan SDN 5 Karang Pilang")
    make_report(
        "disposed",
        agency=agency,
        title="Rahasia: jalan berlubang di depan SDN 7 Karang Pilang",
        is_confidential=True,
    )
    photo = tmp_path / "lubang.png"
    photo.write_bytes(PNG)

    # when: a guest submits with an attachment (HTMX fills the region chain)
    guest = open_page(browser, live_server.url)
    guest.goto("/")
    assert_accessible(guest)
    screenshot(guest, "home")
    guest.goto("/lapor/")
    guest.get_by_label("Aspirasi").check()
    guest.get_by_label("Pengaduan").check()
    guest.get_by_label("Judul laporan").fill("Jalan berlubang di depan SDN 3 Karang Pilang")
    # then: as the title is typed, similar open public reports are suggested (never confidential)
    guest.get_by_label("Judul laporan").press("End")
    guest.locator("#similar-reports a").first.wait_for()
    suggestions = guest.locator("#similar-reports").inner_text()
    assert "SDN 5 Karang Pilang" in suggestions
    assert "Rahasia" not in suggestions
    guest.get_by_label("Isi laporan").fill(
        "Lubang besar di jalan depan sekolah sejak dua bulan, membahayakan anak-anak."
    )
    guest.locator("#id_category").select_option("jalan")
    guest.locator("#id_agency").select_option("35.78")
    _select_and_swap(guest, "#id_province", "35")
    _select_and_swap(guest, "#id_regency", "35.78")
    guest.locator("#id_district").select_option("35.78.01")
    guest.locator("#id_attachments").set_input_files(str(photo))
    assert_accessible(guest)
    screenshot(guest, "submit")
    guest.get_by_role("button", name="Kirim laporan").last.click()
    guest.locator("#tracking-id").wait_for()
    tracking_id = guest.locator("#tracking-id").inner_text().strip()
    key = guest.locator("#reporter-key").inner_text().strip()
    assert_accessible(guest)
    screenshot(guest, "sent")
    report = Report.objects.get(tracking_id=tracking_id)
    assert report.attachments.count() == 1

    # when: the organisation's admin verifies and disposes to the unit
    admin = open_page(browser, live_server.url)
    _sign_in(admin, "admin@surabaya.go.id")
    admin.goto("/petugas/?status=submitted")
    assert_accessible(admin)
    screenshot(admin, "inbox")
    admin.get_by_role("link", name="Jalan berlubang di depan SDN 3 Karang Pilang").click()
    assert_accessible(admin)
    screenshot(admin, "officer-report")
    admin.get_by_role("button", name="Verifikasi", exact=True).click()
    admin.get_by_label("Unit kerja").select_option("dsdabm")
    admin.get_by_role("button", name="Disposisikan").click()
    assert admin.get_by_text("Proses", exact=True).first.is_visible()

    # when: the unit officer responds
    officer = open_page(browser, live_server.url)
    _sign_in(officer, "dsdabm@surabaya.go.id")
    officer.goto(f"/petugas/laporan/{tracking_id}/")
    officer.get_by_label("Jawaban", exact=True).fill(
        "Lubang sudah ditambal oleh tim Dinas SDA dan Bina Marga pada hari Senin."
    )
    officer.get_by_role("button", name="Kirim jawaban").click()
    officer.wait_for_load_state()

    # then: the guest tracks the report in a new browser, sees the answer and rates it
    again = open_page(browser, live_server.url)
    again.goto("/lacak/")
    assert_accessible(again)
    screenshot(again, "track")
    again.get_by_label("Nomor pelacakan").fill(tracking_id.lower())
    again.get_by_label("Kunci pelapor").fill(key)
    again.get_by_role("button", name="Lacak").click()
    assert again.get_by_text("Lubang sudah ditambal").is_visible()
    assert_accessible(again)
    screenshot(again, "report")
    again.locator("label[for='rate-4']").click()
    again.get_by_role("button", name="Kirim nilai").click()
    assert again.get_by_text("Nilai dari pelapor: 4 dari 5").is_visible()

    # then: the public list shows it, and not the confidential one
    again.goto("/laporan/")
    assert again.get_by_text("Jalan berlubang di depan SDN 3 Karang Pilang").is_visible()
    assert again.get_by_text("Laporan rahasia warga").count() == 0
    assert_accessible(again)
    screenshot(again, "public-list")
    again.goto("/instansi/35.78/")
    assert again.locator("svg.chart").is_visible()
    assert_accessible(again)
    screenshot(again, "agency-profile")
    admin.goto("/petugas/dasbor/")
    assert admin.locator("svg.chart").first.is_visible()
    assert_accessible(admin)
    screenshot(admin, "dashboard")
    for tab in (guest, admin, officer, again):
        assert tab.js_errors == [], tab.js_errors
        tab.context.close()
