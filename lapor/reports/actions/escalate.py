"""`escalate`: a referral to the Ombudsman, a recorded step on an open report. The reporter asks
for it (their own action is the consent) once the completion deadline passed without completion
or after disputing the follow-up; the national admin records a referral made outside the system
only with the reporter's request attached. The report stays open and the organisation's."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import clock, workflow
from ..choices import PrivacyConsent
from ..models import Event
from ._files import keep_files
from .base import ActionIn, ActionSpec, Change, Ctx


class EscalateIn(ActionIn):
    to: Literal["ombudsman"] = Field("ombudsman", description="ombudsman")
    note: str | None = Field(None, description="optional note")


def disputed(ctx: Ctx) -> bool:
    return Event.objects.filter(report=ctx.report, action="reply", reason_code="dispute").exists()


def available(ctx: Ctx) -> bool:
    if ctx.report.referred_to_ombudsman_at is not None:
        return False
    if ctx.is_reporter:
        return clock.referral_allowed(ctx.report, ctx.now, disputed=disputed(ctx))
    return True


def handle(ctx: Ctx, body: EscalateIn) -> Change:
    note = ctx.text("note", body.note, required=False)
    change = Change(fields={"referred_to_ombudsman_at": ctx.now}, event={"text": note,
                    "reason_code": body.to})  # fmt: skip
    if ctx.is_reporter:
        change.data.update(to=body.to, consent=PrivacyConsent.REPORTER)
        return change
    digests = keep_files(ctx, change)
    if not digests and not ctx.errors:
        ctx.err(
            "attachments",
            _("Lampirkan permintaan pelapor: rujukan tanpa persetujuan pelapor tidak dicatat."),
        )
    change.data.update(to=body.to, consent=PrivacyConsent.REQUEST_ATTACHED, request_sha256=digests)
    return change


SPEC = ActionSpec(
    name=workflow.Act.ESCALATE,
    schema=EscalateIn,
    policy=policy.Action.REPORT_ESCALATE,
    handle=handle,
    label=gettext_lazy("Rujuk ke Ombudsman RI"),
    help=gettext_lazy(
        "Laporan tetap terbuka dan tetap menjadi tanggung jawab instansi sampai selesai."
    ),
    available=available,
    files=True,
    reporter_action=True,
)
