"""`note`: an internal note on the timeline, never shown to the reporter or the public."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from .base import ActionIn, ActionSpec, Change, Ctx


class NoteIn(ActionIn):
    text: str | None = Field(None, description="the note")


def handle(ctx: Ctx, body: NoteIn) -> Change:
    return Change(event={"text": ctx.text("text", body.text, required=True)})


SPEC = ActionSpec(
    name=workflow.Act.NOTE,
    schema=NoteIn,
    policy=policy.Action.REPORT_NOTE,
    handle=handle,
    label=gettext_lazy("Catatan internal"),
    help=gettext_lazy("Tidak pernah ditampilkan kepada pelapor atau publik."),
)
