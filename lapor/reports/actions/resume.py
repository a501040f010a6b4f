"""`resume`: the postponement ends; due times move by the paused working days."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from .base import ActionIn, ActionSpec, Change, Ctx


class ResumeIn(ActionIn):
    note: str | None = Field(None, description="optional note")


def handle(ctx: Ctx, body: ResumeIn) -> Change:
    note = ctx.text("note", body.note, required=False)
    return Change(
        fields={"postpone_reason": "", "postponed_until": None, "paused_at": None},
        event={"text": note},
    )


SPEC = ActionSpec(
    name=workflow.Act.RESUME,
    schema=ResumeIn,
    policy=policy.Action.REPORT_POSTPONE,
    handle=handle,
    label=gettext_lazy("Lanjutkan penanganan"),
    available=lambda ctx: ctx.report.is_postponed,
)
