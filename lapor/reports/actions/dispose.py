"""`dispose` (disposisi): down the unit tree of the responsible organisation. Internal routing:
no clock moves (workflow table)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy
from lapor.agencies.models import Unit

from .. import workflow
from .base import ActionIn, ActionSpec, Change, Ctx


class DisposeIn(ActionIn):
    unit: str | None = Field(None, description="unit code, down the unit tree")


def handle(ctx: Ctx, body: DisposeIn) -> Change:
    report = ctx.report
    unit = None
    if not body.unit:
        ctx.err("unit", _("Wajib diisi."))
    else:
        unit = Unit.objects.filter(agency=report.agency, code=body.unit, is_active=True).first()
        if unit is None:
            ctx.err(
                "unit",
                _("Unit %(code)s tidak ada di instansi yang bertanggung jawab.")
                % {"code": body.unit},
            )
        elif not ctx.system and not policy.may_dispose_to(ctx.actor, ctx.target, unit.path):
            ctx.err("unit", _("Disposisi hanya ke bawah dalam pohon unit Anda."))
    return Change(fields={"unit": unit}, event={"to_unit": unit})


SPEC = ActionSpec(
    name=workflow.Act.DISPOSE,
    schema=DisposeIn,
    policy=policy.Action.REPORT_DISPOSE,
    handle=handle,
    label=gettext_lazy("Disposisi ke unit kerja"),
    help=gettext_lazy("Disposisi internal tidak mengubah batas waktu instansi."),
    available=lambda ctx: ctx.report.agency_id is not None,
)
