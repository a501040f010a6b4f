"""`postpone` (tunda): the clocks pause, with a reason, for a bounded time. Before verification
it asks the reporter for more information: their reply resumes it, no reply in time archives it
as incomplete (`system.AUTO_ARCHIVE`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy
from lapor.deadlines.workdays import add_working_days

from .. import clock, workflow
from ..choices import Status
from .base import ActionIn, ActionSpec, Change, Ctx


class PostponeIn(ActionIn):
    reason: str | None = Field(
        None, description="why (before verification: the information asked of the reporter)"
    )
    until: date | None = Field(
        None, description="resume on this day (at most the longest postponement; default)"
    )


def longest_until(today: date) -> date:
    return add_working_days(today, clock.max_postpone_days(), clock.calendar())


def handle(ctx: Ctx, body: PostponeIn) -> Change:
    reason = ctx.text("reason", body.reason, required=True)
    today = timezone.localtime(ctx.now).date()
    limit = longest_until(today)
    until = body.until
    if until is not None and until <= today:
        ctx.err("until", _("Tanggal harus setelah hari ini."))
    elif until is not None and until > limit:
        ctx.err(
            "until",
            _("Penundaan paling lama %(n)d hari kerja (sampai %(day)s).")
            % {"n": clock.max_postpone_days(), "day": limit.isoformat()},
        )
    info = ctx.report.status == Status.SUBMITTED
    fields = {
        "is_postponed": True,
        "postpone_reason": reason,
        # the information request ends with the reporter's reply or its own deadline
        "postponed_until": None if info else (until or limit),
        "paused_at": ctx.now,
    }
    data = {"until": None if info else (until or limit).isoformat(), "request_info": info}
    return Change(variant="request_info" if info else "", fields=fields,
                  event={"text": reason}, data=data)  # fmt: skip


SPEC = ActionSpec(
    name=workflow.Act.POSTPONE,
    schema=PostponeIn,
    policy=policy.Action.REPORT_POSTPONE,
    handle=handle,
    label=gettext_lazy("Tunda"),
    help=gettext_lazy(
        "Batas waktu berhenti selama penundaan. Sebelum verifikasi: minta pelapor melengkapi "
        "informasi; tanpa balasan dalam batas waktunya laporan diarsipkan."
    ),
    available=lambda ctx: not ctx.report.is_postponed,
)
