from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportType(models.TextChoices):
    PENGADUAN = "pengaduan", _("Pengaduan")
    ASPIRASI = "aspirasi", _("Aspirasi")
    PERMINTAAN_INFORMASI = "permintaan_informasi", _("Permintaan informasi")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Belum terverifikasi")
    DISPOSED = "disposed", _("Belum ditindaklanjuti")
    IN_PROGRESS = "in_progress", _("Proses")
    RESPONDED = "responded", _("Ditanggapi")
    CLOSED = "closed", _("Selesai")
    ARCHIVED = "archived", _("Arsip")
    ESCALATED = "escalated", _("Dieskalasi")


OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.DISPOSED, Status.IN_PROGRESS, Status.RESPONDED})


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    MOBILE = "mobile", _("Aplikasi seluler")
    SMS = "sms", _("SMS 1708")
    SOCIAL = "social", _("Media sosial")
    EMAIL = "email", _("Surel")
    WALK_IN = "walk_in", _("Datang langsung")
    INTEGRATION = "integration", _("Aplikasi terintegrasi")


class SlaState(models.TextChoices):
    ON_TIME = "on_time", _("Tepat waktu")
    NEAR_DUE = "near_due", _("Mendekati batas")
    LATE = "late", _("Terlambat")


class ArchiveReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Di luar kewenangan pelayanan publik")
    UNCLEAR = "unclear", _("Tidak jelas")
    TOO_GENERAL = "too_general", _("Terlalu umum")
    DUPLICATE = "duplicate", _("Duplikat laporan lain")
