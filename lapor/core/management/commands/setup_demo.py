"""`make run`'s preparation: migrate, then load reference and demo data into an empty database."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply migrations and load the registry and demo data if the database is empty."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        from lapor.agencies.models import Agency, Region

        if not Region.objects.exists():
            self.stdout.write("Loading Kemendagri regions …")
            call_command("load_regions")
        if not Agency.objects.exists():
            self.stdout.write("Loading the organisation registry and categories …")
            call_command("seed_registry")
            call_command("seed_reply_templates")
        if settings.LAPOR["CREATE_DEMO_ACCOUNTS"]:
            call_command("create_demo_accounts")
            from lapor.reports.models import Report

            if not Report.objects.exists():
                self.stdout.write("Loading demo reports …")
                call_command("seed_demo_reports")
        self.stdout.write(self.style.SUCCESS("Database ready."))
