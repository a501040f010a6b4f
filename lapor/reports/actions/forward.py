"""`forward` (bukan wewenang): to another organisation, which receives the report (its clocks
start anew, the bounce is counted), or back to the national queue."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from . import _lookup
from .base import ActionIn, ActionSpec, Change, Ctx


class ForwardIn(ActionIn):
    agency: str | None = Field(None, description="another organisation, or none: back to national")
    reason: str | None = Field(None, description="why it is not this organisation's authority")


def handle(ctx: Ctx, body: ForwardIn) -> Change:
    report = ctx.report
    agency = _lookup.agency(ctx, "agency", body.agency, required=False)
    reason = ctx.text("reason", body.reason, required=True)
    if agency is not None and agency.pk == report.agency_id:
        ctx.err("agency", _("Laporan sudah berada di instansi ini."))
    if body.agency:
        count = report.forward_count + 1
        fields = {
            "agency": agency,
            "unit": None,
            "assigned_to": None,
            "received_at": ctx.now,
            "forward_count": count,
        }
        if report.verified_at is None:
            fields["verified_at"] = ctx.now
        return Change(
            variant="to_agency",
            fields=fields,
            event={"text": reason, "reason_code": "bukan_wewenang"},
            data={"received": True, "forward_count": count, "bounce": count > 1,
                  "sla_class": report.sla_class},
        )  # fmt: skip
    # back to the national queue (the organisation the reporter chose no longer holds it)
    return Change(
        variant="to_national",
        fields={
            "agency": None,
            "unit": None,
            "assigned_to": None,
            "received_at": None,
            "requested_agency": None,
        },
        event={"text": reason, "reason_code": "bukan_wewenang"},
    )


SPEC = ActionSpec(
    name=workflow.Act.FORWARD,
    schema=ForwardIn,
    policy=policy.Action.REPORT_FORWARD,
    handle=handle,
    label=gettext_lazy("Bukan wewenang: teruskan"),
    help=gettext_lazy(
        "Instansi penerima mendapat batas waktu baru; penerusan dicatat dan dihitung."
    ),
)
