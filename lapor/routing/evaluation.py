"""How well does `similarity` separate near-identical texts from different ones? (pure)

The measurement behind the threshold in docs/routing.md, on real citizen texts:

* **positives** – pairs of texts flagged `teks_duplikat` in the Surabaya Media Center export
  (the same text sent more than once, up to case and spacing), and *filled-in templates*: the
  answers below, each filled with different names, tracking IDs, dates, places and units, as an
  officer pasting a saved reply would;
* **negatives** – random pairs of different texts, and *hard* negatives: pairs of different
  texts on the same topic in the same kelurahan (the same problem, written independently).

    .venv/bin/python -m lapor.routing.evaluation /path/to/complaints.csv

prints, per threshold, the recall on each kind of positive, the share of each kind of negative
scored at or above it (false positives) and the precision on the union. The tests run the same
functions on a small committed sample (lapor/routing/tests/fixtures/).
"""

from __future__ import annotations

import csv
import gzip
import random
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .similarity import normalise, similarity

Pair = tuple[str, str]

# Saved replies as Indonesian local governments write them; {…} are filled per report.
ANSWER_TEMPLATES: tuple[str, ...] = (
    "Yth. {salam} {nama}, terima kasih atas laporan Anda nomor {id}. Laporan Anda telah kami "
    "teruskan kepada {unit} untuk ditindaklanjuti. Petugas akan melakukan pengecekan ke lokasi "
    "di {lokasi} dalam waktu 3 x 24 jam. Demikian kami sampaikan.",
    "Selamat siang {salam} {nama}. Menindaklanjuti aduan Anda tanggal {tanggal}, bersama ini "
    "kami sampaikan bahwa permasalahan tersebut sudah ditangani oleh {unit}. Apabila masih "
    "terdapat kendala, silakan menghubungi kantor kelurahan {lokasi}. Terima kasih.",
    "Terima kasih atas partisipasi {salam} dalam membangun Kota Surabaya. Aduan nomor {id} "
    "telah kami terima dan saat ini sedang dalam proses verifikasi oleh {unit}. Perkembangan "
    "penanganan dapat dipantau melalui aplikasi.",
    "Yth. {salam} {nama}, lampu penerangan jalan umum di {lokasi} telah diperbaiki oleh tim "
    "{unit} pada tanggal {tanggal}. Mohon laporkan kembali apabila lampu padam lagi.",
    "Kepada Yth. {salam} {nama}, berdasarkan hasil survei lapangan pada {tanggal} di {lokasi}, "
    "saluran air tersebut akan masuk dalam program normalisasi tahun anggaran berikutnya. "
    "Untuk sementara {unit} melakukan pembersihan sedimen. Terima kasih atas laporannya.",
    "Laporan {id} sudah ditindaklanjuti. Terima kasih.",
)
NAMES = ("Budi Santoso", "Siti Aminah", "Agus", "Dewi Lestari", "Rudi Hartono", "[NAMA]")
HONORIFICS = ("Bapak", "Ibu", "Bapak/Ibu", "Sdr.")
UNITS = (
    "Dinas Sumber Daya Air dan Bina Marga",
    "Dinas Lingkungan Hidup",
    "Dinas Perhubungan",
    "Kecamatan Wonocolo",
    "UPTD Penerangan Jalan",
)
DATES = ("3 Januari 2023", "12/05/2022", "28 Februari 2023", "1 Juni 2022")
TRACKING_IDS = ("7KQ4M-9XMT3", "A2B3C-D4E5F", "Z9Y8X-W7V6T", "155340", "LAP-2023-0042")


def fill(template: str, rng: random.Random, places: Sequence[str]) -> str:
    return template.format(
        salam=rng.choice(HONORIFICS),
        nama=rng.choice(NAMES),
        id=rng.choice(TRACKING_IDS),
        tanggal=rng.choice(DATES),
        lokasi=rng.choice(places),
        unit=rng.choice(UNITS),
    )


def template_pairs(places: Sequence[str], *, per_template: int, seed: int = 4) -> list[Pair]:
    """Two fillings of the same template, `per_template` times for each template."""
    rng = random.Random(seed)
    return [
        (fill(t, rng, places), fill(t, rng, places))
        for t in ANSWER_TEMPLATES
        for _ in range(per_template)
    ]


def _key(text: str) -> str:
    """The duplicate key of the source (`teks_duplikat`): lower-case, collapsed whitespace."""
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Row:
    text: str
    topic: str
    place: str
    flagged: bool


def read_rows(path: str) -> list[Row]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        return [
            Row(
                text=row["keluhan"],
                topic=row.get("topik", ""),
                place=row.get("kelurahan", ""),
                flagged=row.get("teks_duplikat") == "True",
            )
            for row in csv.DictReader(handle)
            if row.get("keluhan", "").strip()
        ]


