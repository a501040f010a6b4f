"""Demo reports for `make run`: real Surabaya complaints driven through the real workflow.

`demo_reports_seed` takes complaints written by residents of Kota Surabaya (the Media Center
export in ``shared/data/real/surabaya-mediacenter-complaints`` next to the repository, or the
small hand-written ``data/demo_reports.json`` bundled here) and files them with
`services.report_submit`, spread over the last six months. Each one is then taken through a
plausible history with `services.report_act`, acting as the demo accounts of
`lapor.accounts.demo` (the national admin and the Surabaya admin verify, the Surabaya admin
disposes to the unit the complaint was routed to, the unit's officers respond, reporters reply,
close and rate, the system closes unanswered ones …), each action at its own time in the past.
Nothing is written around the services: statuses, deadlines and the hash-chained events are the
services' own; the reports carry ``import_source = "demo"`` (set through the submission) so a
second run does nothing.

A fixed random seed makes the demo the same on every machine (tracking IDs aside, which the
services draw at random).
"""

from __future__ import annotations

import csv
import json
import logging
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Category, Region, Unit
from lapor.agencies.package_data import (
    SURABAYA_AGENCY_CODE,
    surabaya_category_code_for_topic_id,
    surabaya_unit_code_for_source_id,
)
from lapor.agencies.selectors import region_children
from lapor.core.errors import ServiceError
from lapor.deadlines import sla

from . import workflow
from .actions.engine import report_act
from .choices import ArchiveCode, Channel, ReportType
from .models import Report, ReportClock
from .services import ReportSubmission, report_submit

logger = logging.getLogger(__name__)

DEMO_SOURCE = "demo"
DEFAULT_COUNT = 300
DEFAULT_SEED = 1708  # SP4N-LAPOR!'s SMS number
SPAN_DAYS = 182
FALLBACK_FILE = Path(__file__).resolve().parent / "data" / "demo_reports.json"
REAL_DATASET = "surabaya-mediacenter-complaints"

REPORTER_EMAIL = "pelapor@demo.lapor.go.id"
NATIONAL_EMAIL = "admin.nasional@demo.lapor.go.id"
CITY_ADMIN_EMAIL = "admin.surabaya@demo.lapor.go.id"
UNIT_ADMIN_EMAIL = "unit.dsda@demo.lapor.go.id"
LIAISON_EMAIL = "penghubung.dsda@demo.lapor.go.id"
DEMO_EMAILS = (REPORTER_EMAIL, NATIONAL_EMAIL, CITY_ADMIN_EMAIL, UNIT_ADMIN_EMAIL, LIAISON_EMAIL)

TITLE_MIN, TITLE_MAX, TITLE_TARGET = 10, 150, 80
CONTENT_MIN, CONTENT_MAX = 30, 10_000
WIB = timedelta(hours=7)


class DemoSetupError(Exception):
    """The registry or the demo accounts the demo needs are missing."""


# --- the source complaints --------------------------------------------------------------------


@dataclass(frozen=True)
class SourceComplaint:
    source_id: str
    filed_at: datetime  # aware, UTC
    answered_at: datetime | None
    text: str
    topic_id: int | None
    topic: str
    unit_source_id: int | None
    kecamatan: str
    kelurahan: str
    duplicate: bool = False

    @property
    def response_delay(self) -> timedelta | None:
        if self.answered_at is None or self.answered_at <= self.filed_at:
            return None
        return self.answered_at - self.filed_at


def real_data_dir() -> Path:
    """Where the project's shared real data sets live (next to the repository)."""
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "real"


def default_source() -> Path:
    """The real Surabaya complaints when they are next to the repository, else the fallback."""
    real = real_data_dir() / REAL_DATASET / "complaints.csv"
    return real if real.exists() else FALLBACK_FILE


def _int(value: Any) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def _utc(value: Any) -> datetime | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _complaint(row: dict[str, Any]) -> SourceComplaint | None:
    filed = _utc(row.get("tanggal_keluhan"))
    text = str(row.get("keluhan") or "").strip()
    if filed is None or not CONTENT_MIN <= len(text) <= CONTENT_MAX:
        return None
    return SourceComplaint(
        source_id=str(row.get("id") or ""),
        filed_at=filed,
        answered_at=_utc(row.get("tanggal_ditanggapi")),
        text=text,
        topic_id=_int(row.get("topik_id")),
        topic=str(row.get("topik") or "").strip(),
        unit_source_id=_int(row.get("instansi_id")),
        kecamatan=str(row.get("kecamatan") or "").strip(),
        kelurahan=str(row.get("kelurahan") or "").strip(),
        duplicate=str(row.get("teks_duplikat") or "").strip().lower() == "true",
    )


def complaints_read(path: Path) -> list[SourceComplaint]:
    """The usable complaints of a Media Center CSV export or of the fallback JSON (rows whose
    text does not fit a report's 30–10,000 characters are left out)."""
    rows: Iterable[dict[str, Any]]
    if path.suffix == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
    else:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    return [c for c in (_complaint(r) for r in rows) if c is not None]


# --- titles, types, places --------------------------------------------------------------------

