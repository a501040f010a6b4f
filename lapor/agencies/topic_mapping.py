"""Keyword mapping of Kota Surabaya's Media Center topics onto the national category tree.

Pure (no Django): `national_category_for(name, kind)` returns the code of the national category a
local topic sits under. Rules are tried in order; the first whose pattern matches the lower-cased
topic name wins. A topic no rule matches falls back by its source kind (`fisik` → public
facilities, `administratif` → procedures, otherwise → general).
"""

from __future__ import annotations

import re

# (regular expression on the lower-cased topic name, national category code), first match wins
RULES: tuple[tuple[str, str], ...] = (
    # --- specific before general ---
    (r"pajak|pbb|bphtb|obyek pajak", "perpajakan.pajak-daerah"),
    (r"retribusi", "perpajakan.retribusi"),
    (r"\bpju\b|penerangan jalan|lampu", "infrastruktur.penerangan-jalan"),
    (r"\bskm\b|survei kepuasan", "pelayanan-publik.prosedur"),
    (
        r"loket kecamatan|loket kelurahan|jam kerja pelayanan",
        "pelayanan-publik.layanan-kewilayahan",
    ),
    (r"sikap petugas|respons petugas", "pelayanan-publik.sikap-petugas"),
    (r"keamanan website|keamanan aplikasi", "tik.keamanan-siber"),
    (r"ketenagakerjaan", "ketenagakerjaan.hubungan-industrial"),
    (r"kebakaran|pemadam|penyelamatan|evakuasi", "bencana.kebakaran"),
    (r"hewan|ternak|unggas|veteriner|qurban|rumah potong", "pertanian.peternakan"),
    (r"\bnikah\b|menikah|janda|duda", "agama.nikah"),
    (r"domisili|ahli waris|surat pernyataan", "perizinan.non-perizinan"),
    (r"\bkb\b|keluarga berencana|catin|pranikah|puspaga", "perlindungan.keluarga-berencana"),
    (r"kekerasan|adopsi|pengangkatan anak", "perlindungan.kekerasan"),
    (r"disabilitas|inklusi|\bpld\b", "perlindungan.disabilitas"),
    (
        r"covid|vaksin|fogging|isolasi|penyakit|disinfektan|masker|protokol kesehatan|karantina"
        r"|oksigen|wastafel|\bptm\b|\bpcr\b",
        "kesehatan.penyakit",
    ),
    (r"bpjs|\bpbi\b", "kesehatan.jaminan-kesehatan"),
    (
        r"puskesmas|rumah sakit|rsud|klinik|dokter|kesehatan|dinkes|ehealth|p3k|home care",
        "kesehatan.faskes",
    ),
    (r"halal|pirt|\bmakanan\b|olahan pangan|keamanan pangan", "pertanian.pangan"),
    (r"ktp|kartu identitas anak|\bkia\b", "adminduk.ktp-el"),
    (r"\bnik\b|kartu keluarga|kependudukan|dispendukcapil|sptjm", "adminduk.kartu-keluarga"),
    (r"\bakta\b", "adminduk.akta"),
    (r"pindah|kitas", "adminduk.pindah-datang"),
    (r"beasiswa|\bpip\b|\bkip\b|\bbos\b|bopda|spp|hafidz|pemuda tangguh", "pendidikan.beasiswa"),
    (r"\bguru\b|\bgtk\b|tenaga didik", "pendidikan.guru"),
    (
        r"sekolah|ppdb|paud|\bsd\b|\bsmp\b|siswa|pelajar|rapor|ijazah|pendidikan|kurikulum"
        r"|ujian|lapordik|mahasiswa",
        "pendidikan.sekolah",
    ),
    (r"bansos|bantuan sosial|blt|permakanan|keluarga miskin|\bmbr\b|usul bansos", "bansos.blt"),
    (r"pmks|liponsos|gangguan jiwa|terlantar|sumbangan|kesejahteraan sosial", "bansos.pmks"),
    (r"pinjam|simpan pinjam", "ekonomi.koperasi"),
    (r"sampah|kebersihan|tinja|limbah|maggot|biopori|kantong plastik", "lingkungan.sampah"),
    (r"pencemaran|lingkungan", "lingkungan.pencemaran"),
    (r"pohon|taman|\brth\b|ruang terbuka hijau|tahura|mangrove|perantingan", "lingkungan.rth"),
    (r"parkir|jukir", "perhubungan.parkir"),
    (
        r"trayek|angkutan|andalalin|\bkir\b|izin operasi|insidentil",
        "perhubungan.perizinan-angkutan",
    ),
    (
        r"terminal|bus\b|suroboyo bus|feeder|\blyn\b|halte|transportasi|calo|ojol",
        "perhubungan.angkutan-umum",
    ),
    (
        r"lalu lintas|traffic|rambu|marka|zebra|u turn|warning light|bollard|speedtrap"
        r"|polisi tidur|cermin|kendaraan berat|balap liar|pembatas jalan|median jalan"
        r"|kelas jalan|penutupan jalan|\bjpo\b|cctv jalan",
        "perhubungan.lalu-lintas",
    ),
    (r"upah|\bthr\b", "ketenagakerjaan.upah"),
    (r"hubungan industrial|phk|alih daya|perjanjian kerja", "ketenagakerjaan.hubungan-industrial"),
    (r"migran", "ketenagakerjaan.pekerja-migran"),
    (r"jaminan sosial tenaga kerja", "ketenagakerjaan.jaminan-sosial"),
    (r"\bkerja\b|magang|kartu kuning|lowongan|padat karya", "ketenagakerjaan.pelatihan-kerja"),
    (
        r"pembebasan lahan|tanah|site plan|peruntukan|\bskrk\b|\bipr\b|\bipt\b|surat hijau",
        "pertanahan.sertifikat",
    ),
    (r"pbg|bangunan gedung|laik fungsi|\bimb\b|iujk", "perizinan.bangunan-gedung"),
    (r"investasi|penanaman modal|\bpma\b|pmdn|lkpm", "perizinan.investasi"),
    (
        r"izin|perizinan|\bsiup\b|\biup\b|\biui\b|\bipi\b|tdup|reklame|merk|\bsipt\b|\bsikm\b"
        r"|\blii\b|tanda daftar|rekomendasi",
        "perizinan.berusaha",
    ),
    (r"pdam|air bersih|hydrant|hidran", "air-bersih.pdam"),
    (r"jamban|septic|\bmck\b|toilet", "air-bersih.sanitasi"),
    (r"\bpkl\b|sentra|kuliner|stand", "ketertiban.pkl"),
    (r"bangunan liar", "ketertiban.bangunan-liar"),
    (
        r"ketertiban|keamanan|mercon|petasan|satpol|penertiban|hewan liar|cctv",
        "ketertiban.gangguan",
    ),
    (r"bencana|posko", "bencana.bencana-alam"),
    (r"command center|\b112\b", "bencana.kedaruratan"),
    (r"rusunawa|rusun", "perumahan.rusun"),
    (r"tidak layak huni|dandan omah|e-housing", "perumahan.rtlh"),
    (r"fasum|fasos|utilitas|fiber optic|balai rw", "perumahan.psu"),
    (
        r"saluran|drainase|genangan|pompa|sungai|bozem|tanggul|plengsengan|penyedotan air"
        r"|sedimen|normalisasi",
        "infrastruktur.drainase",
    ),
    (r"jalan|paving|aspal|jembatan|trotoar|pedestrian", "infrastruktur.jalan"),
    (
        r"website|aplikasi|e-peken|wargaku|klampid|\bssw\b|\bblc\b|etakok|sayang warga",
        "tik.aplikasi-pemerintah",
    ),
    (r"wifi|internet|tower|\bbts\b|telekomunikasi", "tik.jaringan"),
    (r"ikan|nelayan", "pertanian.perikanan"),
    (
        r"pupuk|benih|\btani\b|\bpangan\b|hortikultura|urban farming|tabulampot",
        "pertanian.pupuk-benih",
    ),
    (r"umkm|usaha|koperasi|inkubasi|bpum|coworking", "ekonomi.umkm"),
    (r"pasar|toko|operasi pasar|perekonomian|gudang", "ekonomi.perdagangan"),
    (r"masjid|musholla|modin|mudin|umat beragama|ibadah", "agama.rumah-ibadah"),
    (r"wisata|kebun binatang|perahu|ssct|tunjungan", "pariwisata.wisata"),
    (r"cagar budaya|budaya|perpustakaan|rumah bahasa", "pariwisata.budaya"),
    (
        r"olahraga|stadion|lapangan|gelanggang|futsal|dispora|balai pemuda|pemuda",
        "pariwisata.olahraga",
    ),
    (r"cpns|pppk", "kepegawaian.rekrutmen"),
    (r"pensiun|cuti|mutasi|promosi|pangkat", "kepegawaian.karier"),
    (r"disiplin|kinerja|oknum|pns", "kepegawaian.disiplin"),
    (r"rt/rw|\brt\b|\brw\b|lpmk|kader|kampung tangguh|gapura", "pemerintahan.rt-rw"),
    (r"batas wilayah|kewilayahan", "pemerintahan.batas-wilayah"),
    (r"dana kelurahan|dakel|musrenbang", "pemerintahan.dana-desa"),
    (r"pengadaan|lelang", "pemerintahan.pengadaan"),
    (
        r"perda|perwali|jdih|profil kota|kelembagaan|organisasi|kerjasama|hukum",
        "pemerintahan.regulasi",
    ),
    (
        r"sikap petugas|respons petugas|petugas|loket|jam kerja|pelayanan",
        "pelayanan-publik.sikap-petugas",
    ),
    (r"surat|legalisir|ahli waris|domisili|keterangan|skm", "perizinan.non-perizinan"),
)

FALLBACK_BY_KIND = {
    "fisik": "infrastruktur.fasilitas-umum",
    "administratif": "pelayanan-publik.prosedur",
}
FALLBACK = "lainnya.umum"

_COMPILED = tuple((re.compile(pattern), code) for pattern, code in RULES)


def national_category_for(name: str, kind: str = "") -> str:
    """The national category code a local topic belongs under."""
    text = " ".join(name.lower().split())
    for pattern, code in _COMPILED:
        if pattern.search(text):
            return code
    return FALLBACK_BY_KIND.get(kind.strip().lower(), FALLBACK)


def all_targets() -> set[str]:
    """Every code the mapping can return (checked against categories.csv by the tests)."""
    codes = {code for _, code in RULES}
    return codes | set(FALLBACK_BY_KIND.values()) | {FALLBACK}
