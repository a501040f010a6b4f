"""Labelled choices of the reports app. The values come from the pure workflow table
(`workflow.St`, `workflow.Official`, `workflow.End`); a test checks they agree. The steps of a
report's clocks are the ladder's: `lapor.deadlines.choices.SlaStep`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import workflow


class ReportType(models.TextChoices):
    PENGADUAN = "pengaduan", _("Pengaduan")
    ASPIRASI = "aspirasi", _("Aspirasi")
    PERMINTAAN_INFORMASI = "permintaan_informasi", _("Permintaan informasi")
    # admin-side only: set at verification, handled by the national admin and the inspectorate
    WHISTLEBLOWING = "whistleblowing", _("Pengaduan pelanggaran (whistle-blowing)")


CITIZEN_TYPES = (ReportType.PENGADUAN, ReportType.ASPIRASI, ReportType.PERMINTAAN_INFORMASI)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Belum terverifikasi")
    DISPOSED = "disposed", _("Belum ditindaklanjuti")
    IN_PROGRESS = "in_progress", _("Proses")
    RESPONDED = "responded", _("Ditanggapi")
    CLOSED = "closed", _("Selesai")
    ARCHIVED = "archived", _("Arsip")


OPEN_STATUSES = workflow.OPEN


class OfficialStatus(models.TextChoices):
    BELUM_TERVERIFIKASI = "belum_terverifikasi", _("Belum Terverifikasi")
    BELUM_DITINDAKLANJUTI = "belum_ditindaklanjuti", _("Belum Ditindaklanjuti")
    PROSES = "proses", _("Proses")
    SELESAI = "selesai", _("Selesai")
    TUNDA = "tunda", _("Tunda")
    ARSIP = "arsip", _("Arsip")


class ClockEnd(models.TextChoices):
    MET = "met", _("Terpenuhi")
    FORWARDED = "forwarded", _("Diteruskan ke instansi lain")
    RETURNED = "returned", _("Dikembalikan ke admin nasional")
    ARCHIVED = "archived", _("Diarsipkan")
    CLOSED = "closed", _("Ditutup")
    SUPERSEDED = "superseded", _("Digantikan tahap berikutnya")


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


class ArchiveCode(models.TextChoices):
    """Archive reason codes the system itself relies on; the list officials edit is the
    `ArchiveReason` table (seeded with these and the others of domain.md §3)."""

    DUPLICATE = "duplicate", _("Duplikat laporan lain")
    UNCLEAR = "unclear", _("Tidak jelas atau tidak lengkap")


class PrivacyConsent(models.TextChoices):
    """How a referral or a lowered privacy flag was consented to (recorded in the event)."""

    REPORTER = "reporter", _("Tindakan pelapor sendiri")
    REQUEST_ATTACHED = "reporter_request_attached", _("Permintaan pelapor terlampir")