_GREETING = re.compile(
    r"^\s*(?:assalamu['`’]?alaikum(?:\s+wr\.?\s*wb\.?|\s+warahmatullahi\s+wabarakatuh)?|"
    r"selamat\s+(?:pagi|siang|sore|malam)|permisi|mohon\s+maaf|maaf|ma'af|halo|hallo|hai|"
    r"kepada\s+yth\.?|yth\.?|dengan\s+hormat|salam|pak|bu|bapak/ibu|min|admin|"
    r"sore|pagi|siang|malam|sebelumnya|mohon\s+i[jz]in|i[jz]in)\b[\s,.!:;-]*",
    re.IGNORECASE,
)


def derive_title(text: str, topic: str = "") -> str:
    """A 10–150 character title from the first words of the complaint (greetings dropped)."""
    flat = " ".join(text.split())
    stripped = flat
    for _ in range(4):
        shorter = _GREETING.sub("", stripped, count=1)
        if shorter == stripped:
            break
        stripped = shorter
    if len(stripped) >= TITLE_MIN:
        flat = stripped
    words: list[str] = []
    length = 0
    for word in flat.split(" "):
        if words and length + 1 + len(word) > TITLE_TARGET:
            break
        words.append(word)
        length += len(word) + (1 if len(words) > 1 else 0)
    title = " ".join(words)[: TITLE_MAX - 1].rstrip(" ,.;:-")
    if len(title) < len(flat.rstrip(" ,.;:-")):
        title += "…"
    title = title[:1].upper() + title[1:]
    if len(title) < TITLE_MIN:
        title = f"{topic or 'Laporan warga'}: {title}"[:TITLE_MAX]
    if len(title) < TITLE_MIN:
        title = f"Laporan warga: {title}"[:TITLE_MAX]
    return title


_INFO = re.compile(
    r"\b(apakah|bagaimana\s+(cara|prosedur)|mohon\s+(info|informasi|penjelasan)|"
    r"ingin\s+(bertanya|tanya)|mau\s+tanya|syarat(nya)?)\b",
    re.IGNORECASE,
)
_ASPIRATION = re.compile(r"\b(saran|usul(an)?|sebaiknya|alangkah\s+baiknya)\b", re.IGNORECASE)


def guess_type(text: str, topic: str = "") -> str:
    if _INFO.search(text) or topic.lower().startswith("informasi"):
        return ReportType.PERMINTAAN_INFORMASI
    if _ASPIRATION.search(text):
        return ReportType.ASPIRASI
    return ReportType.PENGADUAN


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().removeprefix("kecamatan "))


# the Media Center's spellings that differ from Kemendagri's beyond spaces
_DISTRICT_ALIASES = {"pabeancantikan": "pabeancantian"}


def district_codes(city_code: str = SURABAYA_AGENCY_CODE) -> dict[str, str]:
    """Normalised kecamatan name → Kemendagri region code (35.78.xx) for the city."""
    return {_name_key(r.name): r.code for r in region_children(parent_code=city_code)}


def district_code_for(name: str, codes: dict[str, str], default: str | None) -> str | None:
    key = _name_key(name)
    return codes.get(_DISTRICT_ALIASES.get(key, key), default)


# --- what officers and reporters write --------------------------------------------------------

_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class _Family:
    pattern: re.Pattern[str]
    answers: tuple[str, ...]


def _family(pattern: str, *answers: str) -> _Family:
    return _Family(re.compile(pattern, re.IGNORECASE), answers)


