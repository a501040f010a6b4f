"""The migration of existing reports to the lifecycle of ADR 0007: the old complexity classes
are renamed by type, the retired `escalated` status returns to the status before it, and open
reports get their running clocks rebuilt from the timeline, recorded by one event each."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lapor.reports.events import canonical_fields, compute_hash, normalise_data

JAKARTA = ZoneInfo("Asia/Jakarta")
BEFORE = [
    ("reports", "0003_desk_agency"),
    ("deadlines", "0003_ladder_v1"),
    ("core", "0001_initial"),
    ("agencies", "0001_initial"),
    ("analytics", "0002_timed_responses"),
]


def _event(Event, report, seq, prev, action, at, from_status, to_status, **extra):
    """An event of the old timeline, hashed as the timeline does."""
    fields = canonical_fields(
        tracking_id=report.tracking_id,
        seq=seq,
        action=action,
        at=at,
        actor_id=None,
        actor_role="system",
        from_status=from_status,
        to_status=to_status,
        from_agency_id=None,
        to_agency_id=extra.get("to_agency_id"),
        from_unit_id=None,
        to_unit_id=None,
        reason_code="",
        text="",
        deadline=None,
        sla_step="",
        is_internal=False,
        data=normalise_data({}),
        prev_hash=prev,
    )
    digest = compute_hash(fields)
    Event.objects.create(report=report, seq=seq, action=action, at=at, actor_role="system",
                         from_status=from_status, to_status=to_status, prev_hash=prev,
                         hash=digest, data={}, **extra)  # fmt: skip
    report.last_event_hash = digest
    report.save(update_fields=["last_event_hash"])
    return digest


@pytest.mark.django_db(transaction=True)
def test_existing_reports_move_to_the_new_classes_and_clocks():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Agency = old.get_model("agencies", "Agency")
    Report = old.get_model("reports", "Report")
    Event = old.get_model("reports", "Event")
    agency = Agency.objects.create(code="kota-uji", name="Kota Uji", type="kota")
    submitted_at = datetime(2025, 3, 26, 9, 0, tzinfo=JAKARTA)
    received_at = datetime(2025, 3, 27, 10, 0, tzinfo=JAKARTA)

    def report(tracking_id, report_type, sla_class, status):
        return Report.objects.create(
            tracking_id=tracking_id, type=report_type, title="Judul laporan uji",
            content="Isi laporan uji yang cukup panjang untuk sebuah laporan.",
            sla_class=sla_class, status=status, submitted_at=submitted_at, agency=agency,
            requested_agency=agency, verified_at=received_at,
        )  # fmt: skip

    # given reports of the first ladder: a simple complaint being handled, a field-check one,
    # an information request in the old "dispute" class, and one escalated while in progress
    handled = report("MIG-1", "pengaduan", "simple", "in_progress")
    field = report("MIG-2", "pengaduan", "field_check", "disposed")
    info = report("MIG-3", "permintaan_informasi", "dispute", "closed")
    escalated = report("MIG-4", "aspirasi", "simple", "escalated")
    for r in (handled, field, escalated):
        head = _event(Event, r, 1, "", "submit", submitted_at, "", "submitted")
        head = _event(Event, r, 2, head, "verify", received_at, "submitted", "disposed",
                      to_agency_id=agency.pk)  # fmt: skip
    _event(Event, escalated, 3, escalated.last_event_hash, "escalate",
           datetime(2025, 6, 1, 9, tzinfo=JAKARTA), "disposed", "escalated")  # fmt: skip
    _event(Event, info, 1, "", "submit", submitted_at, "", "submitted")

    # when the migrations run
    executor.loader.build_graph()
    executor.migrate(latest)

    # then the classes are renamed by type, escalation is undone as a status
    from lapor.reports.events import timeline_verify
    from lapor.reports.models import Event as NewEvent
    from lapor.reports.models import Report as NewReport
    from lapor.reports.models import ReportClock

    rows = {r.tracking_id: r for r in NewReport.objects.filter(tracking_id__startswith="MIG-")}
    assert {t: r.sla_class for t, r in rows.items()} == {
        "MIG-1": "complaint",
        "MIG-2": "misconduct",
        "MIG-3": "information_request",
        "MIG-4": "complaint",
    }
    assert rows["MIG-4"].status == "disposed"
    assert all(r.sla_ruleset is not None and r.sla_ruleset.version == 2 for r in rows.values())
    # and the open ones run the organisation's clocks from their receipt, recorded by an event
    for tracking_id, completion_days in (("MIG-1", "2025-04-14"), ("MIG-2", "2025-07-11")):
        r = rows[tracking_id]
        steps = {c.step: c for c in ReportClock.objects.filter(report=r, ended_at__isnull=True)}
        assert set(steps) == {"first_response", "completion"}
        assert steps["first_response"].started_at == received_at
        assert steps["first_response"].due_at.astimezone(JAKARTA).date().isoformat() == (
            "2025-04-14"
        )
        if tracking_id == "MIG-2":
            assert steps["completion"].due_at.astimezone(JAKARTA).date().isoformat() == (
                completion_days
            )
        recomputed = NewEvent.objects.get(report=r, action="deadline_recomputed")
        assert recomputed.data["sla_ruleset"] == 2 and "ADR 0007" in recomputed.text
        assert timeline_verify(r) == []
    # the closed one is left as it was
    assert not ReportClock.objects.filter(report=rows["MIG-3"]).exists()
    assert not NewEvent.objects.filter(report=rows["MIG-3"], action="deadline_recomputed").exists()
