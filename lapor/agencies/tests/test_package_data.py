"""The shipped package data is complete and consistent (no database)."""

from __future__ import annotations

import csv
from collections import Counter

from lapor.agencies.choices import AgencyType
from lapor.agencies.package_data import (
    AGENCIES_CENTRAL_FILE,
    CATEGORIES_FILE,
    REGIONS_FILE,
    SURABAYA_TOPICS_FILE,
    SURABAYA_UNITS_FILE,
    read_rows,
    surabaya_category_code_for_topic_id,
    surabaya_unit_code_for_source_id,
)
from lapor.agencies.services import CODE_RE
from lapor.agencies.topic_mapping import all_targets, national_category_for


def test_region_file_has_every_kemendagri_row_with_parents_first():
    # given the shipped file
    rows = list(read_rows(REGIONS_FILE))
    # when we count levels and check parents
    levels = Counter(r["level"] for r in rows)
    seen: set[str] = set()
    orphans = []
    for r in rows:
        if r["parent_code"] and r["parent_code"] not in seen:
            orphans.append(r["code"])
        seen.add(r["code"])
    # then it holds the 2025 list, each parent before its children
    assert len(rows) == 91_599
    assert levels["1"] == 38
    assert levels["2"] == 514
    assert orphans == []
    assert REGIONS_FILE.stat().st_size < 1_500_000


def test_central_agencies_are_well_formed():
    # given the hand-transcribed list
    rows = list(read_rows(AGENCIES_CENTRAL_FILE))
    codes = [r["code"] for r in rows]
    # then: enough rows, unique slugs, valid types, parents known
    assert len(rows) >= 50
    assert len(codes) == len(set(codes))
    assert all(CODE_RE.match(c) for c in codes)
    assert {r["type"] for r in rows} <= set(AgencyType.values)
    assert {"kemenkes", "bpjs-kesehatan", "atr-bpn", "polri", "bpom", "bkn", "pln"} <= set(codes)
    parents = {r["parent_code"] for r in rows if r["parent_code"]}
    assert parents <= set(codes) | {"35.78"}


def test_category_tree_has_twenty_top_level_topics_with_children_in_two_languages():
    # given the national tree
    rows = list(read_rows(CATEGORIES_FILE))
    top = [r for r in rows if not r["parent_code"]]
    children = Counter(r["parent_code"] for r in rows if r["parent_code"])
    # then
    assert len(top) >= 20
    assert all(children[t["code"]] >= 2 for t in top)
    assert all(r["name_id"] and r["name_en"] for r in rows)
    for required in ("infrastruktur", "adminduk", "kesehatan", "pendidikan", "bansos", "pinjol"):
        assert required in {t["code"] for t in top}


def test_topic_mapping_targets_exist_and_map_known_topics():
    # given the national codes
    codes = {r["code"] for r in read_rows(CATEGORIES_FILE)}
    # then every target of the mapping exists, and typical topics land where expected
    assert all_targets() <= codes
    assert national_category_for("PJU", "fisik") == "infrastruktur.penerangan-jalan"
    assert national_category_for("Jalan Rusak dan Berlubang", "fisik") == "infrastruktur.jalan"
    assert national_category_for("KTP-el", "administratif") == "adminduk.ktp-el"
    assert national_category_for("Informasi PBB", "administratif") == "perpajakan.pajak-daerah"
    assert national_category_for("Lapangan Olahraga", "") == "pariwisata.olahraga"
    assert national_category_for("zzz", "fisik") == "infrastruktur.fasilitas-umum"
    assert national_category_for("zzz", "") == "lainnya.umum"


def test_every_surabaya_topic_maps_into_the_national_tree():
    # given the shipped topics
    codes = {r["code"] for r in read_rows(CATEGORIES_FILE)}
    topics = list(read_rows(SURABAYA_TOPICS_FILE))
    # then
    assert len(topics) == 433
    assert all(national_category_for(t["name"], t["kind"]) in codes for t in topics)


def test_surabaya_units_and_the_source_id_mapping():
    # given the shipped units
    with open(SURABAYA_UNITS_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = [r["code"] for r in rows]
    # then
    assert len(rows) == 225
    assert len(set(codes)) == 225
    assert all(c.startswith("sby-") and CODE_RE.match(c) for c in codes)
    assert {r["parent_code"] for r in rows if r["parent_code"]} <= set(codes)
    assert surabaya_unit_code_for_source_id(10) == "sby-dsdabm"
    assert surabaya_unit_code_for_source_id(16) == "sby-dispendukcapil"
    assert surabaya_unit_code_for_source_id(999_999) is None
    assert surabaya_category_code_for_topic_id(2304) == "sby-2304"
