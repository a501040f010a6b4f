"""Registration, home figures, English pages, reporter identity, reply templates and the
near-identical answer warning."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lapor.accounts.models import User
from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory
from lapor.analytics.services import daily_stats_rebuild
from lapor.reports.models import Event
from lapor.reports.tests.factories import make_report
from lapor.routing.services import reply_template_create, response_fingerprint_record

pytestmark = pytest.mark.django_db


def test_register_with_email_verification(client: Client) -> None:
    # when: name and e-mail are sent
    response = client.post(
        reverse("web:register"), {"full_name": "Siti Aminah", "email": "Siti@Example.id"}
    )
    # then: no account yet, a signed link is mailed
    assert "Periksa e-mail Anda" in response.content.decode()
    assert not User.objects.filter(email="siti@example.id").exists()
    link = re.search(r"http://testserver(/daftar/konfirmasi/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    # when: the link is opened and a password chosen
    password = "sandi-rahasia-yang-panjang-2026"
    done = client.post(link.group(1), {"password1": password, "password2": password}, follow=True)
    # then: the account exists, is a reporter, and is signed in
    user = User.objects.get(email="siti@example.id")
    assert user.role == "reporter"
    assert user.check_password(password)
    # and: the address is marked verified when the account was created from the link
    assert user.email_verified_at is not None
    assert abs((timezone.now() - user.email_verified_at).total_seconds()) < 60
    assert "Siti Aminah" in done.content.decode()
    # when: the link is used a second time
    again = client.post(link.group(1), {"password1": password, "password2": password})
    assert again.status_code == 302


def test_register_link_tampered_is_refused(client: Client) -> None:
    response = client.get(reverse("web:register_confirm", args=["bukan-token-yang-sah"]))
    assert response.status_code == 400


def test_home_reads_the_ladder_and_counts_public_reports(client: Client) -> None:
    # given: this month one public and one confidential report, aggregated by analytics
    agency = AgencyFactory()
    make_report("submitted", agency=agency, age_days=0)
    make_report("submitted", agency=agency, age_days=0, is_confidential=True)
    today = timezone.localdate()
    daily_stats_rebuild(day_from=today.replace(day=1), day_to=today)
    # when
    html = client.get(reverse("web:home")).content.decode()
    # then: the numbers come from the SLA ladder in force (v1: 3 working days to verify)
    assert "paling lama 3 hari kerja" in html
    assert "PermenPANRB 62/2018" in html
    counts = re.findall(r"<li><strong>(\d+)</strong> laporan diterima", html)
    assert counts == ["1"]


def test_pages_in_english_after_the_switch(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("web:report_submit")).content.decode()
    assert '<html lang="en">' in html
    assert "Send the report" in html
    assert "Not sure" in html


def test_browser_language_is_ignored_indonesian_by_default(client: Client) -> None:
    html = client.get(reverse("web:home"), headers={"Accept-Language": "en-US,en"}).content
    assert '<html lang="id">' in html.decode()


def test_anonymous_reporter_hidden_from_the_organisation_not_from_national_admin() -> None:
    # given
    agency = AgencyFactory()
    reporter = UserFactory(full_name="Nama Pelapor Rahasia")
    report = make_report("disposed", agency=agency, reporter=reporter, is_anonymous=True)
    officer = Client()
    officer.force_login(UserFactory(role="agency_admin", agency=agency))
    national = Client()
    national.force_login(UserFactory(role="national_admin"))
    url = reverse("web:officer_report", args=[report.tracking_id])
    # when / then
    html = officer.get(url).content.decode()
    assert "Nama Pelapor Rahasia" not in html
    assert "<dd>Anonim</dd>" in html
    assert "Nama Pelapor Rahasia" in national.get(url).content.decode()


def test_reply_template_prefills_and_near_identical_answer_warns(
    django_capture_on_commit_callbacks,
) -> None:
    # given: an organisation with a saved reply and an earlier answer to another report
    agency = AgencyFactory()
    unit = UnitFactory(agency=agency)
    admin = UserFactory(role="agency_admin", agency=agency)
    template = reply_template_create(
        actor=admin,
        agency=agency,
        title="Jalan rusak",
        body="Terima kasih atas laporan Anda. Tim kami akan memperbaiki jalan tersebut.",
    )
    earlier = make_report("in_progress", agency=agency, unit=unit)
    report = make_report("in_progress", agency=agency, unit=unit)
    client = Client()
    client.force_login(admin)
    text = "Terima kasih atas laporan Anda. Tim kami sudah memperbaiki jalan tersebut hari Senin."
    client.post(
        reverse("web:officer_act", args=[earlier.tracking_id, "respond"]), {"content": text}
    )
    response_fingerprint_record(event=Event.objects.get(report=earlier, action="respond"))
    # when: the template is chosen (a plain GET, no JavaScript)
    page = client.get(
        reverse("web:officer_report", args=[report.tracking_id]), {"template": template.pk}
    )
    # then
    assert "Tim kami akan memperbaiki jalan tersebut.</textarea>" in page.content.decode()
    # when: an almost identical answer is sent
    warned = client.post(
        reverse("web:officer_act", args=[report.tracking_id, "respond"]), {"content": text}
    )
    # then: a warning, the draft kept, nothing sent
    html = warned.content.decode()
    report.refresh_from_db()
    assert warned.status_code == 409
    assert "hampir sama" in html
    assert earlier.tracking_id in html
    assert report.status == "in_progress"
    # when: the officer confirms
    client.post(
        reverse("web:officer_act", args=[report.tracking_id, "respond"]),
        {"content": text, "confirm_similar": "1"},
    )
    report.refresh_from_db()
    assert report.status == "responded"
