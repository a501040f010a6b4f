from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """Which reports a row of the aggregate tables counts."""

    PUBLIC = "public", _("Publik (tanpa laporan rahasia)")
    ALL = "all", _("Semua (internal)")
