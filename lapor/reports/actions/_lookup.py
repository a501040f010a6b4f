"""Look-ups the action handlers share (organisations, units, categories, reports by ID)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lapor.agencies.models import Agency, Category, Unit
from lapor.core.errors import NotFound

from ..models import Report
from ..selectors import tracking_id_parse
from .base import Ctx


def agency(ctx: Ctx, name: str, code: str | None, *, required: bool) -> Agency | None:
    if not code:
        if required:
            ctx.err(name, _("Wajib diisi."))
        return None
    found = Agency.objects.filter(code=str(code)).first()
    if found is None:
        ctx.err(name, _("Instansi %(code)s tidak dikenal.") % {"code": code})
    return found


def category(ctx: Ctx, name: str, code: str | None) -> Category | None:
    if not code:
        return None
    found = Category.objects.filter(code=str(code)).first()
    if found is None:
        ctx.err(name, _("Kategori %(code)s tidak dikenal.") % {"code": code})
    return found


def inspectorate_of(agency: Agency) -> Unit | None:
    """The organisation's inspectorate unit (it handles whistle-blowing reports)."""
    return Unit.objects.filter(agency=agency, is_inspectorate=True, is_active=True).first()


def report_by_tracking_id(raw: str) -> Report | None:
    try:
        return Report.objects.filter(tracking_id=tracking_id_parse(str(raw))).first()
    except NotFound:
        return None