# {lokasi}: "Kelurahan X, Kecamatan Y"; {tgl}: the day of the field work
RESPONSE_FAMILIES: tuple[_Family, ...] = (
    _family(
        r"\bpju\b|lampu\s+(jalan|penerangan)|lampu.*(mati|padam)|penerangan jalan",
        "Terima kasih atas laporannya. Tim Pemeliharaan PJU Dinas Perhubungan telah memeriksa "
        "lokasi di {lokasi} pada {tgl} dan mengganti {n} lampu yang padam. Saat ini PJU sudah "
        "menyala kembali.",
        "Laporan telah ditindaklanjuti. Pada {tgl} petugas menemukan kabel PJU putus akibat "
        "galian utilitas di {lokasi}; kabel sudah disambung dan lampu kembali menyala normal.",
        "Petugas PJU sudah melakukan pengecekan pada {tgl}. Kerusakan ada pada panel daya, dan "
        "panel telah diganti sehingga {n} titik lampu di {lokasi} menyala kembali.",
    ),
    _family(
        r"saluran|got\b|gorong|banjir|genangan|tergenang|mampet|sedimen|rumah pompa|box culvert",
        "Terima kasih. Satgas Saluran DSDABM telah melakukan pengerukan sedimen sepanjang kurang "
        "lebih {m} meter di {lokasi} pada {tgl}. Mohon bantuan warga untuk tidak membuang sampah "
        "ke saluran.",
        "Pada {tgl} tim telah membersihkan saluran dan membuka kembali gorong-gorong yang "
        "tersumbat di {lokasi}. Aliran air sudah lancar; pemantauan dilanjutkan saat hujan.",
        "Lokasi di {lokasi} sudah disurvei pada {tgl}. Genangan disebabkan saluran yang "
        "tertutup plat beton; pembongkaran dan normalisasi saluran sudah dikerjakan.",
    ),
    _family(
        r"jalan\s+(rusak|berlubang|ambles|retak)|berlubang|aspal|paving|lubang",
        "Terima kasih atas informasinya. Tim Bina Marga telah menambal lubang jalan di {lokasi} "
        "dengan aspal dingin (cold mix) pada {tgl}. Perbaikan permanen masuk rencana pemeliharaan "
        "berkala.",
        "Kerusakan jalan di {lokasi} sudah ditangani pada {tgl}: sekitar {m} meter persegi paving "
        "yang ambles telah dibongkar dan dipasang ulang.",
    ),
    _family(
        r"pohon|ranting|dahan|perantingan|pangkas",
        "Tim Dinas Lingkungan Hidup telah melakukan perantingan pohon di {lokasi} pada {tgl}. "
        "Sisa potongan ranting sudah diangkut pada hari yang sama.",
        "Pohon yang condong di {lokasi} sudah dipangkas pada {tgl} agar aman bagi pengguna jalan "
        "dan kabel di sekitarnya. Terima kasih atas kepeduliannya.",
    ),
    _family(
        r"sampah|tps\b|kebersihan|bau|limbah|kotor",
        "Terima kasih. Petugas kebersihan telah mengangkut sampah di {lokasi} pada {tgl}. Jadwal "
        "pengangkutan di wilayah tersebut ditambah menjadi dua kali sehari.",
        "Pada {tgl} tim DLH bersama kelurahan membersihkan tumpukan sampah di {lokasi}. Kami juga "
        "memasang papan larangan membuang sampah dan akan melakukan pengawasan berkala.",
    ),
    _family(
        r"permakanan|bansos|bantuan sosial|\bblt\b|\bpkh\b|\bmbr\b|lansia|gakin|miskin|"
        r"disabilitas",
        "Terima kasih. Data yang bersangkutan telah diverifikasi bersama kelurahan pada {tgl}. "
        "Warga tersebut sudah terdaftar dalam data keluarga miskin (MBR) dan akan menerima "
        "bantuan mulai periode berikutnya.",
        "Petugas Dinas Sosial dan kader kelurahan telah melakukan kunjungan rumah di {lokasi} "
        "pada {tgl}. Hasil asesmen: bantuan permakanan disetujui dan mulai dikirim pekan depan.",
        "Berdasarkan pengecekan pada {tgl}, yang bersangkutan belum tercatat di DTKS. Usulan "
        "pendaftaran sudah kami bantu melalui kelurahan {kel}; mohon pantau statusnya di "
        "kelurahan.",
    ),
    _family(
        r"\bktp|kartu keluarga|\bkk\b|akta|adminduk|dispendukcapil|klampid|\bnik\b|pindah datang",
        "Terima kasih. Permohonan sudah kami cek pada {tgl} dan dokumen telah selesai dicetak. "
        "Dokumen dapat diambil di kantor kelurahan {kel} dengan membawa bukti pengajuan.",
        "Pengajuan melalui Klampid New Generation tertahan karena berkas pendukung kurang jelas. "
        "Mohon unggah ulang scan dokumen asli; petugas akan memprosesnya paling lambat 3 hari "
        "kerja.",
    ),
    _family(
        r"parkir|jukir|lalu lintas|macet|traffic|rambu|angkot|bus|truk",
        "Terima kasih. Pada {tgl} tim Dinas Perhubungan melakukan penertiban di {lokasi}; "
        "juru parkir tanpa rompi dan karcis resmi telah dibina dan pengawasan dilakukan rutin.",
        "Lokasi di {lokasi} sudah ditinjau pada {tgl}. Kami memasang rambu larangan parkir dan "
        "menempatkan petugas pada jam sibuk pagi dan sore.",
    ),
    _family(
        r"sekolah|ppdb|siswa|murid|guru|\bsd\b|\bsmp\b|seragam|beasiswa",
        "Terima kasih atas laporannya. Dinas Pendidikan telah berkoordinasi dengan kepala "
        "sekolah pada {tgl}; persoalan tersebut sudah diselesaikan dan orang tua siswa telah "
        "dihubungi.",
        "Sesuai ketentuan PPDB, zonasi dihitung dari alamat pada Kartu Keluarga. Data calon "
        "siswa sudah kami periksa pada {tgl} dan jalur pendaftaran yang sesuai telah dibuka "
        "kembali.",
    ),
    _family(
        r"puskesmas|rumah sakit|rsud|bpjs|dokter|pasien|fogging|demam|nyamuk|kesehatan",
        "Terima kasih. Puskesmas wilayah {kec} telah menindaklanjuti laporan pada {tgl}: "
        "petugas melakukan pemeriksaan jentik dan penyuluhan; fogging dilakukan setelah "
        "penyelidikan epidemiologi.",
        "Laporan sudah kami teruskan ke manajemen fasilitas kesehatan. Pada {tgl} dilakukan "
        "evaluasi alur antrean dan petugas pendaftaran ditambah pada jam sibuk.",
    ),
    _family(
        r"\bpkl\b|pedagang|bangunan liar|bangli|satpol|miras|karaoke|kos|anjal|gepeng|judi",
        "Terima kasih. Pada {tgl} Satpol PP bersama kecamatan {kec} melakukan penertiban di "
        "{lokasi}; pelanggar telah diberi pembinaan dan surat peringatan.",
        "Tim gabungan telah mendatangi lokasi di {lokasi} pada {tgl}. Kegiatan yang dilaporkan "
        "dihentikan dan pemilik diminta mengurus izin sesuai Perda.",
    ),
)

