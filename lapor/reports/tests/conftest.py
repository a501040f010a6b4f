"""Shared fixtures of the reports tests: an organisation with a unit tree and one user per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.models import Agency, Unit
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    unit: Unit
    sub_unit: Unit
    other_unit: Unit
    users: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(code="pemkot-contoh", name="Pemerintah Kota Contoh")
    other = AgencyFactory(code="kemenkes", name="Kementerian Kesehatan")
    unit = UnitFactory(agency=agency, code="dinas-pu")
    sub_unit = UnitFactory(agency=agency, code="bidang-jalan", parent=unit)
    other_unit = UnitFactory(agency=agency, code="dinas-kesehatan")
    users = {
        "reporter": UserFactory(role="reporter", full_name="Budi Santoso"),
        "citizen": UserFactory(role="reporter"),
        "national": UserFactory(role="national_admin"),
        "agency_admin": UserFactory(role="agency_admin", agency=agency),
        "other_admin": UserFactory(role="agency_admin", agency=other),
        "unit_admin": UserFactory(role="unit_admin", agency=agency, unit=unit),
        "other_unit_admin": UserFactory(role="unit_admin", agency=agency, unit=other_unit),
        "evaluator": UserFactory(role="evaluator"),
    }
    return World(agency, other, unit, sub_unit, other_unit, users)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
