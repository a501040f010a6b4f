"""`manage.py import_history --csv FILE [--source NAME]`: load reports of an earlier system.

See `lapor.reports.history` for the columns and the rules (validated first, all-or-nothing,
existing tracking IDs skipped so reruns create nothing twice).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.reports.history import COLUMNS, HistoryImportError, history_import_csv


class Command(BaseCommand):
    help = (
        "Import reports of an earlier system with their milestones from a CSV with the columns: "
        + ", ".join(COLUMNS)
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", required=True, type=Path, help="the CSV file (UTF-8)")
        parser.add_argument(
            "--source",
            default="",
            help="name of the earlier system, stored on each report (default: the file's name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        source = (options["source"] or path.stem)[:64]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.perf_counter()
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                result = history_import_csv(stream=stream, source=source)
        except HistoryImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}:{error.line}: {error.message}")
            raise CommandError(
                f"{len(exc.errors)} error(s) in {path}; nothing was imported."
            ) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} report(s) with {result.events} event(s) from {path} "
                f"(source {source!r}); skipped {result.skipped} already present; "
                f"{elapsed:.1f} s."
            )
        )
