"""Load the Kemendagri regions shipped in lapor/agencies/data/regions.csv.gz (idempotent)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.agencies.package_data import REGIONS_FILE, read_rows
from lapor.agencies.services import region_load


class Command(BaseCommand):
    help = "Load (upsert) the Kemendagri region tree from the package data; rerunning is safe."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", default=str(REGIONS_FILE), help="CSV or CSV.gz to load")
        parser.add_argument(
            "--max-level",
            type=int,
            choices=[1, 2, 3, 4],
            default=None,
            help="load only down to this level (1 provinces, 2 regencies/cities, 3 districts)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        started = time.monotonic()
        result = region_load(rows=read_rows(path), max_level=options["max_level"])
        self.stdout.write(
            f"regions: {result.rows} rows — {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged ({time.monotonic() - started:.1f} s)"
        )
