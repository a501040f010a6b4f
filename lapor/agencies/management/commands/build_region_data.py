"""Rebuild `lapor/agencies/data/regions.csv.gz` from the Kemendagri 2025 region list.

Source: `wilayah.csv` converted from cahyadsn/wilayah (MIT), 91,599 rows with the columns
`kode,kode_tanpa_titik,nama,tingkat,jenis,kode_induk`. The package file keeps
`code,name,level,kind,parent_code`, sorted by level then code (parents before children), and is
written with a fixed gzip mtime so a rebuild from the same source is byte-identical.

    DEBUG=1 .venv/bin/python manage.py build_region_data \
        --source ../shared/data/real/wilayah-kemendagri-2025/wilayah.csv
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.agencies.package_data import REGION_COLUMNS, REGIONS_FILE


class Command(BaseCommand):
    help = "Build the region package data (regions.csv.gz) from the Kemendagri wilayah.csv."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--source", required=True, help="path of wilayah.csv")
        parser.add_argument("--output", default=str(REGIONS_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        if not source.exists():
            raise CommandError(f"{source} does not exist")
        with open(source, encoding="utf-8", newline="") as handle:
            rows = [
                (r["kode"], r["nama"].strip(), int(r["tingkat"]), r["jenis"], r["kode_induk"])
                for r in csv.DictReader(handle)
            ]
        codes = {r[0] for r in rows}
        missing = [r[0] for r in rows if r[4] and r[4] not in codes]
        if missing:
            raise CommandError(f"parents missing for {len(missing)} codes, e.g. {missing[:5]}")
        rows.sort(key=lambda r: (r[2], r[0]))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(REGION_COLUMNS)
        writer.writerows(rows)
        output = Path(options["output"])
        with (
            open(output, "wb") as raw,
            gzip.GzipFile(
                filename="regions.csv", mode="wb", fileobj=raw, compresslevel=9, mtime=0
            ) as gz,
        ):
            gz.write(buffer.getvalue().encode("utf-8"))
        self.stdout.write(f"wrote {len(rows)} regions to {output} ({output.stat().st_size} bytes)")
