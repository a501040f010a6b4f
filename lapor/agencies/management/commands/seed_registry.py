"""Seed the organisation registry and the category tree from the package data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lapor.agencies.models import Region
from lapor.agencies.services import format_errors, registry_seed
from lapor.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "Seed the 38 provinces and 514 regencies/cities, the central ministries and agencies, "
        "the national categories and Kota Surabaya's units and topics. Rerunning is safe."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Region.objects.filter(level=1).exists():
            self.stdout.write("No regions yet: loading them first …")
            call_command("load_regions", stdout=self.stdout)
        try:
            results = registry_seed()
        except ValidationFailed as exc:
            raise CommandError("\n".join([exc.detail, *format_errors(exc.errors or [])])) from exc
        for result in results:
            self.stdout.write(result.summary())
