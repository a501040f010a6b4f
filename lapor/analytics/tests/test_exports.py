"""CSV and XLSX downloads read back to what was given."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook

from lapor.analytics.exports import export_rows_csv, export_rows_xlsx

COLUMNS = [("unit", "Unit"), ("volume", "Volume"), ("share", "Tepat waktu"), ("month", "Bulan")]
ROWS = [
    {"unit": "Dinas PU", "volume": 12, "share": 0.75, "month": date(2026, 11, 1)},
    {"unit": '=HYPERLINK("x")', "volume": 0, "share": None, "month": date(2026, 10, 1)},
]


def test_csv_reads_back_with_a_header_and_neutralised_formulas():
    # when exported
    data = export_rows_csv(ROWS, COLUMNS)
    # then it is UTF-8 with a BOM and reads back row by row
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Unit", "Volume", "Tepat waktu", "Bulan"]
    assert rows[1] == ["Dinas PU", "12", "0.75", "2026-11-01"]
    # a text starting with "=" is kept as text, never a formula; None is empty
    assert rows[2][0] == '\'=HYPERLINK("x")' and rows[2][2] == ""


def test_xlsx_reads_back_with_typed_cells():
    # when exported
    data = export_rows_xlsx(ROWS, COLUMNS, "Dasbor instansi November 2026 (sangat panjang)")
    # then the workbook has one sheet (title cut to Excel's 31 characters) with the rows
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws.title == "Dasbor instansi November 2026 ("[:31]
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("Unit", "Volume", "Tepat waktu", "Bulan")
    assert values[1][:3] == ("Dinas PU", 12, 0.75)
    month = values[1][3]
    assert isinstance(month, datetime) and month.date() == date(2026, 11, 1)
    assert values[2][0] == '\'=HYPERLINK("x")'


def test_an_empty_export_still_has_its_header():
    rows = list(csv.reader(io.StringIO(export_rows_csv([], COLUMNS).decode("utf-8-sig"))))
    assert rows == [["Unit", "Volume", "Tepat waktu", "Bulan"]]
    wb = load_workbook(io.BytesIO(export_rows_xlsx(iter([]), COLUMNS, "")))
    assert list(wb.worksheets[0].iter_rows(values_only=True)) == [
        ("Unit", "Volume", "Tepat waktu", "Bulan")
    ]
