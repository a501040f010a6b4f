"""`manage.py import_history`: validation by line, all-or-nothing, reruns, events and hash chain."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from lapor.agencies.tests.factories import (
    AgencyFactory,
    CategoryFactory,
    RegionFactory,
    UnitFactory,
)
from lapor.reports.events import timeline_verify
from lapor.reports.history import COLUMNS, HistoryImportError, history_import
from lapor.reports.models import Event, Report

pytestmark = pytest.mark.django_db

JKT = ZoneInfo("Asia/Jakarta")
REAL = Path("/work/shared/data/real")
if not REAL.exists():  # CI lays shared/ beside the clone
    REAL = Path(__file__).resolve().parents[4] / "shared" / "data" / "real"


@pytest.fixture
def registry():
    agency = AgencyFactory(code="35.78", name="Pemerintah Kota Surabaya")
    return {
        "agency": agency,
        "unit": UnitFactory(agency=agency, code="dishub"),
        "category": CategoryFactory(code="infrastruktur"),
        "region": RegionFactory(code="35.78", name="Kota Surabaya"),
    }


def _row(**overrides) -> dict[str, str]:
    row = {
        "tracking_id": "914423",
        "type": "pengaduan",
        "title": "Lampu PJU padam di Jalan Tandes",
        "content": "Lampu penerangan jalan umum padam sudah seminggu, mohon segera diperbaiki.",
        "agency": "35.78",
        "unit": "dishub",
        "category": "infrastruktur",
        "region": "35.78",
        "channel": "web",
        "is_anonymous": "false",
        "is_confidential": "0",
        "submitted_at": "2022-01-01T11:37:00",
        "verified_at": "2022-01-02T08:00:00",
        "first_response_at": "2022-01-05T01:03:41",
        "closed_at": "2022-01-20T09:00:00+07:00",
        "archived_at": "",
        "rating": "4",
        "sla_class": "simple",
    }
    row.update(overrides)
    return row


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_closed_report_gets_its_milestones_as_a_valid_chain(registry, tmp_path):
    # given
    path = _write_csv(tmp_path / "lama.csv", [_row()])
    out = io.StringIO()
    # when
    call_command("import_history", "--csv", str(path), "--source", "lapor-lama", stdout=out)
    # then
    report = Report.objects.get(tracking_id="914423")
    assert report.status == "closed"
    assert report.import_source == "lapor-lama"
    assert report.agency == registry["agency"]
    assert report.unit == registry["unit"]
    assert report.category == registry["category"]
    assert report.region == registry["region"]
    assert report.rating == 4
    assert report.submitted_at == datetime(2022, 1, 1, 11, 37, tzinfo=JKT)
    assert report.first_response_at == datetime(2022, 1, 5, 1, 3, 41, tzinfo=JKT)
    events = list(report.events.order_by("seq"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("submit", "", "submitted"),
        ("verify", "submitted", "disposed"),
        ("respond", "disposed", "responded"),
        ("close", "responded", "closed"),
        ("rate", "closed", "closed"),
    ]
    assert all(e.actor_id is None and e.actor_role == "system" for e in events)
    assert all(e.data["imported"] is True and e.data["source"] == "lapor-lama" for e in events)
    assert events[-1].data["score"] == 4
    assert events[1].to_agency == registry["agency"]
    assert events[1].to_unit == registry["unit"]
    assert timeline_verify(report) == []
    assert "Imported 1 report(s) with 5 event(s)" in out.getvalue()


@pytest.mark.parametrize(
    ("milestones", "status", "actions"),
    [
        ({}, "submitted", ["submit"]),
        ({"verified_at": "2022-01-02T08:00:00"}, "disposed", ["submit", "verify"]),
        (
            {"verified_at": "2022-01-02T08:00:00", "first_response_at": "2022-01-03T08:00:00"},
            "responded",
            ["submit", "verify", "respond"],
        ),
        ({"archived_at": "2022-01-02T08:00:00"}, "archived", ["submit", "archive"]),
    ],
)
def test_status_is_derived_from_the_milestones(registry, milestones, status, actions):
    # given
    empty = dict.fromkeys(
        ("verified_at", "first_response_at", "closed_at", "archived_at", "rating"), ""
    )
    # when
    history_import(rows=[_row(**{**empty, **milestones})], source="t")
    # then
    report = Report.objects.get()
    assert report.status == status
    assert list(report.events.order_by("seq").values_list("action", flat=True)) == actions
    assert timeline_verify(report) == []


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(registry, tmp_path):
    # given: one good row and many bad ones
    rows = [
        _row(tracking_id="A1"),
        _row(tracking_id="A2", agency="tidak-ada", unit=""),
        _row(tracking_id="A3", unit="tidak-ada"),
        _row(tracking_id="A4", category="x", region="99.99"),
        _row(tracking_id="A5", submitted_at="kemarin"),
        _row(tracking_id="A6", verified_at="2021-12-31T00:00:00"),
        _row(tracking_id="A7", type="keluhan", channel="fax"),
        _row(tracking_id="A8", rating="6"),
        _row(tracking_id="A1"),
        _row(tracking_id="A9", archived_at="2022-01-21T00:00:00"),
        _row(tracking_id="A10", is_anonymous="mungkin", sla_class="urgent"),
    ]
    path = _write_csv(tmp_path / "buruk.csv", rows)
    err = io.StringIO()
    # when
    with pytest.raises(CommandError) as caught:
        call_command("import_history", "--csv", str(path), stderr=err)
    # then
    assert Report.objects.count() == 0
    assert Event.objects.count() == 0
    lines = err.getvalue().splitlines()
    bad_lines = sorted({int(line.split(":")[1]) for line in lines})
    assert bad_lines == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    text = err.getvalue()
    for fragment in (
        "kode instansi tidak dikenal: 'tidak-ada'",
        "kode unit tidak dikenal",
        "kode kategori tidak dikenal",
        "kode wilayah tidak dikenal",
        "submitted_at bukan tanggal",
        "verified_at sebelum submitted_at",
        "type tidak dikenal",
        "channel tidak dikenal",
        "rating harus 1 sampai 5",
        "sudah ada di baris 2",
        "closed_at dan archived_at",
        "is_anonymous bukan true/false",
        "sla_class tidak dikenal",
    ):
        assert fragment in text
    assert "nothing was imported" in str(caught.value)


def test_line_numbers_follow_multi_line_cells(registry, tmp_path):
    # given: the first row's content spans three lines
    rows = [
        _row(tracking_id="B1", content="baris satu\nbaris dua\nbaris tiga panjang sekali"),
        _row(tracking_id="B2", rating="0"),
    ]
    path = _write_csv(tmp_path / "multi.csv", rows)
    err = io.StringIO()
    # when
    with pytest.raises(CommandError):
        call_command("import_history", "--csv", str(path), stderr=err)
    # then
    assert err.getvalue().startswith(f"{path}:5: rating harus")


def test_wrong_columns_are_refused(tmp_path):
    # given
    path = tmp_path / "kolom.csv"
    path.write_text("tracking_id,judul\n1,x\n", encoding="utf-8")
    err = io.StringIO()
    # when
    with pytest.raises(CommandError):
        call_command("import_history", "--csv", str(path), stderr=err)
    # then
    assert ":1: kolom hilang: type" in err.getvalue()
    assert "kolom tak dikenal: judul" in err.getvalue()


def test_a_rerun_creates_nothing_twice(registry, tmp_path):
    # given
    path = _write_csv(tmp_path / "lama.csv", [_row(tracking_id="C1"), _row(tracking_id="C2")])
    call_command("import_history", "--csv", str(path), stdout=io.StringIO())
    bigger = _write_csv(
        tmp_path / "lebih.csv",
        [_row(tracking_id="C1"), _row(tracking_id="C2"), _row(tracking_id="C3")],
    )
    out = io.StringIO()
    # when
    call_command("import_history", "--csv", str(bigger), stdout=out)
    call_command("import_history", "--csv", str(bigger), stdout=io.StringIO())
    # then
    assert sorted(Report.objects.values_list("tracking_id", flat=True)) == ["C1", "C2", "C3"]
    assert Event.objects.count() == 15
    assert "Imported 1 report(s)" in out.getvalue()
    assert "skipped 2 already present" in out.getvalue()
    assert Report.objects.get(tracking_id="C1").import_source == "lama"


def test_import_is_bulk(registry, django_assert_max_num_queries):
    # given: 300 reports with 5 events and 4 clock rows each
    rows = [_row(tracking_id=f"D{i}") for i in range(300)]
    # when: a handful of look-ups plus batched inserts (SQLite caps the variables per statement,
    # so it needs a few dozen batches; PostgreSQL a handful) — never one query per row
    with django_assert_max_num_queries(100):
        result = history_import(rows=rows, source="t")
    # then
    assert result.created == 300
    assert result.events == 1500
    assert Event.objects.count() == 1500


def _surabaya_rows(limit: int) -> list[dict[str, str]]:
    path = REAL / "surabaya-mediacenter-complaints" / "complaints.csv"
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return [row for _, row in zip(range(limit), reader, strict=False)]


def test_real_surabaya_media_center_reports(tmp_path):
    # given: the first 200 real complaints of Surabaya's media center, in the import format,
    # with the city as agency, each office (instansi) as a unit and each topic as a category
    source_rows = _surabaya_rows(200)
    city = AgencyFactory(code="35.78", name="Pemerintah Kota Surabaya")
    RegionFactory(code="35.78", name="Kota Surabaya")
    for office in {(r["instansi_id"], r["instansi"]) for r in source_rows}:
        UnitFactory(agency=city, code=f"sby-{office[0]}", name=office[1])
    for topic in {(r["topik_id"], r["topik"]) for r in source_rows}:
        CategoryFactory(code=f"sby-topik-{topic[0]}", name_id=topic[1] or "Lain-lain")
    rows = [
        {
            "tracking_id": f"SBY-{r['id']}",
            "type": "pengaduan",
            "title": (r["keluhan"].split("\n")[0][:147] + "...")
            if len(r["keluhan"]) > 150
            else r["keluhan"].split("\n")[0] or r["topik"],
            "content": r["keluhan"],
            "agency": "35.78",
            "unit": f"sby-{r['instansi_id']}",
            "category": f"sby-topik-{r['topik_id']}",
            "region": "35.78",
            "channel": "social",
            "is_anonymous": "false",
            "is_confidential": "false",
            "submitted_at": r["tanggal_keluhan"],
            "verified_at": "",
            "first_response_at": r["tanggal_ditanggapi"],
            "closed_at": "",
            "archived_at": "",
            "rating": "",
            "sla_class": "",
        }
        for r in source_rows
    ]
    path = _write_csv(tmp_path / "surabaya.csv", rows)
    # when
    call_command("import_history", "--csv", str(path), "--source", "surabaya", stdout=io.StringIO())
    # then
    assert Report.objects.filter(import_source="surabaya").count() == 200
    answered = sum(1 for r in source_rows if r["tanggal_ditanggapi"])
    assert Report.objects.filter(status="responded").count() == answered
    assert Report.objects.filter(status="submitted").count() == 200 - answered
    assert Event.objects.filter(action="respond").count() == answered
    sample = Report.objects.get(tracking_id=f"SBY-{source_rows[0]['id']}")
    assert sample.content == source_rows[0]["keluhan"].strip()
    assert sample.unit is not None and sample.unit.name == source_rows[0]["instansi"]
    broken = [r.tracking_id for r in Report.objects.all() if timeline_verify(r)]
    assert broken == []
    call_command("verify_timeline", stdout=io.StringIO())


def test_history_import_error_lists_rows(registry):
    # when
    with pytest.raises(HistoryImportError) as caught:
        history_import(rows=[_row(title=""), _row(tracking_id="E2", content=" ")], source="t")
    # then
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (2, "title kosong"),
        (3, "content kosong"),
    ]
