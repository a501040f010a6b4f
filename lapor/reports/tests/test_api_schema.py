"""The OpenAPI document names every path and action of the contract, and respond takes files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lapor.reports.models import Attachment, Event
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import make_report

ACTIONS = (
    "verify", "dispose", "forward", "postpone", "archive", "respond",
    "reply", "close", "reopen", "escalate", "rate", "support",
)  # fmt: skip
FIELDS = {
    "tracking_id", "type", "title", "content", "category", "agency", "unit", "region", "address",
    "lat", "lon", "event_date", "channel", "is_anonymous", "is_confidential", "status",
    "deadline", "sla_state", "created_at", "updated_at", "supports",
}  # fmt: skip


@pytest.mark.django_db
def test_openapi_lists_the_contract():
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/reports"])
    assert "get" in paths["/api/v1/reports/{tracking_id}"]
    assert "get" in paths["/api/v1/reports/{tracking_id}/timeline"]
    for action in ACTIONS:
        assert "post" in paths[f"/api/v1/reports/{{tracking_id}}/{action}"], action
    report_out = schema["components"]["schemas"]["ReportOut"]["properties"]
    assert set(report_out) >= FIELDS
    submit = paths["/api/v1/reports"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(submit)


@pytest.mark.django_db
def test_report_fields_are_exactly_those_of_the_contract_plus_documented_extras(world):
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    body = client_for(None).get(f"/api/v1/reports/{report.tracking_id}").json()
    assert set(body) >= FIELDS
    assert body["agency"] == world.agency.code and body["unit"] == world.unit.code
    assert body["sla_state"] in ("on_time", "near_due", "late")
    assert body["deadline"].endswith("+07:00")


@pytest.mark.django_db
def test_respond_with_attachments_as_multipart(world):
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), (1, 2, 3)).save(buffer, format="PNG")
    photo = SimpleUploadedFile("bukti.png", buffer.getvalue(), content_type="image/png")
    response = client_for(world.users["unit_admin"]).post(
        f"/api/v1/reports/{report.tracking_id}/respond",
        {"content": "Sudah diperbaiki, foto terlampir.", "attachments": [photo]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "responded"
    attachment = Attachment.objects.get(report=report)
    assert attachment.event == Event.objects.get(report=report, action="respond")
