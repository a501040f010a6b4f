"""Rebuild the Kota Surabaya demo package data from the Media Center reference tables.

Source: `surabaya-mediacenter-complaints/` (`ref_instansi.csv` 225 rows, `ref_topik.csv` 433 rows,
`ref_kecamatan.csv`, `ref_kelurahan.csv`), research data (see docs/registry.md). Writes

- `surabaya_units.csv`: `source_id,agency_code,code,name,parent_code,is_active` — the city's
  units (OPD, kecamatan, kelurahan offices) under agency `35.78` with codes `sby-<short slug>`;
  each kelurahan sits under its kecamatan, the Bagian and Asisten offices under the Setda;
- `surabaya_topics.csv`: `source_id,name,kind` — the topics, names with whitespace collapsed.

    DEBUG=1 .venv/bin/python manage.py build_surabaya_data \
        --source ../shared/data/real/surabaya-mediacenter-complaints
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.agencies.package_data import (
    SURABAYA_AGENCY_CODE,
    SURABAYA_TOPICS_FILE,
    SURABAYA_UNITS_FILE,
)

# Short codes as the city itself abbreviates its offices (source id -> code).
KNOWN_CODES: dict[int, str] = {
    1: "sby-inspektorat",
    3: "sby-bappedalitbang",
    4: "sby-dlh",
    7: "sby-bkpsdm",
    9: "sby-dpmptsp",
    10: "sby-dsdabm",
    11: "sby-dprkpp",
    12: "sby-dinkes",
    13: "sby-dispendik",
    15: "sby-dpkp",
    16: "sby-dispendukcapil",
    17: "sby-dkpp",
    18: "sby-dishub",
    20: "sby-disperinaker",
    21: "sby-bapenda",
    23: "sby-dinsos",
    27: "sby-diskominfo",
    28: "sby-satpolpp",
    31: "sby-bag-perekonomian-sda",
    32: "sby-bag-organisasi",
    39: "sby-rsud-soewandhie",
    40: "sby-rsud-bdh",
    237: "sby-command-center",
    246: "sby-uptsa",
    254: "sby-setda",
    255: "sby-asisten-pemkesra",
    256: "sby-asisten-ekbang",
    257: "sby-asisten-adum",
    263: "sby-bakesbangpol",
    264: "sby-dp3appkb",
    469: "sby-bpbd",
    501: "sby-dispusip",
    517: "sby-bag-hukum-kerjasama",
    518: "sby-bag-pemkesra",
    519: "sby-bag-pbj-ap",
    520: "sby-bag-uprokompim",
    521: "sby-disbudporapar",
    522: "sby-dinkopdag",
    523: "sby-bpkad",
}
SETDA = 254
INACTIVE = {543, 544}  # "sukol", "tambak": stray rows of the source table, kept for mapping
KECAMATAN_ALIASES = {"pabeancantikan": "pabeancantian", "sememi": ""}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


class Command(BaseCommand):
    help = "Build surabaya_units.csv and surabaya_topics.csv from the Media Center ref tables."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--source", required=True, help="the surabaya-mediacenter directory")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        if not (source / "ref_instansi.csv").exists():
            raise CommandError(f"{source} has no ref_instansi.csv")
        read = lambda name: list(  # noqa: E731
            csv.DictReader(open(source / name, encoding="utf-8", newline=""))  # noqa: SIM115
        )
        instansi = read("ref_instansi.csv")
        kecamatan = {r["id"]: squash(r["nama"]) for r in read("ref_kecamatan.csv")}
        kecamatan = {k: KECAMATAN_ALIASES.get(v, v) for k, v in kecamatan.items()}
        kelurahan_kec: dict[str, list[str]] = {}
        for r in read("ref_kelurahan.csv"):
            kelurahan_kec.setdefault(squash(r["nama"]), []).append(kecamatan[r["kecamatan_id"]])

        units: list[dict[str, Any]] = []
        kec_codes: dict[str, str] = {}
        for r in instansi:
            source_id, name = int(r["id"]), " ".join(r["nama"].split())
            if source_id in KNOWN_CODES:
                code = KNOWN_CODES[source_id]
            elif name.startswith("Kecamatan "):
                code = f"sby-kec-{slug(name[len('Kecamatan ') :])}"
                kec_codes[squash(name[len("Kecamatan ") :])] = code
            elif name.startswith("Kelurahan "):
                code = f"sby-kel-{slug(name[len('Kelurahan ') :])}"
            else:
                code = f"sby-{slug(name)}"
            units.append({"source_id": source_id, "name": name, "code": code})
        unmatched = []
        for u in units:
            parent = ""
            name = u["name"]
            if u["code"].startswith(("sby-bag-", "sby-asisten-")):
                parent = KNOWN_CODES[SETDA]
            elif name.startswith("Kelurahan "):
                full = squash(name[len("Kelurahan ") :])
                kel = squash(re.split(r"\s*-\s*", name[len("Kelurahan ") :])[0])
                suffix = squash(name.split("-")[-1]) if "-" in name else ""
                options_ = kelurahan_kec.get(full) or kelurahan_kec.get(kel, [])
                if full not in kelurahan_kec and suffix and suffix in kec_codes:
                    parent = kec_codes[suffix]
                elif len(set(options_)) == 1 and options_[0] in kec_codes:
                    parent = kec_codes[options_[0]]
                else:
                    unmatched.append(name)
            u["parent_code"] = parent
            u["is_active"] = "false" if u["source_id"] in INACTIVE else "true"
        codes = [u["code"] for u in units]
        duplicates = {c for c in codes if codes.count(c) > 1}
        if duplicates:
            raise CommandError(f"duplicate unit codes: {sorted(duplicates)}")
        units.sort(key=lambda u: (u["parent_code"] != "", u["code"]))
        with open(SURABAYA_UNITS_FILE, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(
                ["source_id", "agency_code", "code", "name", "parent_code", "is_active"]
            )
            for u in units:
                writer.writerow(
                    [
                        u["source_id"],
                        SURABAYA_AGENCY_CODE,
                        u["code"],
                        u["name"],
                        u["parent_code"],
                        u["is_active"],
                    ]
                )
        topics = read("ref_topik.csv")
        with open(SURABAYA_TOPICS_FILE, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["source_id", "name", "kind"])
            for t in sorted(topics, key=lambda t: int(t["id"])):
                writer.writerow([t["id"], " ".join(t["nama"].split()), t["jenis_topik"]])
        self.stdout.write(
            f"wrote {len(units)} units ({len(unmatched)} kelurahan without a kecamatan: "
            f"{', '.join(unmatched) or '-'}) and {len(topics)} topics"
        )
