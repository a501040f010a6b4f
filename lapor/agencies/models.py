"""The national registry: organisations (instansi), their units, regions and report topics."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.core.models import TimeStampedModel

from .choices import AgencyType, RegionLevel


class Region(models.Model):
    """A Kemendagri region: province → regency/city → district → village (dotted code)."""

    code = models.CharField(max_length=13, primary_key=True, help_text="e.g. 35, 35.78, 35.78.01")
    name = models.CharField(max_length=150, db_index=True)
    level = models.PositiveSmallIntegerField(choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(
        max_length=16, help_text="provinsi, kabupaten, kota, kecamatan, desa, …"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Agency(TimeStampedModel):
    """A top-level organisation connected to SP4N-LAPOR! (ministry, agency, regional government …).

    Regional governments use their Kemendagri code (`35`, `35.78`); central organisations a
    lowercase slug (`kemenkes`, `bpjs-kesehatan`).
    """

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("nama"), max_length=255, db_index=True)
    short_name = models.CharField(_("singkatan"), max_length=64, blank=True)
    type = models.CharField(max_length=20, choices=AgencyType.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies"
    )
    is_connected = models.BooleanField(default=True, db_index=True)
    connected_on = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.short_name or self.name


class Unit(TimeStampedModel):
    """A work unit (unit kerja / OPD) in a tree under its agency; codes unique within the agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(
        max_length=1000,
        db_index=True,
        help_text="materialised path of unit codes from the root, '/'-separated, ending in '/'",
    )
    is_active = models.BooleanField(default=True)
    is_inspectorate = models.BooleanField(
        default=False,
        help_text="the organisation's inspectorate (inspektorat): handles whistle-blowing reports",
    )

    class Meta:
        ordering = ["agency", "path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="uniq_unit_code_per_agency")
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A report topic; `valid_from`/`valid_to` keep history when the taxonomy changes."""

    code = models.CharField(max_length=64, unique=True)
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="categories",
        help_text="set for an organisation's own topics mapped under the national tree",
    )
    sort_order = models.PositiveIntegerField(default=0)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_id
