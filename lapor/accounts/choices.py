from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REPORTER = "reporter", _("Pelapor")
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    AGENCY_ADMIN = "agency_admin", _("Admin instansi")
    UNIT_ADMIN = "unit_admin", _("Admin unit kerja")
    LIAISON_OFFICER = "liaison_officer", _("Pejabat penghubung")
    DEVELOPER = "developer", _("Pengembang")
    EVALUATOR = "evaluator", _("Evaluator")


OFFICER_ROLES = frozenset({Role.AGENCY_ADMIN, Role.UNIT_ADMIN, Role.LIAISON_OFFICER})