GENERIC_ANSWERS = (
    "Terima kasih atas laporannya. Petugas telah meninjau lokasi di {lokasi} pada {tgl} dan "
    "permasalahan sudah ditindaklanjuti sesuai kewenangan kami.",
    "Laporan Saudara telah kami tindak lanjuti pada {tgl} bersama kelurahan {kel}. Apabila "
    "masih ada kendala, silakan balas laporan ini.",
    "Kami telah berkoordinasi dengan kecamatan {kec} pada {tgl}; penanganan sudah dilakukan "
    "dan akan kami pantau dalam dua pekan ke depan.",
)

FOLLOW_UP_ANSWERS = (
    "Menindaklanjuti balasan Saudara, tim kembali ke lokasi pada {tgl} dan menyelesaikan "
    "pekerjaan yang tertunda. Mohon konfirmasinya bila masih ada kendala.",
    "Mohon maaf atas ketidaknyamanannya. Pada {tgl} dilakukan pengecekan ulang di {lokasi} dan "
    "perbaikan tambahan sudah selesai dikerjakan.",
    "Terima kasih atas koreksinya. Petugas telah memperbaiki kembali pada {tgl}; hasilnya kami "
    "dokumentasikan dan kami pantau sepekan ke depan.",
)

DISPUTES = (
    "Mohon maaf, sampai hari ini kondisi di lokasi belum berubah. Mohon dicek kembali.",
    "Perbaikannya hanya sebagian, masih ada titik yang sama sekali belum ditangani.",
    "Petugas belum pernah datang ke lokasi yang saya laporkan, mohon ditinjau ulang.",
    "Sudah diperbaiki tetapi dua hari kemudian rusak lagi seperti semula.",
)

ADDED_INFO = (
    "Tambahan informasi: lokasinya tepat di depan musala, dekat pos kamling RT 03.",
    "Kondisinya bertambah parah setelah hujan deras tadi malam.",
    "Warga sekitar juga sudah melapor ke kelurahan tetapi belum ada tindak lanjut.",
    "Saya lampirkan keterangan tambahan: kejadian berulang setiap sore hari.",
)

CLOSING_NOTES = (
    "Terima kasih, sudah ditangani dengan cepat.",
    "Sudah beres, terima kasih Pemkot Surabaya.",
    "Terima kasih atas tindak lanjutnya.",
    "",
    "Alhamdulillah sudah selesai, matur suwun.",
)

RATING_COMMENTS = {
    5: ("Responsnya cepat dan petugasnya ramah.", "Mantap, langsung dikerjakan.", ""),
    4: ("Sudah ditangani, hanya agak lama.", "Baik, terima kasih.", ""),
    3: ("Cukup, tapi perlu pemantauan berkala.", ""),
    2: ("Penanganannya lambat dan belum tuntas.",),
    1: ("Tidak ada perubahan berarti di lokasi.",),
}

POSTPONE_REASONS = (
    "Menunggu ketersediaan material dari gudang; pekerjaan dijadwalkan ulang.",
    "Perbaikan memerlukan anggaran perubahan (P-APBD); pekerjaan menunggu pengesahan.",
    "Menunggu koordinasi dengan pemilik utilitas (PLN/Telkom) sebelum pekerjaan dimulai.",
    "Cuaca ekstrem; pekerjaan lapangan ditunda sampai kondisi aman.",
)

NOTES = (
    "Sudah dijadwalkan survei lapangan bersama kelurahan.",
    "Koordinasikan dengan tim lapangan wilayah {kec}.",
    "Lokasi pernah dilaporkan sebelumnya; cek riwayat penanganan.",
)

# forwards of a report that is not the city's business: (pattern, agency code, reason)
FORWARDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"\bpdam\b|air\s+(bersih|mati|keruh)|meteran air", re.IGNORECASE),
        "pdam-surya-sembada",
        "Layanan air bersih merupakan kewenangan PDAM Surya Sembada; laporan diteruskan untuk "
        "ditindaklanjuti.",
    ),
    (
        re.compile(r"\bpln\b|listrik|token|gardu", re.IGNORECASE),
        "pln",
        "Gangguan jaringan listrik merupakan kewenangan PT PLN (Persero); laporan diteruskan.",
    ),
    (
        re.compile(r"\bsma\b|\bsmk\b|\bslb\b|jalan provinsi|samsat", re.IGNORECASE),
        "35",
        "Pengelolaan SMA/SMK dan jalan provinsi merupakan kewenangan Pemerintah Provinsi Jawa "
        "Timur; laporan diteruskan.",
    ),
    (
        re.compile(r"sertifikat|\bbpn\b|\bptsl\b|pertanahan", re.IGNORECASE),
        "atr-bpn",
        "Pendaftaran tanah dan sertifikat merupakan kewenangan Kantor Pertanahan (ATR/BPN); "
        "laporan diteruskan.",
    ),
)

GUEST_NAMES = (
    "Siti Aminah",
    "Agus Setiawan",
    "Dewi Lestari",
    "Rudi Hartono",
    "Wahyu Prasetyo",
    "Ninik Suryani",
    "Bambang Sutrisno",
    "Rina Wulandari",
    "Hendra Gunawan",
    "Yuli Astutik",
    "Eko Purnomo",
    "Sri Rahayu",
    "Andik Kurniawan",
    "Lilik Mardiana",
    "Fajar Ramadhan",
    "Indah Permatasari",
    "Joko Santoso",
    "Ayu Kartika",
    "Slamet Riyadi",
    "Nur Hidayah",
)

