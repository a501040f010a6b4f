"""`assign`: an officer of the responsible organisation (covering the report's unit) takes the
report on. Internal: no clock moves."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from .base import ActionIn, ActionSpec, Change, Ctx, Int


class AssignIn(ActionIn):
    user: Int | None = Field(
        None,
        description="id of an officer of the responsible organisation (default: the caller, "
        "who takes the report on)",
    )


def handle(ctx: Ctx, body: AssignIn) -> Change:
    from lapor.accounts.selectors import officers_for_assignment

    officer = None
    wanted = body.user if body.user is not None else getattr(ctx.user, "pk", None)
    if wanted is None:
        ctx.err("user", _("Wajib diisi."))
    else:
        officer = (
            officers_for_assignment(agency=ctx.report.agency, unit=ctx.report.unit)
            .filter(pk=wanted)
            .first()
        )
        if officer is None:
            ctx.err("user", _("Petugas tidak ditemukan di instansi ini."))
    return Change(
        fields={"assigned_to": officer}, data={"assigned_to": officer.pk if officer else None}
    )


SPEC = ActionSpec(
    name=workflow.Act.ASSIGN,
    schema=AssignIn,
    policy=policy.Action.REPORT_ASSIGN,
    handle=handle,
    label=gettext_lazy("Penugasan"),
)
