"""seed_registry: the regional governments, central organisations, categories, Surabaya."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lapor.agencies.choices import AgencyType
from lapor.agencies.models import Agency, Category, Unit
from lapor.agencies.services import registry_seed
from lapor.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_seed_counts_and_names(seeded):
    # then every province and regency/city is an agency with its region and parent
    assert Agency.objects.filter(type=AgencyType.PROVINSI).count() == 38
    assert Agency.objects.filter(type__in=[AgencyType.KABUPATEN, AgencyType.KOTA]).count() == 514
    surabaya = Agency.objects.select_related("parent", "region").get(code="35.78")
    assert surabaya.name == "Pemerintah Kota Surabaya"
    assert surabaya.type == AgencyType.KOTA
    assert surabaya.parent is not None and surabaya.parent.code == "35"
    assert surabaya.parent.name == "Pemerintah Provinsi Jawa Timur"
    assert surabaya.region_id == "35.78"
    # the central organisations
    central = Agency.objects.exclude(
        type__in=[AgencyType.PROVINSI, AgencyType.KABUPATEN, AgencyType.KOTA]
    )
    assert central.count() >= 50
    pln = Agency.objects.select_related("parent").get(code="pln")
    assert pln.parent is not None and pln.parent.code == "kemen-bumn"
    # the national category tree
    top = Category.objects.filter(parent__isnull=True, agency__isnull=True)
    assert top.count() >= 20
    assert Category.objects.filter(parent__in=top).count() >= 40


def test_seed_surabaya_units_and_topics(seeded):
    # then the demo unit exists with its path, and kelurahan sit under their kecamatan
    assert Unit.objects.filter(agency__code="35.78").count() == 225
    dsdabm = Unit.objects.get(agency__code="35.78", code="sby-dsdabm")
    assert dsdabm.name == "Dinas Sumber Daya Air dan Bina Marga"
    assert dsdabm.path == "sby-dsdabm/"
    keputih = Unit.objects.get(agency__code="35.78", code="sby-kel-keputih")
    assert keputih.path == "sby-kec-sukolilo/sby-kel-keputih/"
    # topics belong to Surabaya and hang under national categories
    topics = Category.objects.filter(agency__code="35.78").select_related("parent")
    assert topics.count() == 433
    assert all(t.parent is not None and t.parent.agency_id is None for t in topics)
    pju = Category.objects.select_related("parent").get(code="sby-2304")
    assert pju.parent is not None and pju.parent.code == "infrastruktur.penerangan-jalan"


def test_seeding_twice_changes_nothing(seeded):
    # given the counts after the first seed
    before = (Agency.objects.count(), Unit.objects.count(), Category.objects.count())
    # when seeding again
    results = registry_seed()
    # then nothing is created or updated
    assert all(r.created == 0 and r.updated == 0 for r in results)
    assert (Agency.objects.count(), Unit.objects.count(), Category.objects.count()) == before


def test_seed_without_regions_is_refused(db):
    # when / then
    with pytest.raises(ValidationFailed):
        registry_seed()
    assert not Agency.objects.exists()


def test_seed_command_prints_a_summary(seeded, capsys):
    # when the command runs on an already seeded database
    call_command("seed_registry")
    # then
    out = capsys.readouterr().out
    assert "agencies: 552 rows — 0 created, 0 updated, 552 unchanged" in out
