"""Actions only the system takes (from the sweeps in `lapor.reports.sweeps`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import clock, workflow
from ..choices import ArchiveCode, Status
from .base import ActionIn, ActionSpec, Change, Ctx


class SystemIn(ActionIn):
    reason: str | None = Field(None, description="the calendar change, for a recomputation")


def _auto_close(ctx: Ctx, body: SystemIn) -> Change:
    return Change(
        fields={"closed_at": ctx.now}, event={"reason_code": "no_reply"}, event_action="close"
    )


def _auto_archive(ctx: Ctx, body: SystemIn) -> Change:
    return Change(
        fields={"archived_at": ctx.now, "archive_reason": ArchiveCode.UNCLEAR},
        event={"reason_code": ArchiveCode.UNCLEAR, "text": body.reason or ""},
        data={"info_request_expired": True},
        event_action="archive",
    )


def _recompute(ctx: Ctx, body: SystemIn) -> Change:
    return Change(event={"text": body.reason or ""})


def _info_request_expired(ctx: Ctx) -> bool:
    """The reporter did not give the information asked for before its due time."""
    row = next((r for r in clock.running(ctx.report) if r.step == workflow.Step.INFO_REQUEST), None)
    return ctx.report.status == Status.SUBMITTED and row is not None and row.due_at < ctx.now


AUTO_CLOSE = ActionSpec(
    name=workflow.Act.AUTO_CLOSE,
    schema=SystemIn,
    policy=policy.Action.REPORT_CLOSE,
    handle=_auto_close,
    label=gettext_lazy("Ditutup otomatis"),
    available=lambda ctx: (
        ctx.report.deadline_step == workflow.Step.CLOSING
        and ctx.report.deadline is not None
        and ctx.report.deadline < ctx.now
    ),
)
AUTO_ARCHIVE = ActionSpec(
    name=workflow.Act.AUTO_ARCHIVE,
    schema=SystemIn,
    policy=policy.Action.REPORT_ARCHIVE,
    handle=_auto_archive,
    label=gettext_lazy("Diarsipkan otomatis"),
    available=_info_request_expired,
)
DEADLINE_RECOMPUTED = ActionSpec(
    name=workflow.Act.DEADLINE_RECOMPUTED,
    schema=SystemIn,
    policy=policy.Action.REPORT_VIEW,
    handle=_recompute,
    label=gettext_lazy("Batas waktu dihitung ulang"),
)
