"""Export agencies, units or categories as CSV (the import format)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lapor.agencies.services import KINDS, registry_export


class Command(BaseCommand):
    help = "Export the registry as UTF-8 CSV in the format import_registry reads."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("file", nargs="?", default="-", help="output file, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] == "-":
            registry_export(kind=options["kind"], out=self.stdout)
            return
        with open(options["file"], "w", encoding="utf-8", newline="") as out:
            count = registry_export(kind=options["kind"], out=out)
        self.stderr.write(f"{count} {options['kind']} written to {options['file']}")
