"""Rebuild the analytics aggregate tables from the report events for a range of days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lapor.agencies.models import Agency
from lapor.analytics.services import daily_stats_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild DailyAgencyStat/MonthlyAgencyStat from the events of the local days FROM..TO "
        "(default: the last 7 days), for one organisation or all. Idempotent."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="day_from", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="day_to", help="last day, YYYY-MM-DD (default today)")
        parser.add_argument("--agency", help="organisation code (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day_to = date.fromisoformat(options["day_to"]) if options["day_to"] else None
            day_from = date.fromisoformat(options["day_from"]) if options["day_from"] else None
        except ValueError as exc:
            raise CommandError(f"bad date: {exc}") from exc
        day_to = day_to or timezone.localdate()
        day_from = day_from or day_to - timedelta(days=7)
        if day_from > day_to:
            raise CommandError("--from is after --to")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"unknown organisation {options['agency']}")
        rows = daily_stats_rebuild(day_from=day_from, day_to=day_to, agency=agency)
        self.stdout.write(f"{rows} daily rows rebuilt for {day_from}..{day_to}")
