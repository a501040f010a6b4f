"""Base layout, home, language switch, sign in/out, lockout and password reset pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lapor.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_home_has_landmarks_skip_link_and_language_switch(client: Client) -> None:
    # given / when
    response = client.get(reverse("web:home"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert 'name="language" value="en"' in html
    assert "Sampaikan laporan Anda" in html


def test_csp_header_forbids_inline_scripts(client: Client) -> None:
    # when
    response = client.get(reverse("web:home"))
    # then
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src.group(1)
    assert "<script>" not in response.content.decode()


def test_language_switch_to_english_without_javascript(client: Client) -> None:
    # given
    home = reverse("web:home")
    # when: the switch is a plain form POST to Django's set_language
    response = client.post(reverse("set_language"), {"language": "en", "next": home}, follow=True)
    # then
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Submit your report" in html


def test_language_switch_needs_csrf_token() -> None:
    # given
    client = Client(enforce_csrf_checks=True)
    # when
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    # then
    assert response.status_code == 403


def test_sign_in_and_sign_out() -> None:
    # given
    user = UserFactory(email="warga@example.id", full_name="Siti Warga")
    client = Client()
    # when
    response = client.post(
        reverse("web:login"), {"username": user.email, "password": PASSWORD}, follow=True
    )
    # then
    assert "Siti Warga" in response.content.decode()
    # when: sign out is a POST
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"), follow=True)
    # then
    assert "Siti Warga" not in response.content.decode()


def test_wrong_password_keeps_email_and_shows_message(client: Client) -> None:
    # given
    UserFactory(email="warga2@example.id")
    # when
    response = client.post(
        reverse("web:login"), {"username": "warga2@example.id", "password": "salah"}
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "E-mail atau kata sandi salah" in html
    assert 'value="warga2@example.id"' in html


def test_lockout_shows_a_readable_page(client: Client, settings) -> None:
    # given
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="warga3@example.id")
    for _ in range(2):
        client.post(reverse("web:login"), {"username": "warga3@example.id", "password": "x"})
    # when
    response = client.post(
        reverse("web:login"), {"username": "warga3@example.id", "password": PASSWORD}
    )
    # then
    assert response.status_code == 429
    html = response.content.decode()
    assert "Akun dikunci sementara" in html
    assert "Coba lagi setelah 15 menit" in html


def test_password_reset_sends_a_working_link(client: Client) -> None:
    # given
    user = UserFactory(email="lupa@example.id")
    # when
    response = client.post(reverse("web:password_reset"), {"email": user.email}, follow=True)
    # then
    assert "Periksa e-mail Anda" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/lupa-sandi/\S+/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    # when: following the link and choosing a new password
    page = client.get(link.group(1), follow=True)
    new = "sandi-baru-yang-panjang-2026"
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    # then
    assert "Kata sandi tersimpan" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
