"""Browser: layout, language switch, sign in; axe-core on the pages; screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from lapor.accounts.tests.factories import PASSWORD, UserFactory
from lapor.agencies.tests.factories import RegionFactory

from .conftest import assert_accessible, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_login_and_language_switch(page: Any) -> None:
    # given
    UserFactory(email="warga@example.id", full_name="Siti Warga")
    # when
    page.goto("/")
    # then
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").first.inner_text() == "Sampaikan laporan Anda"
    assert_accessible(page)
    screenshot(page, "home")
    # when: keyboard user reaches the skip link first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    # when: switching language with the header buttons
    page.get_by_role("button", name="English").click()
    # then
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Bahasa Indonesia").click()
    assert page.locator("html").get_attribute("lang") == "id"
    # when: signing in
    page.goto("/masuk/")
    assert_accessible(page)
    screenshot(page, "login")
    page.get_by_label("E-mail").fill("warga@example.id")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).last.click()
    # then
    assert page.get_by_text("Siti Warga").is_visible()
    assert page.js_errors == []


def test_submit_and_track_with_javascript_disabled(
    browser: Any, live_server: Any, sla_ladder
) -> None:
    # given
    province = RegionFactory(code="35", name="Jawa Timur", level=1, kind="provinsi")
    RegionFactory(code="35.78", name="Kota Surabaya", level=2, kind="kota", parent=province)
    tab = open_page(browser, live_server.url, javascript=False)
    # when: the region chain is filled with the visible "show choices" button
    tab.goto("/lapor/")
    tab.get_by_label("Judul laporan").fill("Lampu jalan mati di Jalan Darmo")
    tab.get_by_label("Isi laporan").fill(
        "Sudah seminggu lampu jalan mati sehingga jalan gelap dan rawan kecelakaan malam hari."
    )
    tab.locator("#id_province").select_option("35")
    tab.get_by_role("button", name="Tampilkan pilihan wilayah").click()
    # then: the typed text is kept and the next level is offered
    assert tab.get_by_label("Judul laporan").input_value() == "Lampu jalan mati di Jalan Darmo"
    tab.locator("#id_regency").select_option("35.78")
    tab.get_by_role("button", name="Kirim laporan").last.click()
    tracking_id = tab.locator("#tracking-id").inner_text().strip()
    key = tab.locator("#reporter-key").inner_text().strip()
    # when: tracking in a new browser without JavaScript
    other = open_page(browser, live_server.url, javascript=False)
    other.goto("/lacak/")
    other.get_by_label("Nomor pelacakan").fill(tracking_id)
    other.get_by_label("Kunci pelapor").fill(key)
    other.get_by_role("button", name="Lacak").click()
    # then
    assert other.locator("h1").inner_text() == "Lampu jalan mati di Jalan Darmo"
    assert other.get_by_text("Kota Surabaya").first.is_visible()
    tab.context.close()
    other.context.close()
