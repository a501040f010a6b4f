"""Where the registry's package data lives and how to read it (no Django: plain csv and gzip).

The files under `lapor/agencies/data/` are built once from the sources named in
`docs/registry.md` (see the `build_region_data` and `build_surabaya_data` commands) and shipped
with the package, so a fresh clone needs nothing outside the repository.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA_DIR / "regions.csv.gz"
AGENCIES_CENTRAL_FILE = DATA_DIR / "agencies_central.csv"
CATEGORIES_FILE = DATA_DIR / "categories.csv"
SURABAYA_UNITS_FILE = DATA_DIR / "surabaya_units.csv"
SURABAYA_TOPICS_FILE = DATA_DIR / "surabaya_topics.csv"

REGION_COLUMNS = ("code", "name", "level", "kind", "parent_code")
SURABAYA_AGENCY_CODE = "35.78"


def open_text(path: Path) -> io.TextIOBase:
    """Open a UTF-8 CSV file, transparently un-gzipping `*.gz`."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    with open_text(path) as handle:
        yield from csv.DictReader(handle)


def _surabaya_units() -> dict[int, str]:
    return {int(r["source_id"]): r["code"] for r in read_rows(SURABAYA_UNITS_FILE)}


_UNIT_CODES: dict[int, str] | None = None


def surabaya_unit_code_for_source_id(source_id: int) -> str | None:
    """The unit code (under agency `35.78`) of a Media Center `instansi_id`, or None."""
    global _UNIT_CODES
    if _UNIT_CODES is None:
        _UNIT_CODES = _surabaya_units()
    return _UNIT_CODES.get(int(source_id))


def surabaya_category_code_for_topic_id(topic_id: int) -> str:
    """The category code of a Media Center `topik_id` (seeded as `sby-<id>`)."""
    return f"sby-{int(topic_id)}"