# --- the plan ---------------------------------------------------------------------------------

# how a demo report's history ends, with its share of the demo
FATES: tuple[tuple[str, int], ...] = (
    ("submitted", 7),  # waits for verification
    ("disposed", 6),  # verified, waits at the city
    ("in_progress", 12),  # with the unit, no answer yet
    ("postponed", 4),
    ("responded", 8),  # answered, the reporter has not reacted (yet)
    ("closed", 22),  # the reporter closes (and often rates)
    ("auto_closed", 15),  # nobody replied: the system closes
    ("dispute", 6),  # the reporter disputes the answer, a second answer follows
    ("info_reply", 4),  # the reporter adds information while it is handled
    ("archived", 6),  # unclear, too general, duplicate, out of scope
    ("forwarded", 5),  # not the city's business: to another organisation
    ("escalated", 2),  # the reporter takes it to the Ombudsman
)
RECENT_FATES = frozenset({"submitted", "disposed", "in_progress", "postponed", "responded"})


@dataclass
class DemoResult:
    source: str = ""
    created: int = 0
    actions: int = 0
    supports: int = 0
    failures: list[str] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    skipped_existing: bool = False


@dataclass
class _Cast:
    reporter: User
    national: User
    city_admin: User
    unit_admin: User | None
    liaison: User | None


def _cast() -> _Cast:
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
    missing = [e for e in (REPORTER_EMAIL, NATIONAL_EMAIL, CITY_ADMIN_EMAIL) if e not in users]
    if missing:
        raise DemoSetupError(
            "demo accounts missing (run `manage.py create_demo_accounts` first): "
            + ", ".join(missing)
        )
    return _Cast(
        reporter=users[REPORTER_EMAIL],
        national=users[NATIONAL_EMAIL],
        city_admin=users[CITY_ADMIN_EMAIL],
        unit_admin=users.get(UNIT_ADMIN_EMAIL),
        liaison=users.get(LIAISON_EMAIL),
    )


def demo_reports_exist() -> bool:
    return Report.objects.filter(import_source=DEMO_SOURCE).exists()


def _text_key(text: str) -> str:
    return " ".join(text.lower().split())


def _office_time(at: datetime, rng: random.Random) -> datetime:
    """The first moment of office hours (Mon–Fri 08:00–16:00 WIB) at or after `at`."""
    local = timezone.localtime(at)
    day = local.date()
    start = time(8, rng.randrange(0, 50), rng.randrange(0, 60))
    if local.weekday() < 5 and 8 <= local.hour < 16:
        return at
    if local.hour >= 16 or local.weekday() >= 5:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, start), timezone.get_current_timezone())


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


class _Timeline:
    """One demo report's history: each step acts through `report_act` at its own time."""

    def __init__(self, seeder: _Seeder, report: Report, key: str | None, reporter: User | None):
        self.seeder = seeder
        self.report = report
        self.key = key
        self.reporter = reporter
        self.t = report.submitted_at
        self.stopped = False

    def next_time(self, *, late_p: float, office: bool = True) -> datetime:
        """When an officer takes the next step: mostly within hours, often before the deadline,
        sometimes late."""
        rng = self.seeder.rng
        start, deadline = self.t, self.report.deadline
        roll = rng.random()
        if deadline is None or deadline <= start:
            at = start + _hours(rng, 0.3, 30)
        elif roll < late_p:
            at = deadline + _hours(rng, 3, 24 * 8)
        elif roll < late_p + 0.5:
            at = start + _hours(rng, 0.3, 6)
        else:
            at = start + (deadline - start) * rng.uniform(0.1, 0.95)
        return _office_time(at, rng) if office else at

    def act(
        self,
        action: str,
        actor: User | None,
        at: datetime,
        params: dict[str, Any] | None = None,
        *,
        as_reporter: bool = False,
        system: bool = False,
    ) -> bool:
        """Take the action at `at`; False (and the history stops) when `at` is not in the past
        yet or the services refuse it."""
        if self.stopped:
            return False
        at = max(at, self.t + timedelta(minutes=1))
        if at >= self.seeder.now:
            self.stopped = True
            return False
        try:
            self.report = report_act(
                action=action,
                actor_user=self.reporter if as_reporter else actor,
                report_id=self.report.pk,
                reporter_key=self.key if as_reporter else None,
                params=params,
                now=at,
                system=system,
            )
        except ServiceError as exc:
            self.seeder.result.failures.append(
                f"{self.report.tracking_id} {action}: {exc.detail} {getattr(exc, 'errors', '')}"
            )
            self.stopped = True
            return False
        self.t = at
        self.seeder.result.actions += 1
        return True


