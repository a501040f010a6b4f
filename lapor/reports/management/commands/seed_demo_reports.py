"""`manage.py seed_demo_reports [--count N] [--source PATH] [--seed S]`: demo reports for `make run`.

Files real Surabaya complaints (or the bundled fallback) through the reports services and plays a
plausible history for each one (see `lapor.reports.demo`). Does nothing when demo reports exist.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.reports.demo import (
    DEFAULT_COUNT,
    DEFAULT_SEED,
    DemoSetupError,
    demo_reports_seed,
    iter_status_lines,
)


class Command(BaseCommand):
    help = (
        "Create demo reports with realistic histories (verification, disposition, responses, "
        "replies, ratings, closing …) from real Surabaya complaints when "
        "shared/data/real/surabaya-mediacenter-complaints is next to the repository, else from "
        "the bundled sample. Does nothing when demo reports already exist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="how many reports")
        parser.add_argument(
            "--source", help="a Media Center complaints.csv or a JSON list of the same fields"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        count = int(options["count"])
        if count < 1:
            raise CommandError("--count must be at least 1")
        source = Path(options["source"]) if options["source"] else None
        if source is not None and not source.exists():
            raise CommandError(f"{source} does not exist")
        started = time.monotonic()
        try:
            result = demo_reports_seed(count=count, source=source, seed=int(options["seed"]))
        except DemoSetupError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped_existing:
            self.stdout.write("Demo reports already exist: nothing to do.")
            return
        self.stdout.write(
            f"demo reports: {result.created} created with {result.actions} actions and "
            f"{result.supports} supports from {result.source} "
            f"({time.monotonic() - started:.1f} s)"
        )
        for line in iter_status_lines(result):
            self.stdout.write(line)
        for failure in result.failures[:20]:
            self.stderr.write(self.style.WARNING(f"refused: {failure}"))
        if len(result.failures) > 20:
            self.stderr.write(self.style.WARNING(f"… {len(result.failures) - 20} more refused"))
