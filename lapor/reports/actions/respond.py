"""`respond` (tindak lanjut): the organisation answers the reporter. A final answer (the default)
completes the report's steps and gives the reporter the closing period to react; an interim
answer (`interim: true`) is a first follow-up while the work goes on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from ._files import keep_files
from .base import ActionIn, ActionSpec, Change, Ctx


class RespondIn(ActionIn):
    content: str | None = Field(None, description="the answer (at least 10 characters)")
    interim: bool = Field(
        False, description="true: a first answer while the work goes on (not the completion)"
    )


def handle(ctx: Ctx, body: RespondIn) -> Change:
    content = ctx.text("content", body.content, required=True, min_len=10)
    fields: dict[str, object] = {}
    if ctx.report.first_response_at is None:
        fields["first_response_at"] = ctx.now
    if not body.interim:
        fields["responded_at"] = ctx.now
    change = Change(
        variant="interim" if body.interim else "final",
        fields=fields,
        event={"text": content},
        data={"interim": body.interim},
    )
    keep_files(ctx, change)
    return change


SPEC = ActionSpec(
    name=workflow.Act.RESPOND,
    schema=RespondIn,
    policy=policy.Action.REPORT_RESPOND,
    handle=handle,
    label=gettext_lazy("Tindak lanjut (jawaban kepada pelapor)"),
    help=gettext_lazy(
        "Kebijakan nasional meminta jawaban yang substantif, bukan jawaban templat: sesuaikan "
        "isi templat dengan laporan ini."
    ),
    files=True,
)
