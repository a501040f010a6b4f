"""Saved replies for Kota Surabaya (agency 35.78), for the demo. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lapor.agencies.models import Agency
from lapor.routing.models import ReplyTemplate

SURABAYA = "35.78"

TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "Laporan diterima dan diteruskan",
        "Yth. Bapak/Ibu, terima kasih atas laporan Anda. Laporan telah kami teruskan kepada "
        "perangkat daerah yang berwenang dan akan ditindaklanjuti paling lambat 5 hari kerja. "
        "Perkembangannya dapat Anda pantau dengan nomor pelacakan laporan.",
    ),
    (
        "Pengecekan lapangan dijadwalkan",
        "Yth. Bapak/Ibu, petugas kami akan melakukan pengecekan ke lokasi yang Anda laporkan "
        "pada [tanggal]. Hasil pengecekan dan langkah penanganannya akan kami sampaikan "
        "melalui kanal ini. Terima kasih atas kepeduliannya.",
    ),
    (
        "Penerangan jalan umum telah diperbaiki",
        "Yth. Bapak/Ibu, lampu penerangan jalan umum di [lokasi] telah diperbaiki oleh tim "
        "UPTD Penerangan Jalan pada [tanggal]. Apabila lampu kembali padam, mohon laporkan "
        "kembali dengan menyebutkan nomor tiang.",
    ),
    (
        "Saluran dan genangan air",
        "Yth. Bapak/Ibu, berdasarkan survei lapangan di [lokasi], pembersihan sedimen saluran "
        "dilakukan pada [tanggal] oleh Dinas Sumber Daya Air dan Bina Marga. Normalisasi "
        "saluran akan diusulkan dalam program tahun anggaran berikutnya.",
    ),
    (
        "Mohon kelengkapan data",
        "Yth. Bapak/Ibu, agar laporan dapat kami tindak lanjuti, mohon lengkapi alamat "
        "lengkap lokasi (jalan, RT/RW, kelurahan) dan foto kondisi terkini. Laporan akan "
        "kami proses setelah data diterima.",
    ),
)


class Command(BaseCommand):
    help = "Create a few saved replies for Kota Surabaya (35.78), if that organisation exists."

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=SURABAYA).first()
        if agency is None:
            self.stdout.write(f"Organisation {SURABAYA} not found: no saved replies created.")
            return
        created = 0
        for title, body in TEMPLATES:
            _template, was_created = ReplyTemplate.objects.get_or_create(
                agency=agency, title=title, defaults={"body": body}
            )
            created += int(was_created)
        self.stdout.write(
            f"Saved replies for {agency}: {created} created, {len(TEMPLATES)} in all."
        )
