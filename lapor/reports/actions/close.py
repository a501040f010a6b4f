"""`close`: the reporter accepts the follow-up (the system does it at the end of the closing
period: `system.AUTO_CLOSE`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from .base import ActionIn, ActionSpec, Change, Ctx


class CloseIn(ActionIn):
    note: str | None = Field(None, description="optional note")


def handle(ctx: Ctx, body: CloseIn) -> Change:
    note = ctx.text("note", body.note, required=False)
    return Change(fields={"closed_at": ctx.now}, event={"text": note})


SPEC = ActionSpec(
    name=workflow.Act.CLOSE,
    schema=CloseIn,
    policy=policy.Action.REPORT_CLOSE,
    handle=handle,
    label=gettext_lazy("Tutup laporan (selesai)"),
    reporter_action=True,
)
