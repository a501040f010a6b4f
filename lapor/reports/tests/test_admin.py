"""The Django admin shows reports and timelines but cannot change them."""

from __future__ import annotations

import pytest

from lapor.accounts.models import User
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_admin_is_read_only(world):
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    admin = User.objects.create_superuser("admin@lapor.go.id", "sandi-yang-panjang-sekali")
    client = client_for(admin)
    # the lists and the report page render, with its timeline
    assert client.get("/admin/reports/report/").status_code == 200
    assert client.get("/admin/reports/event/").status_code == 200
    page = client.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.status_code == 200 and report.tracking_id in page.content.decode()
    # but nothing can be added or deleted
    assert client.get("/admin/reports/report/add/").status_code == 403
    assert client.get(f"/admin/reports/report/{report.pk}/delete/").status_code == 403
