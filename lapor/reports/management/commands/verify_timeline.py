"""`manage.py verify_timeline [--report TRACKING_ID]`: recompute every report's hash chain.

Prints each edited, inserted or deleted event found and exits with status 1 when there is any.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.reports.events import timeline_verify
from lapor.reports.models import Event, Report


class Command(BaseCommand):
    help = "Verify the hash chains of report timelines (edited, inserted or deleted events)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--report", help="tracking ID (or id) of one report")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        reports = Report.objects.order_by("pk")
        if options["report"]:
            ref = str(options["report"])
            reports = reports.filter(tracking_id=ref) | (
                reports.filter(pk=int(ref)) if ref.isdigit() else reports.none()
            )
            if not reports.exists():
                raise CommandError(f"no report {ref}")
        findings = 0
        checked = 0
        batch: list[Report] = []

        def flush() -> None:
            nonlocal findings, checked
            by_report: dict[int, list[Event]] = {r.pk: [] for r in batch}
            for event in Event.objects.filter(report_id__in=list(by_report)).order_by(
                "report_id", "seq"
            ):
                by_report[event.report_id].append(event)
            for report in batch:
                for finding in timeline_verify(report, by_report[report.pk]):
                    findings += 1
                    where = f"#{finding.seq}" if finding.seq is not None else "(head)"
                    self.stdout.write(
                        f"{finding.tracking_id} {where} {finding.problem}: {finding.detail}"
                    )
                checked += 1
            batch.clear()

        for report in reports.iterator(chunk_size=options["batch"]):
            batch.append(report)
            if len(batch) >= options["batch"]:
                flush()
        flush()
        if findings:
            self.stderr.write(f"{findings} problem(s) in {checked} timeline(s).")
            raise SystemExit(1)
        self.stdout.write(f"{checked} timeline(s) intact.")
