from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Hari libur tambahan")  # a working day made a day off by decree
    WORKING_DAY = "working_day", _("Hari kerja pengganti")  # a day off made a working day


class SlaStep(models.TextChoices):
    VERIFICATION = "verification", _("Verifikasi")
    FIRST_RESPONSE = "first_response", _("Tanggapan pertama")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")
    CLOSING = "closing", _("Penutupan tanpa balasan")
    ESCALATION = "escalation", _("Eskalasi ke Ombudsman")


class SlaClass(models.TextChoices):
    SIMPLE = "simple", _("Sederhana")
    DISPUTE = "dispute", _("Sengketa tanpa pemeriksaan lapangan")
    FIELD_CHECK = "field_check", _("Perlu pemeriksaan lapangan")
