"""Downloads of what an officer sees: CSV (UTF-8 with BOM, for spreadsheet programs) and XLSX.

`columns` is a list of ``(key, header)``: the key picks the value from each row (a mapping), the
header is the column title (already translated by the caller).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

Columns = Sequence[tuple[str, str]]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str) -> str:
    """Neutralise spreadsheet formula injection in text cells."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, int | float | date):
        return value
    return _safe_text(str(value))


def export_rows_csv(rows: Iterable[Mapping[str, Any]], columns: Columns) -> bytes:
    """CSV bytes (UTF-8 with BOM, comma-separated, a header line)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([header for _key, header in columns])
    for row in rows:
        out = []
        for key, _header in columns:
            value = _cell(row.get(key))
            out.append(value.isoformat() if isinstance(value, date | datetime) else value)
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_rows_xlsx(
    rows: Iterable[Mapping[str, Any]], columns: Columns, sheet_title: str
) -> bytes:
    """An XLSX workbook with one sheet (openpyxl write-only mode: constant memory)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=(sheet_title or "Data")[:31])
    ws.append([header for _key, header in columns])
    for row in rows:
        ws.append([_cell(row.get(key)) for key, _header in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
