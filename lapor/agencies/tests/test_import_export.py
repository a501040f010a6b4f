"""registry_import / export: a good file upserts, a bad file imports nothing and says why."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lapor.agencies.models import Agency, Category, Unit
from lapor.agencies.services import registry_export, registry_import
from lapor.core.errors import ValidationFailed

from .factories import AgencyFactory, RegionFactory

pytestmark = pytest.mark.django_db

AGENCY_HEADER = "code,name,short_name,type,parent_code,region_code,is_connected,connected_on\n"


def _errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str, str]]:
    return [(e["line"], e["field"], e["message"]) for e in exc.value.errors or []]


def test_good_agency_file_creates_children_listed_before_parents():
    # given a file whose child comes before its parent
    RegionFactory.create(code="35", name="Jawa Timur", level=1, kind="provinsi")
    data = (
        AGENCY_HEADER + "dinas-x,Dinas X,DX,lembaga,kemen-x,,true,2024-01-02\n"
        "kemen-x,Kementerian X,KX,kementerian,,35,,\n"
    ).encode()
    # when
    result = registry_import(kind="agencies", data=data)
    # then
    assert (result.created, result.updated) == (2, 0)
    child = Agency.objects.select_related("parent").get(code="dinas-x")
    assert child.parent is not None and child.parent.code == "kemen-x"
    assert str(child.connected_on) == "2024-01-02"
    assert Agency.objects.get(code="kemen-x").region_id == "35"


def test_existing_code_is_updated_and_missing_columns_are_left_alone():
    # given an existing agency with contact data
    AgencyFactory.create(code="bkn", name="Lama", email="info@bkn.go.id", type="lembaga")
    # when a partial file renames it
    result = registry_import(
        kind="agencies", data=b"code,name,type\nbkn,Badan Kepegawaian,lembaga\n"
    )
    # then the row is updated and the column not in the file is kept
    assert (result.created, result.updated) == (0, 1)
    bkn = Agency.objects.get(code="bkn")
    assert bkn.name == "Badan Kepegawaian"
    assert bkn.email == "info@bkn.go.id"


@pytest.mark.parametrize(
    ("body", "line", "field", "needle"),
    [
        (AGENCY_HEADER + "a,A,,lembaga,nope,,,\n", "2", "parent_code", "induk tidak dikenal"),
        (
            AGENCY_HEADER + "a,A,,lembaga,,,,\nb,B,,lembaga,,,,\na,A2,,lembaga,,,,\n",
            "4",
            "code",
            "kode ganda 'a' (pertama di baris 2)",
        ),
        (AGENCY_HEADER + "a,A,,dinas,,,,\n", "2", "type", "jenis tidak dikenal: 'dinas'"),
        (AGENCY_HEADER + "a,A,,lembaga,,,,2024-13-01\n", "2", "connected_on", "bukan tanggal"),
        (AGENCY_HEADER + "a,A,,lembaga,,99.99,,\n", "2", "region_code", "wilayah tidak dikenal"),
        (AGENCY_HEADER + "a,A,,lembaga,,,maybe,\n", "2", "is_connected", "bukan nilai boolean"),
        (AGENCY_HEADER + "a,A,,lembaga,b,,,\nb,B,,lembaga,a,,,\n", "2", "parent_code", "siklus"),
        (AGENCY_HEADER + "Bad Code,A,,lembaga,,,,\n", "2", "code", "kode tidak valid"),
        (AGENCY_HEADER + "a,A,,lembaga\n", "2", "__all__", "4 kolom, baris judul memiliki 8"),
        ("code,name,kind\na,A,lembaga\n", "1", "__header__", "kolom tidak dikenal: kind"),
        ("code,name,kind\na,A,lembaga\n", "1", "__header__", "kolom wajib tidak ada: type"),
        ("", "1", "__all__", "berkas kosong"),
    ],
    ids=[
        "unknown-parent",
        "duplicate-code",
        "bad-type",
        "bad-date",
        "unknown-region",
        "bad-bool",
        "siklus",
        "bad-code",
        "short-row",
        "unknown-column",
        "missing-column",
        "empty",
    ],
)
def test_bad_agency_file_is_refused_whole(body, line, field, needle):
    # given one good row before the bad part, so a partial import would show
    data = body.encode()
    if body.startswith(AGENCY_HEADER):
        data = (AGENCY_HEADER + "good,Good,,lembaga,,,,\n" + body[len(AGENCY_HEADER) :]).encode()
        line = str(int(line) + 1) if line != "1" else line
        needle = needle.replace("pertama di baris 2", "pertama di baris 3")
    # when
    with pytest.raises(ValidationFailed) as exc:
        registry_import(kind="agencies", data=data)
    # then nothing was imported and the error names the line and the reason
    assert not Agency.objects.exists()
    assert any(
        e_line == line and e_field == field and needle in message
        for e_line, e_field, message in _errors(exc)
    ), _errors(exc)


def test_invalid_utf8_is_refused_with_its_line():
    # given a Latin-1 file (é as a single byte) on line 3
    data = (AGENCY_HEADER + "a,A,,lembaga,,,,\n").encode() + b"b,Caf\xe9,,lembaga,,,,\n"
    # when
    with pytest.raises(ValidationFailed) as exc:
        registry_import(kind="agencies", data=data)
    # then
    assert not Agency.objects.exists()
    assert _errors(exc)[0][0] == "3"
    assert "bukan UTF-8" in _errors(exc)[0][2]


def test_every_bad_line_is_reported_at_once():
    # given two different problems on two lines
    data = (AGENCY_HEADER + "a,A,,dinas,,,,\nb,B,,lembaga,zzz,,,\n").encode()
    # when
    with pytest.raises(ValidationFailed) as exc:
        registry_import(kind="agencies", data=data)
    # then both are listed
    assert {(e[0], e[1]) for e in _errors(exc)} == {("2", "type"), ("3", "parent_code")}


def test_units_import_builds_paths_and_checks_the_agency():
    # given an agency
    AgencyFactory.create(code="35.78", type="kota")
    data = (
        b"agency_code,code,name,parent_code,is_active\n"
        b"35.78,sby-kel-a,Kelurahan A,sby-kec-a,true\n"
        b"35.78,sby-kec-a,Kecamatan A,,\n"
    )
    # when
    result = registry_import(kind="units", data=data)
    # then
    assert result.created == 2
    assert Unit.objects.get(code="sby-kel-a").path == "sby-kec-a/sby-kel-a/"
    # and a unit of an unknown agency, or with a parent in another agency, is refused
    AgencyFactory.create(code="other")
    bad = b"agency_code,code,name,parent_code\nnope,u1,U1,\nother,u2,U2,sby-kec-a\n"
    with pytest.raises(ValidationFailed) as exc:
        registry_import(kind="units", data=bad)
    assert {(e[0], e[1]) for e in _errors(exc)} == {("2", "agency_code"), ("3", "parent_code")}
    assert Unit.objects.count() == 2


def test_moving_a_unit_rewrites_the_paths_below_it():
    # given kecamatan A with a kelurahan, and kecamatan B
    AgencyFactory.create(code="35.78", type="kota")
    registry_import(
        kind="units",
        data=(
            b"agency_code,code,name,parent_code\n"
            b"35.78,kec-a,A,\n35.78,kec-b,B,\n35.78,kel,Kel,kec-a\n35.78,rt,RT,kel\n"
        ),
    )
    # when the kelurahan moves under B
    result = registry_import(
        kind="units", data=b"agency_code,code,name,parent_code\n35.78,kel,Kel,kec-b\n"
    )
    # then its subtree follows
    assert result.updated == 1
    assert Unit.objects.get(code="rt").path == "kec-b/kel/rt/"


def test_categories_import_dates_and_agency():
    # given
    AgencyFactory.create(code="35.78", type="kota")
    data = (
        b"code,name_id,name_en,parent_code,agency_code,sort_order,valid_from,valid_to\n"
        b"infra,Infrastruktur,Infrastructure,,,1,,\n"
        b"sby-1,PJU,,infra,35.78,2,2020-01-01,2024-12-31\n"
    )
    # when
    registry_import(kind="categories", data=data)
    # then
    pju = Category.objects.select_related("parent", "agency").get(code="sby-1")
    assert pju.parent is not None and pju.parent.code == "infra"
    assert pju.agency is not None and pju.agency.code == "35.78"
    assert str(pju.valid_to) == "2024-12-31"
    # and an end before the start, a bad sort order or an unknown agency are refused
    bad = (
        b"code,name_id,agency_code,sort_order,valid_from,valid_to\n"
        b"x,X,,1,2024-01-02,2024-01-01\ny,Y,,-3,,\nz,Z,nope,,,\n"
    )
    with pytest.raises(ValidationFailed) as exc:
        registry_import(kind="categories", data=bad)
    assert {(e[0], e[1]) for e in _errors(exc)} == {
        ("2", "valid_to"),
        ("3", "sort_order"),
        ("4", "agency_code"),
    }
    assert Category.objects.count() == 2


def test_export_then_import_round_trips():
    # given a small registry
    RegionFactory.create(code="35", name="Jawa Timur", level=1, kind="provinsi")
    registry_import(
        kind="agencies",
        data=(
            AGENCY_HEADER + 'prov,"Pemerintah, Provinsi",P,provinsi,,35,true,2020-02-03\n'
            "kota,Kota,K,kota,prov,,false,\n"
        ).encode(),
    )
    registry_import(
        kind="units",
        data=b"agency_code,code,name,parent_code,is_active\nkota,a,A,,true\nkota,b,B,a,false\n",
    )
    registry_import(
        kind="categories",
        data=b"code,name_id,name_en,parent_code,valid_from\nt,T,Topic,,\nt.c,C,Child,t,2021-01-01\n",
    )
    exported = {}
    for kind in ("agencies", "units", "categories"):
        out = io.StringIO()
        registry_export(kind=kind, out=out)
        exported[kind] = out.getvalue()
    # when the data drifts and the export is imported back
    Agency.objects.filter(code="kota").update(name="Drifted", is_connected=True)
    Unit.objects.filter(code="b").update(name="Drifted")
    Category.objects.filter(code="t.c").update(name_en="Drifted")
    results = [registry_import(kind=k, data=v.encode()) for k, v in exported.items()]
    # then each kind is restored, and a second export is identical
    assert [r.updated for r in results] == [1, 1, 1]
    for kind, text in exported.items():
        out = io.StringIO()
        registry_export(kind=kind, out=out)
        assert out.getvalue() == text
    assert '"Pemerintah, Provinsi"' in exported["agencies"]


def test_import_command_reports_lines_and_exits_non_zero(tmp_path):
    # given a bad file
    path = tmp_path / "agencies.csv"
    path.write_bytes((AGENCY_HEADER + "a,A,,dinas,,,,\n").encode())
    # when / then
    with pytest.raises(CommandError) as exc:
        call_command("import_registry", "--kind", "agencies", str(path))
    assert "baris 2: type: jenis tidak dikenal: 'dinas'" in str(exc.value)
    assert "tidak ada yang diimpor" in str(exc.value)
    assert not Agency.objects.exists()


def test_import_and_export_commands_on_files(tmp_path, capsys):
    # given a good file
    path = tmp_path / "agencies.csv"
    path.write_bytes((AGENCY_HEADER + "a,A,,lembaga,,,,\n").encode())
    # when
    call_command("import_registry", "--kind", "agencies", str(path))
    out_path = tmp_path / "out.csv"
    call_command("export_registry", "--kind", "agencies", str(out_path))
    call_command("export_registry", "--kind", "agencies", "-")
    # then
    assert "1 created" in capsys.readouterr().out
    text = out_path.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("code,name,short_name,type,parent_code,region_code")
    assert text.splitlines()[1].startswith("a,A,,lembaga,")
    with pytest.raises(CommandError):
        call_command("import_registry", "--kind", "agencies", str(tmp_path / "missing.csv"))
