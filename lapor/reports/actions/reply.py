"""`reply`: the reporter answers. After a follow-up (agreeing or disputing it) the organisation
gets a further follow-up step; before verification it gives the information asked for (the
clocks resume); otherwise it adds information to the report."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from ..choices import Status
from .base import ActionIn, ActionSpec, Change, Ctx


class ReplyIn(ActionIn):
    content: str | None = Field(None, description="the reporter's message")
    disputes: bool = Field(False, description="true: the reporter disputes the follow-up")


def handle(ctx: Ctx, body: ReplyIn) -> Change:
    report = ctx.report
    content = ctx.text("content", body.content, required=True)
    if body.disputes and report.status != Status.RESPONDED:
        ctx.err("disputes", _("Sanggahan hanya dapat diajukan atas jawaban instansi."))
    if report.status == Status.RESPONDED:
        variant = "after_response"
    elif report.status == Status.SUBMITTED and report.is_postponed:
        variant = "provides_info"
    else:
        variant = "while_open"
    return Change(
        variant=variant,
        event={"text": content, "reason_code": "dispute" if body.disputes else ""},
        data={"disputes": body.disputes},
    )


SPEC = ActionSpec(
    name=workflow.Act.REPLY,
    schema=ReplyIn,
    policy=policy.Action.REPORT_REPLY,
    handle=handle,
    label=gettext_lazy("Balas atau sanggah"),
    reporter_action=True,
)
