from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyType(models.TextChoices):
    KEMENTERIAN = "kementerian", _("Kementerian")
    LEMBAGA = "lembaga", _("Lembaga")
    PROVINSI = "provinsi", _("Pemerintah provinsi")
    KABUPATEN = "kabupaten", _("Pemerintah kabupaten")
    KOTA = "kota", _("Pemerintah kota")
    BUMN = "bumn", _("BUMN")
    BUMD = "bumd", _("BUMD")
    PERGURUAN_TINGGI = "perguruan_tinggi", _("Perguruan tinggi negeri")
    PERWAKILAN = "perwakilan", _("Perwakilan RI")


REGIONAL_TYPES = frozenset({AgencyType.PROVINSI, AgencyType.KABUPATEN, AgencyType.KOTA})


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN_KOTA = 2, _("Kabupaten/kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA_KELURAHAN = 4, _("Desa/kelurahan")
