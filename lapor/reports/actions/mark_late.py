"""`mark_late` (system): one step's due time passed without it; a `became_late` event records
it once. The step stays late whatever happens later."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from ..models import ReportClock
from .base import ActionIn, ActionSpec, Change, Ctx


class MarkLateIn(ActionIn):
    step: str | None = Field(None, description="the step whose due time passed")


def _overdue(ctx: Ctx, step: str | None) -> ReportClock | None:
    assert ctx.book is not None
    return next(
        (
            r
            for r in ctx.book.live()
            if r.step == step
            and r.step in workflow.LATE_STEPS
            and r.late_at is None
            and r.paused_at is None
            and r.due_at < ctx.now
        ),
        None,
    )


def handle(ctx: Ctx, body: MarkLateIn) -> Change:
    row = _overdue(ctx, body.step)
    if row is None:
        raise ctx.conflict("not late, paused, or already marked")
    assert ctx.book is not None
    ctx.book.mark_late(row)
    due = timezone.localtime(row.due_at).isoformat()
    return Change(data={"step": body.step, "due": due}, event_action="became_late")


SPEC = ActionSpec(
    name=workflow.Act.MARK_LATE,
    schema=MarkLateIn,
    policy=policy.Action.REPORT_VIEW,
    handle=handle,
    label=gettext_lazy("Terlambat"),
)
