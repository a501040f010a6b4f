"""`manage.py seed_demo_reports`: demo reports filed and handled through the real services."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.accounts.services import demo_accounts_ensure
from lapor.agencies.models import Agency, Unit
from lapor.agencies.package_data import SURABAYA_UNITS_FILE, read_rows
from lapor.agencies.tests.factories import (
    AgencyFactory,
    CategoryFactory,
    RegionFactory,
    UnitFactory,
)
from lapor.reports.demo import (
    DEMO_SOURCE,
    FALLBACK_FILE,
    REPORTER_EMAIL,
    DemoResult,
    complaints_read,
    default_source,
    demo_reports_seed,
    derive_title,
    district_code_for,
    guess_type,
)
from lapor.reports.events import timeline_verify
from lapor.reports.models import Event, Report

JKT = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=JKT)
DISTRICTS = {
    "35.78.06": "Sawahan",
    "35.78.08": "Gubeng",
    "35.78.10": "Tambaksari",
    "35.78.12": "Pabean Cantian",
    "35.78.28": "Asem Rowo",
}


def _unit(city: Agency, code: str, rows: dict[str, dict[str, str]]) -> Unit:
    found = Unit.objects.filter(agency=city, code=code).first()
    if found is not None:
        return found
    row = rows[code]
    parent = _unit(city, row["parent_code"], rows) if row["parent_code"] else None
    return UnitFactory(agency=city, code=code, name=row["name"], parent=parent)


@pytest.fixture
def demo_registry(db):
    """Kota Surabaya with the units and topics the bundled sample uses, a few districts, the
    organisations reports get forwarded to, and the demo accounts."""
    # given
    province = RegionFactory(code="35", name="Jawa Timur", level=1, kind="provinsi")
    RegionFactory(code="35.78", name="Kota Surabaya", level=2, kind="kota", parent=province)
    for code, name in DISTRICTS.items():
        RegionFactory(code=code, name=name, level=3, kind="kecamatan", parent_id="35.78")
    city = AgencyFactory(code="35.78", name="Pemerintah Kota Surabaya", type="kota")
    for code in ("35", "pdam-surya-sembada", "pln"):
        AgencyFactory(code=code)
    sample = json.loads(FALLBACK_FILE.read_text(encoding="utf-8"))
    units = {r["code"]: r for r in read_rows(SURABAYA_UNITS_FILE)}
    by_source = {int(r["source_id"]): r["code"] for r in units.values()}
    for code in {by_source[int(row["instansi_id"])] for row in sample} | {"sby-dsdabm"}:
        _unit(city, code, units)
    for topic in {row["topik_id"] for row in sample}:
        CategoryFactory(code=f"sby-{topic}", agency=city)
    demo_accounts_ensure(password="demo-password-for-tests")
    return city


def _seed(count: int = 30) -> DemoResult:
    return demo_reports_seed(count=count, source=FALLBACK_FILE, now=NOW)


@pytest.mark.django_db
def test_seeding_gives_a_varied_demo_with_intact_timelines(demo_registry):
    # when
    result = _seed(30)

    # then
    assert result.failures == []
    reports = list(Report.objects.filter(import_source=DEMO_SOURCE))
    assert len(reports) == 30
    statuses = Counter(r.status for r in reports)
    assert {"submitted", "closed"} <= set(statuses)
    assert len(statuses) >= 5, statuses
    assert any(r.status in ("disposed", "in_progress") for r in reports)
    for report in reports:
        assert timeline_verify(report) == []
        assert report.submitted_at <= NOW
    assert not Event.objects.filter(at__gt=NOW).exists()
    assert any(r.is_confidential for r in reports)
    assert any(r.is_anonymous for r in reports)
    assert any(r.reporter and r.reporter.email == REPORTER_EMAIL for r in reports)
    assert any(r.reporter_id is None and r.reporter_key_hash for r in reports)
    roles = set(Event.objects.values_list("actor_role", flat=True))
    assert {"reporter", "national_admin", "agency_admin"} <= roles
    assert roles & {"unit_admin", "liaison_officer"}
    assert Event.objects.filter(action="respond").exclude(text="").exists()
    assert all(10 <= len(r.title) <= 150 for r in reports)


@pytest.mark.django_db
def test_regions_follow_the_kecamatan_names(demo_registry):
    # when
    _seed(37)

    # then: districts by name (Kemendagri spells some differently), else the city
    regions = dict(Report.objects.values_list("address", "region_id"))
    assert regions["Kel. Petemon, Kec. Sawahan, Kota Surabaya"] == "35.78.06"
    assert regions["Kel. Nyamplungan, Kec. Pabean Cantikan, Kota Surabaya"] == "35.78.12"
    assert regions["Kel. Genting Kalianak, Kec. Asemrowo, Kota Surabaya"] == "35.78.28"
    assert regions["Kel. Wiyung, Kec. Wiyung, Kota Surabaya"] == "35.78"


@pytest.mark.django_db
def test_the_same_complaint_twice_is_archived_as_a_duplicate(demo_registry):
    # when: the whole sample, which holds one complaint sent twice
    _seed(37)

    # then
    duplicate = Report.objects.get(archive_reason="duplicate")
    assert duplicate.duplicate_of is not None
    assert duplicate.duplicate_of.content == duplicate.content
    assert duplicate.duplicate_of.submitted_at < duplicate.submitted_at


@pytest.mark.django_db
def test_a_rerun_creates_nothing(demo_registry):
    # given
    call_command("seed_demo_reports", "--count", "12", "--source", str(FALLBACK_FILE))
    reports, events = Report.objects.count(), Event.objects.count()
    assert reports == 12

    # when
    out = io.StringIO()
    call_command("seed_demo_reports", "--source", str(FALLBACK_FILE), stdout=out)

    # then
    assert "nothing to do" in out.getvalue()
    assert (Report.objects.count(), Event.objects.count()) == (reports, events)


@pytest.mark.django_db
def test_the_verify_timeline_command_accepts_the_demo(demo_registry):
    # given
    _seed(15)
    out = io.StringIO()

    # when
    call_command("verify_timeline", stdout=out)

    # then
    assert "15 timeline(s) intact" in out.getvalue()


@pytest.mark.django_db
def test_without_demo_accounts_the_command_explains_what_is_missing():
    # given
    AgencyFactory(code="35.78")

    # when / then
    with pytest.raises(CommandError, match="create_demo_accounts"):
        call_command("seed_demo_reports", "--count", "3", "--source", str(FALLBACK_FILE))
    assert not Report.objects.exists()


def test_the_fallback_sample_is_usable_as_a_source():
    # when
    complaints = complaints_read(FALLBACK_FILE)

    # then
    assert 30 <= len(complaints) <= 40
    assert all(30 <= len(c.text) <= 10_000 for c in complaints)
    assert all(c.unit_source_id is not None and c.kecamatan for c in complaints)


def test_rows_whose_text_does_not_fit_are_left_out(tmp_path: Path):
    # given
    path = tmp_path / "complaints.csv"
    path.write_text(
        "id,tanggal_keluhan,tanggal_ditanggapi,keluhan,topik_id,instansi_id,kecamatan,kelurahan\n"
        "1,2023-01-01T01:00:00,,lampu pju padam,2304,18,Tandes,Tandes\n"
        '2,2023-01-01T02:00:00,2023-01-01T05:00:00,"Lampu PJU di gang 3 padam sudah seminggu, '
        'mohon diperbaiki",2304,18,Tandes,Tandes\n'
        f'3,2023-01-01T03:00:00,,"{"x" * 10_001}",2304,18,Tandes,Tandes\n',
        encoding="utf-8",
    )

    # when
    complaints = complaints_read(path)

    # then: the timestamps are UTC
    assert [c.source_id for c in complaints] == ["2"]
    assert complaints[0].response_delay is not None
    assert complaints[0].response_delay.total_seconds() == 3 * 3600


def test_the_real_data_is_used_only_when_it_is_next_to_the_repository(settings, tmp_path):
    # given: a checkout without shared/ beside it
    settings.BASE_DIR = tmp_path / "repo"

    # when / then
    assert default_source() == FALLBACK_FILE

    # given: the shared data beside it
    real = tmp_path / "shared" / "data" / "real" / "surabaya-mediacenter-complaints"
    real.mkdir(parents=True)
    (real / "complaints.csv").write_text("id\n", encoding="utf-8")

    # when / then
    assert default_source() == real / "complaints.csv"


def test_titles_come_from_the_first_words_without_the_greeting():
    # when
    title = derive_title(
        "Assalamualaikum wr wb, selamat pagi. Lampu PJU di Jl. Kalijudan gang 7 sudah padam "
        "tiga malam berturut-turut, jalannya jadi gelap sekali dan rawan jambret."
    )

    # then
    assert title.startswith("Lampu PJU di Jl. Kalijudan")
    assert title.endswith("…")
    assert len(title) <= 82
    assert derive_title("lampu pju padam total") == "Lampu pju padam total"
    assert derive_title("pju mati!", "PJU") == "PJU: Pju mati!"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=30, max_size=600).filter(lambda s: len(s.strip()) >= 30))
def test_a_title_always_fits_the_submission_rules(text: str):
    # when
    title = derive_title(text.strip(), "Topik")

    # then
    assert 10 <= len(title.strip()) <= 150


def test_types_and_district_names():
    # then
    assert guess_type("Apakah pembayaran PBB bisa diangsur?") == "permintaan_informasi"
    assert guess_type("Saran saya taman ini diberi lampu", "Taman") == "aspirasi"
    assert guess_type("Lampu jalan padam sejak kemarin", "PJU") == "pengaduan"
    codes = {"pabeancantian": "35.78.12", "asemrowo": "35.78.28"}
    assert district_code_for("Pabean Cantikan", codes, "35.78") == "35.78.12"
    assert district_code_for("Asemrowo", codes, "35.78") == "35.78.28"
    assert district_code_for("sememi", codes, "35.78") == "35.78"