class _Seeder:
    def __init__(self, *, now: datetime, seed: int) -> None:
        self.now = now
        self.rng = random.Random(seed)
        self.result = DemoResult()
        self.cast = _cast()
        self.city = Agency.objects.filter(code=SURABAYA_AGENCY_CODE).first()
        if self.city is None:
            raise DemoSetupError(
                f"agency {SURABAYA_AGENCY_CODE} missing (run `manage.py seed_registry` first)"
            )
        self.units = {
            u.code: u for u in Unit.objects.filter(agency=self.city, is_active=True).only("code")
        }
        self.unit_paths = {code: u.path for code, u in self.units.items()}
        self.categories = set(
            Category.objects.filter(code__startswith="sby-").values_list("code", flat=True)
        )
        self.agencies = set(
            Agency.objects.filter(code__in=[f[1] for f in FORWARDS]).values_list("code", flat=True)
        )
        self.districts = district_codes()
        self.city_region = (
            SURABAYA_AGENCY_CODE
            if Region.objects.filter(code=SURABAYA_AGENCY_CODE).exists()
            else None
        )
        self.created: list[Report] = []
        self.by_text: dict[str, str] = {}

    # -- choosing ------------------------------------------------------------------------------

    def pick_rows(self, complaints: list[SourceComplaint], count: int) -> list[SourceComplaint]:
        """`count` complaints at random, each text once, plus a few exact repeats (residents do
        send the same complaint twice; those are archived as duplicates of the first)."""
        groups: dict[str, list[SourceComplaint]] = {}
        for c in sorted(complaints, key=lambda c: (c.filed_at, c.source_id)):
            groups.setdefault(_text_key(c.text), []).append(c)
        repeats_wanted = max(1, count // 60) if count >= 20 else 0
        pool = [copies[0] for copies in groups.values()]
        order = self.rng.sample(pool, len(pool))
        chosen = order[: max(0, count - repeats_wanted)]
        repeats = [
            groups[_text_key(c.text)][1] for c in chosen if len(groups[_text_key(c.text)]) > 1
        ]
        repeats = repeats[:repeats_wanted]
        rest = order[len(chosen) :]
        return chosen + repeats + rest[: count - len(chosen) - len(repeats)]

    def fates(self, rows: list[SourceComplaint]) -> list[str]:
        total = sum(w for _, w in FATES)
        deck: list[str] = []
        for name, weight in FATES:
            deck += [name] * max(1, round(weight * len(rows) / total))
        self.rng.shuffle(deck)
        deck = (deck * 2)[: len(rows)]
        # forwards go to complaints that really concern another organisation
        forwardable = [i for i, r in enumerate(rows) if self.forward_for(r) is not None]
        want = sum(1 for f in deck if f == "forwarded")
        deck = ["closed" if f == "forwarded" else f for f in deck]
        for i in forwardable[:want]:
            deck[i] = "forwarded"
        return deck

    def forward_for(self, row: SourceComplaint) -> tuple[str, str] | None:
        for pattern, code, reason in FORWARDS:
            if code in self.agencies and pattern.search(row.text):
                return code, reason
        return None

    def when(self, row: SourceComplaint, fate: str) -> datetime:
        """A submission time in the last six months, at the hour of day the resident wrote.
        Histories that stay open are mostly recent, so the inboxes hold reports on time, near
        their deadline and late."""
        if fate in RECENT_FATES and self.rng.random() < 0.7:
            days_ago = self.rng.uniform(0, 15)
        else:
            days_ago = self.rng.uniform(0, SPAN_DAYS)
        day = timezone.localtime(self.now - timedelta(days=days_ago)).date()
        wib = (row.filed_at + WIB).time()
        at = timezone.make_aware(datetime.combine(day, wib), timezone.get_current_timezone())
        if at >= self.now:
            at = self.now - _hours(self.rng, 0.2, 3)
        return at

    def unit_for(self, row: SourceComplaint) -> str | None:
        if row.unit_source_id is None:
            return None
        code = surabaya_unit_code_for_source_id(row.unit_source_id)
        return code if code in self.units else None

    def responder(self, unit_code: str | None) -> User:
        cast = self.cast
        dsda = self.unit_paths.get("sby-dsdabm")
        path = self.unit_paths.get(unit_code or "")
        if dsda and path and path.startswith(dsda):
            officers = [u for u in (cast.unit_admin, cast.liaison) if u is not None]
            if officers:
                return self.rng.choice(officers)
        return cast.city_admin

    def answer(self, row: SourceComplaint, at: datetime, *, follow_up: bool = False) -> str:
        rng = self.rng
        if follow_up:
            templates: tuple[str, ...] = FOLLOW_UP_ANSWERS
        else:
            haystack = f"{row.topic} {row.text}"
            family = next((f for f in RESPONSE_FAMILIES if f.pattern.search(haystack)), None)
            templates = family.answers if family else GENERIC_ANSWERS
        kel = row.kelurahan or "setempat"
        kec = row.kecamatan or "setempat"
        place = f"Kelurahan {kel}, Kecamatan {kec}" if row.kelurahan else f"wilayah {kec}"
        worked = timezone.localtime(at).date()
        earlier = worked - timedelta(days=rng.choice((0, 0, 1)))
        worked = earlier if earlier.weekday() < 5 else worked
        return rng.choice(templates).format(
            lokasi=place,
            tgl=tanggal(worked),
            kel=kel,
            kec=kec,
            n=rng.randint(2, 9),
            m=rng.choice((20, 35, 50, 75, 120)),
        )

    # -- submitting ----------------------------------------------------------------------------

    def submit(self, index: int, row: SourceComplaint, at: datetime) -> _Timeline | None:
        rng = self.rng
        by_account = index % 8 == 3
        anonymous = index % 9 == 5 or rng.random() < 0.05
        confidential = index % 10 == 7 or rng.random() < 0.04
        category = None
        if row.topic_id is not None:
            code = surabaya_category_code_for_topic_id(row.topic_id)
            category = code if code in self.categories and rng.random() < 0.6 else None
        region = district_code_for(row.kecamatan, self.districts, self.city_region)
        name = "" if by_account or anonymous else rng.choice(GUEST_NAMES)
        email = ""
        if name and rng.random() < 0.6:
            email = f"{name.lower().replace(' ', '.')}{rng.randint(1, 99)}@example.com"
        local_day = timezone.localtime(at).date()
        data = ReportSubmission(
            type=guess_type(row.text, row.topic),
            title=derive_title(row.text, row.topic),
            content=row.text,
            category=category,
            agency=SURABAYA_AGENCY_CODE if rng.random() < 0.65 else None,
            region=region,
            address=(
                f"Kel. {row.kelurahan}, Kec. {row.kecamatan}, Kota Surabaya"
                if row.kelurahan and row.kecamatan
                else ""
            ),
            event_date=local_day - timedelta(days=rng.choice((0, 0, 1, 2, 5)))
            if rng.random() < 0.5
            else None,
            channel=rng.choices(
                (Channel.WEB, Channel.MOBILE, Channel.SOCIAL, Channel.SMS, Channel.EMAIL),
                weights=(55, 25, 10, 5, 5),
            )[0],
            is_anonymous=anonymous,
            is_confidential=confidential,
            reporter_name=name,
            reporter_email=email,
            import_source=DEMO_SOURCE,
        )
        user = self.cast.reporter if by_account else None
        try:
            submitted = report_submit(actor_user=user, data=data, now=at)
        except ServiceError as exc:
            self.result.failures.append(f"row {row.source_id} submit: {exc.detail}")
            return None
        self.created.append(submitted.report)
        self.result.created += 1
        return _Timeline(self, submitted.report, submitted.reporter_key, user)

    # -- one history -----------------------------------------------------------------------------

    def play(self, line: _Timeline, row: SourceComplaint, fate: str) -> None:
        rng, cast = self.rng, self.cast
        report = line.report
        key = _text_key(row.text)
        original = self.by_text.get(key)
        if original is None:
            self.by_text[key] = report.tracking_id
        if original is not None or fate == "archived":
            self.archive(line, row, original)
            return
        if fate == "submitted":
            return
        # verification: the city's admin when the reporter chose the city, else the national one
        by_city = report.requested_agency_id is not None and rng.random() < 0.75
        params: dict[str, Any] = {}
        if not by_city:
            params["agency"] = SURABAYA_AGENCY_CODE
        if report.category_id is None and row.topic_id is not None:
            code = surabaya_category_code_for_topic_id(row.topic_id)
            if code in self.categories:
                params["category"] = code
        # mostly the class of the type; a few complaints concern an officer's misconduct
        if report.type == ReportType.PENGADUAN and rng.random() < 0.04:
            params["sla_class"] = "misconduct"
        else:
            params["sla_class"] = sla.default_class(report.type)
        verifier = cast.city_admin if by_city else cast.national
        if not line.act("verify", verifier, line.next_time(late_p=0.12), params):
            return
        if fate == "disposed":
            return
        if fate == "forwarded":
            target = self.forward_for(row)
            if target is not None:
                line.act(
                    "forward",
                    cast.city_admin,
                    line.next_time(late_p=0.05),
                    {"agency": target[0], "reason": target[1]},
                )
                return
        unit_code = self.unit_for(row)
        if unit_code is not None:
            if not line.act(
                "dispose", cast.city_admin, line.next_time(late_p=0.08), {"unit": unit_code}
            ):
                return
            if unit_code == "sby-dsdabm" and cast.liaison is not None and rng.random() < 0.4:
                line.act(
                    "assign",
                    cast.city_admin,
                    line.t + _hours(rng, 0.1, 2),
                    {"user": cast.liaison.pk},
                )
            if rng.random() < 0.2:
                note = rng.choice(NOTES).format(kec=row.kecamatan or "setempat")
                line.act(
                    "note", self.responder(unit_code), line.t + _hours(rng, 0.2, 5), {"text": note}
                )
        responder = self.responder(unit_code)
        if fate == "in_progress":
            if rng.random() < 0.4:
                at = line.next_time(late_p=0.2)
                line.act(
                    "respond",
                    responder,
                    at,
                    {"content": self.answer(row, at), "interim": True},
                )
            if rng.random() < 0.25:
                line.act(
                    "extend",
                    cast.city_admin,
                    line.next_time(late_p=0.0),
                    {"reason": "Perlu survei lapangan dan koordinasi lintas perangkat daerah."},
                )
            return
        if fate == "escalated":
            # left unanswered past its completion deadline: the reporter asks for a referral
            completion = ReportClock.objects.filter(
                report=line.report, step=workflow.Step.COMPLETION, ended_at__isnull=True
            ).first()
            if completion is not None:
                at = completion.due_at + _hours(rng, 2, 24 * 10)
                line.act("escalate", None, at, {"to": "ombudsman"}, as_reporter=True)
            return
        if fate == "postponed":
            at = line.next_time(late_p=0.0)
            until = timezone.localtime(at).date() + timedelta(days=rng.randint(5, 20))
            if not line.act(
                "postpone", responder, at, {"reason": rng.choice(POSTPONE_REASONS), "until": until}
            ):
                return
            resume_at = _office_time(
                timezone.make_aware(
                    datetime.combine(until, time(8)), timezone.get_current_timezone()
                ),
                rng,
            )
            if not line.act("resume", responder, resume_at, {"note": "Pekerjaan dilanjutkan."}):
                return
            fate = "closed"
        if fate == "info_reply":
            line.act(
                "reply",
                None,
                line.t + _hours(rng, 1, 40),
                {"content": rng.choice(ADDED_INFO)},
                as_reporter=True,
            )
            fate = "closed"
        if not self.respond(line, row, responder):
            return
        if fate == "dispute":
            if not line.act(
                "reply",
                None,
                line.t + _hours(rng, 3, 60),
                {"content": rng.choice(DISPUTES), "disputes": True},
                as_reporter=True,
            ):
                return
            if not self.respond(line, row, responder, follow_up=True):
                return
            fate = rng.choice(("closed", "auto_closed"))
        self.finish(line, fate)

    def respond(
        self, line: _Timeline, row: SourceComplaint, responder: User, *, follow_up: bool = False
    ) -> bool:
        delay = row.response_delay
        if not follow_up and delay is not None and self.rng.random() < 0.6:
            at = _office_time(max(line.t, line.report.submitted_at + delay), self.rng)
        else:
            at = line.next_time(late_p=0.15)
        return line.act(
            "respond", responder, at, {"content": self.answer(row, at, follow_up=follow_up)}
        )

    def finish(self, line: _Timeline, fate: str) -> None:
        rng = self.rng
        deadline = line.report.deadline
        if fate == "closed":
            latest = deadline or line.t + timedelta(days=3)
            at = line.t + (latest - line.t) * rng.uniform(0.05, 0.6)
            if not line.act(
                "close", None, at, {"note": rng.choice(CLOSING_NOTES)}, as_reporter=True
            ):
                return
            rate_p = 0.65
        else:  # responded or auto_closed: nobody replies, the hourly task closes it
            if deadline is None:
                return
            at = deadline.replace(minute=7, second=0, microsecond=0) + timedelta(hours=1)
            if not line.act("auto_close", None, at, system=True):
                return
            rate_p = 0.2
        if rng.random() < rate_p:
            score = rng.choices((5, 4, 3, 2, 1), weights=(40, 30, 15, 10, 5))[0]
            line.act(
                "rate",
                None,
                line.t + _hours(rng, 0.05, 30),
                {"score": score, "comment": rng.choice(RATING_COMMENTS[score])},
                as_reporter=True,
            )

    def archive(self, line: _Timeline, row: SourceComplaint, original: str | None) -> None:
        rng = self.rng
        if original is not None:
            params: dict[str, Any] = {
                "reason_code": ArchiveCode.DUPLICATE,
                "duplicate_of": original,
                "note": "Laporan yang sama sudah diterima dan sedang ditangani.",
            }
        else:
            notes = {
                "unclear": "Lokasi dan pokok masalah tidak jelas; silakan kirim laporan baru "
                "dengan keterangan lengkap.",
                "too_general": "Laporan terlalu umum untuk ditindaklanjuti.",
                "out_of_scope": "Bukan termasuk pelayanan publik.",
            }
            code = rng.choice(sorted(notes))
            params = {"reason_code": code, "note": notes[code]}
        line.act("archive", self.cast.national, line.next_time(late_p=0.1), params)

    def support(self) -> None:
        """The demo reporter supports a few public reports of other residents."""
        candidates = [
            r
            for r in self.created
            if r.reporter_id != self.cast.reporter.pk and not r.is_confidential
        ]
        for report in self.rng.sample(candidates, min(len(candidates), 12)):
            try:
                report_act(action="support", actor_user=self.cast.reporter, report_id=report.pk)
            except ServiceError as exc:
                self.result.failures.append(f"{report.tracking_id} support: {exc.detail}")
                continue
            self.result.supports += 1


def demo_reports_seed(
    *,
    count: int = DEFAULT_COUNT,
    source: Path | None = None,
    now: datetime | None = None,
    seed: int = DEFAULT_SEED,
) -> DemoResult:
    """File `count` demo reports and play their histories (nothing when demo reports exist).

    Needs the registry (agency 35.78 and its units and topics; the regions for the districts)
    and the demo accounts. Raises DemoSetupError when they are missing.
    """
    path = source or default_source()
    if demo_reports_exist():
        return DemoResult(source=str(path), skipped_existing=True)
    now = now or timezone.now()
    seeder = _Seeder(now=now, seed=seed)
    seeder.result.source = str(path)
    rows = seeder.pick_rows(complaints_read(path), count)
    fates = seeder.fates(rows)
    times = [seeder.when(row, fate) for row, fate in zip(rows, fates, strict=True)]
    plan = sorted(zip(times, rows, fates, strict=True), key=lambda p: p[0])
    with transaction.atomic():
        for index, (at, row, fate) in enumerate(plan):
            line = seeder.submit(index, row, at)
            if line is not None:
                seeder.play(line, row, fate)
        seeder.support()
    seeder.result.by_status = dict(
        Counter(Report.objects.filter(import_source=DEMO_SOURCE).values_list("status", flat=True))
    )
    return seeder.result


def iter_status_lines(result: DemoResult) -> Iterator[str]:
    for status, n in sorted(result.by_status.items(), key=lambda kv: -kv[1]):
        yield f"  {status:<12} {n}"
