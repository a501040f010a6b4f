"""`extend`: one step's deadline, once, by at most its original length, with a public reason."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy
from lapor.deadlines import sla

from .. import clock, workflow
from .base import ActionIn, ActionSpec, Change, Ctx, Int


class ExtendIn(ActionIn):
    reason: str | None = Field(None, description="the public reason")
    step: str | None = Field(
        None,
        description="first_response | completion | follow_up (default: the nearest running one)",
    )
    working_days: Int | None = Field(
        None, description="at most the step's original length (the default)"
    )


def _extendable(ctx: Ctx) -> list[str]:
    """The running steps of the organisation not yet extended, nearest due time first."""
    assert ctx.book is not None
    rows = sorted(ctx.book.live(), key=lambda r: r.due_at)
    return [r.step for r in rows if r.step in workflow.AGENCY_STEPS and not r.extended_days]


def available(ctx: Ctx) -> bool:
    return any(
        r.step in workflow.AGENCY_STEPS and not r.extended_days for r in clock.running(ctx.report)
    )


def handle(ctx: Ctx, body: ExtendIn) -> Change:
    reason = ctx.text("reason", body.reason, required=True)
    candidates = _extendable(ctx)
    step = body.step or (candidates[0] if candidates else "")
    if step not in candidates:
        ctx.err(
            "step",
            _("Tahap ini tidak berjalan atau sudah diperpanjang; yang dapat: %(steps)s.")
            % {"steps": ", ".join(candidates) or "—"},
        )
        return Change()
    original = clock.rule_days(ctx.report, step)
    days = original if body.working_days is None else body.working_days
    check = sla.extension_allowed(
        original_days=original, requested_days=days, extensions_used=0, reason=reason or "x"
    )
    if not check.allowed:
        ctx.err(
            "working_days",
            _("Perpanjangan 1 sampai %(n)d hari kerja (panjang tenggat semula).") % {"n": original},
        )
        return Change()
    return Change(
        extend=(step, days, reason),
        event={"text": reason},
        data={"step": step, "extension_days": days},
    )


SPEC = ActionSpec(
    name=workflow.Act.EXTEND,
    schema=ExtendIn,
    policy=policy.Action.REPORT_EXTEND,
    handle=handle,
    label=gettext_lazy("Perpanjang batas waktu (sekali per tahap)"),
    help=gettext_lazy(
        "Sekali untuk setiap tahap, paling lama sepanjang tenggat semula (misalnya 14 hari kerja "
        "untuk penyelesaian pengaduan), dengan alasan yang ditampilkan kepada publik."
    ),
    available=available,
)
