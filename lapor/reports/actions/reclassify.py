"""`reclassify`: the completion class changes, with a reason; the running completion deadline is
computed again from the receipt (a lateness already recorded stays recorded)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy
from lapor.deadlines import sla

from .. import workflow
from .base import ActionIn, ActionSpec, Change, Ctx


class ReclassifyIn(ActionIn):
    sla_class: str | None = Field(
        None, description="information_request (5) | complaint (14) | misconduct (60)"
    )
    reason: str | None = Field(None, description="why")


def handle(ctx: Ctx, body: ReclassifyIn) -> Change:
    reason = ctx.text("reason", body.reason, required=True)
    if body.sla_class not in sla.SLA_CLASSES:
        ctx.err(
            "sla_class",
            _("Kelas tidak dikenal; pilih salah satu: %(values)s.")
            % {"values": ", ".join(sla.SLA_CLASSES)},
        )
    elif body.sla_class == ctx.report.sla_class:
        ctx.err("sla_class", _("Laporan sudah berada di kelas ini."))
    return Change(
        fields={"sla_class": body.sla_class},
        sla_class=body.sla_class,
        event={"text": reason},
        data={"sla_class_from": ctx.report.sla_class, "sla_class_to": body.sla_class},
    )


SPEC = ActionSpec(
    name=workflow.Act.RECLASSIFY,
    schema=ReclassifyIn,
    policy=policy.Action.REPORT_RECLASSIFY,
    handle=handle,
    label=gettext_lazy("Ubah kelas penyelesaian"),
    help=gettext_lazy(
        "Permintaan informasi 5, pengaduan 14, pengaduan berkadar pengawasan 60 hari kerja sejak "
        "instansi menerima laporan."
    ),
)
