"""Every contract action × role × status through the API: allowed (200), 403 or 409.

The expectations are written out from the API contract (who may take each action) and the
domain's lifecycle (which statuses allow it), independently of the workflow table and the policy
table they check.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from lapor.reports.models import Event
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db

STATUSES = ("submitted", "disposed", "in_progress", "responded", "closed", "archived")
OPEN = {"submitted", "disposed", "in_progress", "responded"}
ROLES = ("public", "citizen", "reporter", "national", "agency_admin", "other_admin")
SIGNED_IN = {"citizen", "reporter", "national", "agency_admin", "other_admin"}

# the contract's "by" column, for these roles (agency_admin is the admin of the report's agency)
WHO = {
    "verify": {"national", "agency_admin"},
    "dispose": {"agency_admin"},
    "forward": {"national", "agency_admin"},
    "postpone": {"national", "agency_admin"},
    "archive": {"national", "agency_admin"},
    "respond": {"agency_admin"},
    "reply": {"reporter"},
    "close": {"reporter"},
    "reopen": {"reporter", "national"},
    "escalate": {"reporter", "national"},
    "rate": {"reporter"},
    "support": SIGNED_IN - {"reporter"},  # never one's own report
    "reclassify": {"national", "agency_admin"},
    "set_privacy": {"reporter", "national", "agency_admin"},  # raising, in this matrix
    "redact": {"national", "agency_admin"},
}
# the lifecycle: where each action may start
WHERE = {
    "verify": {"submitted"},
    "dispose": {"disposed", "in_progress"},
    "forward": {"submitted", "disposed", "in_progress"},
    "postpone": {"submitted", "disposed", "in_progress"},
    "archive": {"submitted", "disposed", "in_progress"},
    "respond": {"disposed", "in_progress"},
    "reply": {"submitted", "disposed", "in_progress", "responded"},
    "close": {"responded"},
    "reopen": {"closed", "archived"},
    "escalate": OPEN,
    "rate": {"responded", "closed"},
    "support": set(STATUSES),
    "reclassify": {"submitted", "disposed", "in_progress", "responded"},
    "set_privacy": set(STATUSES),
    "redact": set(STATUSES),
}
# an organisation's admin handles these only once it has received the report
NEEDS_RECEIVED = {"dispose", "respond"}
# … and archives only before that (afterwards the national admin alone)
BEFORE_RECEIPT = {"archive"}
# where a successful action lands
LANDS = {
    "verify": {"submitted": "disposed"},
    "dispose": {"disposed": "in_progress", "in_progress": "in_progress"},
    "archive": dict.fromkeys(("submitted", "disposed", "in_progress"), "archived"),
    "respond": dict.fromkeys(("disposed", "in_progress"), "responded"),
    "close": {"responded": "closed"},
    "reopen": {"closed": "in_progress", "archived": "submitted"},
    "escalate": {s: s for s in OPEN},  # a referral is a step: the status stays
}


def expected(action: str, role: str, status: str) -> int:
    if role not in WHO[action]:
        return 403
    # (the archived report of this matrix was archived before any organisation received it)
    if role == "agency_admin" and action in NEEDS_RECEIVED and status in ("submitted", "archived"):
        return 403
    if (
        role == "agency_admin"
        and action in BEFORE_RECEIPT
        and status not in ("submitted", "archived")
    ):
        return 403
    if status not in WHERE[action]:
        return 409
    if action == "reopen" and status == "archived" and role != "national":
        return 409  # only the national admin reopens an archived report: not available
    if action == "escalate" and role == "reporter" and status == "submitted":
        return 409  # no organisation has received it: no completion deadline has passed
    if action == "escalate" and role == "national":
        return 422  # a referral made elsewhere needs the reporter's request attached
    return 200


def params(action: str, world) -> dict:
    return {
        "verify": {"agency": world.agency.code, "sla_class": "misconduct"},
        "dispose": {"unit": world.unit.code},
        "forward": {"agency": world.other_agency.code, "reason": "Bukan wewenang kami."},
        "postpone": {"reason": "Menunggu anggaran perbaikan."},
        "archive": {"reason_code": "unclear", "note": "Isi tidak jelas."},
        "respond": {"content": "Perbaikan jalan dijadwalkan minggu depan."},
        "reply": {"content": "Terima kasih, tetapi belum ada perbaikan."},
        "close": {"note": "Sudah selesai."},
        "reopen": {"reason": "Ternyata belum diperbaiki."},
        "escalate": {"to": "ombudsman"},
        "rate": {"score": 4, "comment": "Cukup baik."},
        "support": {},
        "reclassify": {"sla_class": "misconduct", "reason": "Menyangkut perilaku petugas."},
        "set_privacy": {"is_confidential": True, "reason": "Memuat alamat rumah pelapor."},
        "redact": {"field": "content", "content": "Jalan berlubang besar di depan rumah […].",
                   "reason": "Alamat pelapor."},
    }[action]  # fmt: skip


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(WHO))
def test_action_role_status_matrix(world, action, status):
    # given one fresh report per role (rolled back after each), in `status`, at the world's agency
    clients = {r: client_for(None if r == "public" else world.users[r]) for r in ROLES}
    for role in ROLES:
        with transaction.atomic():
            report = make_report(status, agency=world.agency, reporter=world.users["reporter"])
            events_before = Event.objects.filter(report=report).count()
            # when the role takes the action through the API
            response = clients[role].post(
                f"/api/v1/reports/{report.tracking_id}/{action}",
                params(action, world),
                content_type="application/json",
            )
            # then the answer is the one the contract gives
            want = expected(action, role, status)
            assert response.status_code == want, (action, role, status, response.content)
            report.refresh_from_db()
            events_after = Event.objects.filter(report=report).count()
            if want == 200:
                body = response.json()
                assert body["tracking_id"] == report.tracking_id
                assert body["status"] == LANDS.get(action, {}).get(status, body["status"])
                if action == "support":
                    assert body["supports"] == 1
                else:
                    assert events_after == events_before + 1
            else:
                problem = response.json()
                assert response["Content-Type"].startswith("application/problem+json")
                assert problem["status"] == want
                assert report.status == status and events_after == events_before
                if want == 409:
                    assert isinstance(problem["allowed_actions"], list)
                    assert action not in problem["allowed_actions"]
                if want == 422:
                    assert problem["errors"], problem
            transaction.set_rollback(True)
