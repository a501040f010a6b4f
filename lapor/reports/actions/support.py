"""`support` (dukung): a signed-in user other than the reporter supports a public report, once.
Kept outside the timeline (a popular report would otherwise serialise every supporter)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.accounts import policy
from lapor.core.errors import Conflict, PermissionDenied

from .. import workflow
from ..models import Report, Support
from ..selectors import report_target
from .base import ActionIn, ActionSpec


class SupportIn(ActionIn):
    pass


def report_support(*, report: Report, user: Any, actor: policy.Actor) -> Report:
    """Record the support; 403 for a visitor or the reporter, 409 the second time."""
    if user is None:
        raise PermissionDenied(_("Masuk terlebih dahulu untuk mendukung laporan."))
    if not policy.can(actor, policy.Action.REPORT_SUPPORT, report_target(report)):
        raise PermissionDenied(_("Anda tidak dapat mendukung laporan ini."))
    try:
        with transaction.atomic():
            Support.objects.create(report=report, user=user)
            Report.objects.filter(pk=report.pk).update(supports_count=F("supports_count") + 1)
    except IntegrityError:  # the unique (report, user) constraint: once per user
        raise Conflict(_("Anda sudah mendukung laporan ini.")) from None
    report.refresh_from_db(fields=["supports_count"])
    return report


SPEC = ActionSpec(
    name=workflow.Act.SUPPORT,
    schema=SupportIn,
    policy=policy.Action.REPORT_SUPPORT,
    label=gettext_lazy("Dukung laporan ini"),
    direct=report_support,
)
