from django.db import models
from django.utils.translation import gettext_lazy as _

# the outbox topic published when the working calendar changes (reports recompute deadlines)
CALENDAR_CHANGED = "calendar.changed"


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Hari libur tambahan")  # a working day made a day off by decree
    WORKING_DAY = "working_day", _("Hari kerja pengganti")  # a day off made a working day


class SlaStep(models.TextChoices):
    """Same values as `lapor.deadlines.sla.Step`."""

    VERIFICATION = "verification", _("Verifikasi")
    FIRST_RESPONSE = "first_response", _("Tindak lanjut pertama")
    COMPLETION = "completion", _("Penyelesaian")
    FOLLOW_UP = "follow_up", _("Tindak lanjut atas balasan pelapor")
    CLOSING = "closing", _("Waktu pelapor menanggapi")
    INFO_REQUEST = "info_request", _("Waktu pelapor melengkapi informasi")
    ESCALATION = "escalation", _("Eskalasi (hanya versi 1)")


class SlaClass(models.TextChoices):
    """Completion classes of PermenPANRB 62/2018 (same values as `sla.SLA_CLASSES`)."""

    INFORMATION_REQUEST = "information_request", _("Permintaan informasi (5 hari kerja)")
    COMPLAINT = "complaint", _("Pengaduan (14 hari kerja)")
    MISCONDUCT = "misconduct", _("Pengaduan berkadar pengawasan (60 hari kerja)")
