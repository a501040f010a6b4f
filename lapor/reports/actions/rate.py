"""`rate`: the reporter scores the follow-up (1–5), once."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from .base import ActionIn, ActionSpec, Change, Ctx, Int


class RateIn(ActionIn):
    score: Int | None = Field(None, description="1–5")
    comment: str | None = Field(None, description="optional comment")


def handle(ctx: Ctx, body: RateIn) -> Change:
    comment = ctx.text("comment", body.comment, required=False, max_len=2000)
    if body.score is None or not 1 <= body.score <= 5:
        ctx.err("score", _("Nilai harus bilangan bulat 1 sampai 5."))
    return Change(
        fields={"rating": body.score, "rating_comment": comment},
        event={"text": comment},
        data={"score": body.score},
    )


SPEC = ActionSpec(
    name=workflow.Act.RATE,
    schema=RateIn,
    policy=policy.Action.REPORT_RATE,
    handle=handle,
    label=gettext_lazy("Beri nilai jawaban"),
    available=lambda ctx: ctx.report.responded_at is not None and ctx.report.rating is None,
    reporter_action=True,
)
