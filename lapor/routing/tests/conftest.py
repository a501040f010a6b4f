"""Fixtures of the routing tests: two organisations, their officers, and answered reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.models import Agency, Unit
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory
from lapor.reports.events import event_append
from lapor.reports.models import Event, Report
from lapor.reports.tests.factories import make_report


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    unit: Unit
    sub_unit: Unit
    users: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(code="35.78", name="Pemerintah Kota Surabaya")
    other = AgencyFactory(code="kemenkes", name="Kementerian Kesehatan")
    unit = UnitFactory(agency=agency, code="dinas-pu")
    sub_unit = UnitFactory(agency=agency, code="bidang-jalan", parent=unit)
    users = {
        "national": UserFactory(role="national_admin"),
        "agency_admin": UserFactory(role="agency_admin", agency=agency),
        "unit_admin": UserFactory(role="unit_admin", agency=agency, unit=unit),
        "liaison": UserFactory(role="liaison_officer", agency=agency, unit=sub_unit),
        "other_admin": UserFactory(role="agency_admin", agency=other),
        "evaluator": UserFactory(role="evaluator"),
        "reporter": UserFactory(role="reporter"),
    }
    return World(agency, other, unit, sub_unit, users)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def answered(
    agency: Agency, text: str, *, at: datetime | None = None, actor: Any = None
) -> tuple[Report, Event]:
    """A report of `agency` in progress with one `respond` event carrying `text`."""
    at = at or timezone.now() - timedelta(hours=1)
    report = make_report("in_progress", agency=agency)
    event = event_append(
        report=report,
        action="respond",
        at=at,
        actor=actor,
        actor_role="agency_admin",
        from_status="in_progress",
        to_status="responded",
        text=text,
    )
    return report, event


TEMPLATE_ANSWER = (
    "Yth. Bapak {name}, terima kasih atas laporan Anda. Laporan telah kami teruskan kepada "
    "Dinas Sumber Daya Air dan Bina Marga untuk ditindaklanjuti. Petugas akan melakukan "
    "pengecekan ke lokasi dalam waktu 3 x 24 jam. Demikian kami sampaikan."
)
SUBSTANTIVE_ANSWER = (
    "Saluran di Jalan Simolangit sudah dikeruk tim kecamatan pada hari Senin; sampah hasil "
    "pemangkasan pohon diangkut truk DLH pagi ini. Lubang jalan di depan nomor 13 ditambal "
    "aspal dingin sambil menunggu pengaspalan ulang bulan depan."
)
