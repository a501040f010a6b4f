"""Import agencies, units or categories from a CSV file; a bad file imports nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.agencies.services import KINDS, format_errors, registry_import
from lapor.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "Import (upsert) the registry from CSV. The whole file is validated first; on any error "
        "nothing is imported and every bad line is reported. Formats: docs/registry.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("file", help="CSV file (UTF-8), or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{path} does not exist")
            data = path.read_bytes()
        try:
            result = registry_import(kind=options["kind"], data=data)
        except ValidationFailed as exc:
            lines = [exc.detail, *format_errors(exc.errors or [])]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
