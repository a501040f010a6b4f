"""Existing reports move to the lifecycle of ADR 0007 (documented there, "Migration of existing
reports"):

1. the archive reasons become data (the default list of domain.md §3; the codes in use are kept);
2. every report's class is renamed by type: information requests → `information_request`;
   otherwise `field_check` → `misconduct` (the only old class that carried 60 days) and every
   other → `complaint`;
3. reports in the retired `escalated` status return to the status they had before the
   escalation (the referral stays recorded in `referred_to_ombudsman_at`);
4. every report moves to ladder version 2 for the clocks started from now on;
5. open reports get their running clock rows rebuilt from the timeline under version 2 (receipt
   = the last `verify`, or `forward` into an organisation) and one `deadline_recomputed` event
   each, recording the old and new due times and the reason. Past events are never rewritten.

The arithmetic is the pure `lapor.deadlines.sla` / `workdays` (stable, versioned rules passed in
as data); the event hash is the timeline's own `compute_hash` (hash version 1).
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone

ARCHIVE_REASONS = [
    # code, name_id, name_en, names_original, order
    (
        "not_government",
        "Bukan tentang kinerja pemerintah atau pelayanan publik",
        "Not about government performance or public service",
        False,
        10,
    ),
    ("too_general", "Terlalu umum", "Too general", False, 20),
    ("unclear", "Tidak jelas atau tidak lengkap", "Unintelligible or incomplete", False, 30),
    (
        "out_of_scope",
        "Di luar pelayanan publik (penegakan hukum, legislatif, korupsi atau tindak pidana)",
        "Outside public service (law enforcement, legislature, corruption or crime)",
        False,
        40,
    ),
    ("duplicate", "Duplikat laporan lain", "Duplicate of another report", True, 50),
]
V2_DAYS = {"verification": 3, "first_response": 5, "follow_up": 5, "closing": 10}
V2_COMPLETION = {"information_request": 5, "complaint": 14, "misconduct": 60}
OPEN = ("submitted", "disposed", "in_progress", "responded")
REASON = "Migrasi ke tangga SLA versi 2 (ADR 0007): jam instansi sejak penerimaan, kelas 5/14/60."


def seed_archive_reasons(apps, schema_editor):
    ArchiveReason = apps.get_model("reports", "ArchiveReason")
    for code, name_id, name_en, names_original, order in ARCHIVE_REASONS:
        ArchiveReason.objects.get_or_create(
            code=code,
            defaults={
                "name_id": name_id,
                "name_en": name_en,
                "names_original": names_original,
                "sort_order": order,
            },
        )


def rename_classes(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Report.objects.filter(type="permintaan_informasi").update(sla_class="information_request")
    others = Report.objects.exclude(type="permintaan_informasi")
    others.filter(sla_class="field_check").update(sla_class="misconduct")
    others.exclude(sla_class="misconduct").update(sla_class="complaint")


def _ladder_and_calendar(apps):
    from lapor.deadlines import sla, workdays

    Override = apps.get_model("deadlines", "HolidayOverride")
    rules = [sla.Rule(step, days) for step, days in V2_DAYS.items()]
    rules += [sla.Rule("completion", days, sla_class=c) for c, days in V2_COMPLETION.items()]
    ladder = sla.Ladder(rules=tuple(rules), cutoff_hour=16)
    now = timezone.now()
    cal = workdays.WorkCalendar.from_holidays(range(2014, now.year + 6)).with_overrides(
        workdays.Override(
            day=o.date, kind=workdays.OverrideKind(o.kind), name=o.name, legal_basis=o.legal_basis
        )
        for o in Override.objects.all()
    )
    return ladder, cal


def _iso(value):
    return timezone.localtime(value).isoformat()


def rebuild_open_clocks(apps, schema_editor):
    from lapor.deadlines import sla
    from lapor.reports.events import canonical_fields, compute_hash, normalise_data

    Report = apps.get_model("reports", "Report")
    Event = apps.get_model("reports", "Event")
    Clock = apps.get_model("reports", "ReportClock")
    SlaRuleSet = apps.get_model("deadlines", "SlaRuleSet")
    v2 = SlaRuleSet.objects.filter(version=2).first()
    if v2 is None:
        return
    # escalated reports return to the status they had before the escalation
    for report in Report.objects.filter(status="escalated"):
        before = (
            Event.objects.filter(report=report, action="escalate").order_by("-seq").first()
        )
        report.status = before.from_status if before and before.from_status in OPEN else "responded"
        report.save(update_fields=["status"])
    Report.objects.update(sla_ruleset=v2)
    if not Report.objects.filter(status__in=OPEN).exists():
        return
    ladder, cal = _ladder_and_calendar(apps)
    now = timezone.now()

    def due(step, start, sla_class=""):
        return sla.due_at(step, "", sla_class, start, ladder, cal)

    for report in Report.objects.filter(status__in=OPEN).order_by("pk").iterator():
        events = list(Event.objects.filter(report=report).order_by("seq"))
        receipt = next(
            (
                e
                for e in reversed(events)
                if e.action == "verify" or (e.action == "forward" and e.to_agency_id)
            ),
            None,
        )
        rows = []
        if report.status == "submitted":
            start = next(
                (e.at for e in reversed(events) if e.action in ("forward", "reopen")),
                report.submitted_at,
            )
            rows.append(("verification", start, due("verification", start), None))
        else:
            received_at = receipt.at if receipt else (report.verified_at or report.submitted_at)
            report.received_at = received_at
            after = [e for e in events if e.at >= received_at and e.seq > (receipt.seq if receipt else 0)]
            answer = next((e for e in after if e.action == "respond"), None)
            met = answer.at if answer else None
            rows.append(("first_response", received_at, due("first_response", received_at), met))
            rows.append(
                (
                    "completion",
                    received_at,
                    due("completion", received_at, report.sla_class),
                    met,
                )
            )
            last = events[-1] if events else None
            last_answer = next((e for e in reversed(after) if e.action == "respond"), None)
            if report.status == "responded" and last_answer is not None:
                rows.append(("closing", last_answer.at, due("closing", last_answer.at), None))
            elif report.status == "in_progress" and answer is not None and last is not None:
                trigger = next(
                    (e for e in reversed(after) if e.action in ("reply", "reopen")), last
                )
                rows.append(("follow_up", trigger.at, due("follow_up", trigger.at), None))
        running = []
        for step, started, due_at, met_at in rows:
            clock = Clock(
                report=report,
                step=step,
                agency_id=report.agency_id if step != "verification" else None,
                started_at=started,
                start_seq=0,
                due_at=due_at,
                ruleset=v2,
                sla_class=report.sla_class if step == "completion" else "",
                met_at=met_at,
                ended_at=met_at,
                end_reason="met" if met_at else "",
                paused_at=report.paused_at if (report.is_postponed and not met_at) else None,
            )
            if met_at and met_at > due_at and step != "closing":
                clock.late_at = met_at
            running.append(clock)
        live = sorted((c for c in running if c.ended_at is None), key=lambda c: c.due_at)
        old = report.deadline
        report.deadline = live[0].due_at if live else None
        report.deadline_step = live[0].step if live else ""
        seq = (events[-1].seq if events else 0) + 1
        prev = events[-1].hash if events else ""
        data = normalise_data(
            {
                "clocks": {c.step: _iso(c.due_at) for c in live},
                "old_deadline": old.isoformat() if old else None,
                "sla_ruleset": 2,
                "sla_class": report.sla_class,
            }
        )
        at = now
        fields = canonical_fields(
            tracking_id=report.tracking_id,
            seq=seq,
            action="deadline_recomputed",
            at=at,
            actor_id=None,
            actor_role="system",
            from_status=report.status,
            to_status=report.status,
            from_agency_id=None,
            to_agency_id=None,
            from_unit_id=None,
            to_unit_id=None,
            reason_code="",
            text=REASON,
            deadline=report.deadline,
            sla_step=report.deadline_step,
            is_internal=False,
            data=data,
            prev_hash=prev,
        )
        digest = compute_hash(fields)
        Event.objects.create(
            report=report,
            seq=seq,
            action="deadline_recomputed",
            at=at,
            actor=None,
            actor_role="system",
            from_status=report.status,
            to_status=report.status,
            text=REASON,
            deadline=report.deadline,
            sla_step=report.deadline_step,
            data=data,
            prev_hash=prev,
            hash=digest,
        )
        for clock in running:
            clock.start_seq = seq
            clock.met_seq = seq if clock.met_at else None
        Clock.objects.bulk_create(running)
        report.last_event_hash = digest
        report.save(
            update_fields=[
                "deadline",
                "deadline_step",
                "received_at",
                "last_event_hash",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_regulation_clocks_schema"),
        ("deadlines", "0005_ladder_v2"),
    ]

    operations = [
        migrations.RunPython(seed_archive_reasons, migrations.RunPython.noop),
        migrations.RunPython(rename_classes, migrations.RunPython.noop),
        migrations.RunPython(rebuild_open_clocks, migrations.RunPython.noop),
    ]