def duplicate_pairs(rows: Iterable[Row]) -> list[Pair]:
    """Every pair of copies within each group of flagged duplicates (first copy with each other)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.flagged:
            groups[_key(row.text)].append(row.text)
    return [(texts[0], other) for texts in groups.values() for other in texts[1:]]


def random_pairs(rows: Sequence[Row], *, count: int, seed: int = 7) -> list[Pair]:
    rng = random.Random(seed)
    pairs: list[Pair] = []
    while len(pairs) < count:
        a, b = rng.sample(range(len(rows)), 2)
        if _key(rows[a].text) != _key(rows[b].text):
            pairs.append((rows[a].text, rows[b].text))
    return pairs


def same_topic_pairs(rows: Sequence[Row], *, count: int, seed: int = 11) -> list[Pair]:
    """Different texts on the same topic from the same kelurahan (hard negatives)."""
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        if row.topic and row.place:
            groups[(row.topic, row.place)].append(row.text)
    pools = [texts for texts in groups.values() if len({_key(t) for t in texts}) > 1]
    pairs: list[Pair] = []
    while pools and len(pairs) < count:
        texts = rng.choice(pools)
        a, b = rng.sample(texts, 2)
        if _key(a) != _key(b):
            pairs.append((a, b))
    return pairs


def share_at_or_above(scores: Sequence[float], threshold: float) -> float:
    return sum(score >= threshold for score in scores) / len(scores) if scores else 0.0


def precision(positive: Sequence[float], negative: Sequence[float], threshold: float) -> float:
    """Of the pairs scored at or above `threshold`, the share that are positives."""
    hits = sum(s >= threshold for s in positive)
    false = sum(s >= threshold for s in negative)
    return hits / (hits + false) if hits + false else 1.0


@dataclass(frozen=True)
class Scores:
    duplicates: list[float]
    templates: list[float]
    random: list[float]
    same_topic: list[float]
    unflagged_copies: int
    """sampled "negative" pairs that are in fact the same text once digits, masks and
    punctuation are removed (copies the source's exact-match flag missed): counted as
    positives, not as false positives"""


def _split(pairs: Iterable[Pair]) -> tuple[list[float], list[float]]:
    copies: list[float] = []
    different: list[float] = []
    for a, b in pairs:
        (copies if normalise(a) == normalise(b) else different).append(similarity(a, b))
    return copies, different


def score_all(rows: Sequence[Row], *, negatives: int, per_template: int) -> Scores:
    places = sorted({row.place for row in rows if row.place}) or ["Tandes"]
    copies_random, different_random = _split(random_pairs(rows, count=negatives))
    copies_topic, different_topic = _split(same_topic_pairs(rows, count=negatives))
    return Scores(
        duplicates=[similarity(a, b) for a, b in duplicate_pairs(rows)]
        + copies_random
        + copies_topic,
        templates=[similarity(a, b) for a, b in template_pairs(places, per_template=per_template)],
        random=different_random,
        same_topic=different_topic,
        unflagged_copies=len(copies_random) + len(copies_topic),
    )


def table(scores: Scores, thresholds: Iterable[float]) -> list[dict[str, float]]:
    positive = scores.duplicates + scores.templates
    negative = scores.random + scores.same_topic
    return [
        {
            "threshold": t,
            "recall_duplicates": share_at_or_above(scores.duplicates, t),
            "recall_templates": share_at_or_above(scores.templates, t),
            "fp_random": share_at_or_above(scores.random, t),
            "fp_same_topic": share_at_or_above(scores.same_topic, t),
            "precision": precision(positive, negative, t),
        }
        for t in thresholds
    ]


def report(scores: Scores, thresholds: Iterable[float]) -> str:
    """The measurement as the Markdown table of docs/routing.md."""
    lines = [
        f"pairs: duplicates {len(scores.duplicates)}, templates {len(scores.templates)}, "
        f"random {len(scores.random)}, same topic {len(scores.same_topic)}; unflagged copies "
        f"among the sampled pairs {scores.unflagged_copies}",
        "",
        "| threshold | recall dup. | recall templ. | FP random | FP same topic | precision |",
        "|---|---|---|---|---|---|",
    ]
    for line in table(scores, thresholds):
        lines.append(
            f"| {line['threshold']:.2f} | {line['recall_duplicates']:.3f} | "
            f"{line['recall_templates']:.3f} | {line['fp_random']:.5f} | "
            f"{line['fp_same_topic']:.5f} | {line['precision']:.4f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> None:  # pragma: no cover - a measurement, run by hand
    rows = read_rows(argv[0])
    scores = score_all(rows, negatives=20_000, per_template=200)
    sys.stdout.write(f"rows {len(rows)}; ")
    sys.stdout.write(report(scores, [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.85, 0.9]))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
