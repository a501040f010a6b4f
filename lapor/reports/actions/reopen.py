"""`reopen`: the reporter, within the closing period after the close, or the national admin at
any time (an archived report goes back to the verification queue)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy
from lapor.core.errors import PermissionDenied

from .. import clock, workflow
from ..choices import Status
from .base import ActionIn, ActionSpec, Change, Ctx


class ReopenIn(ActionIn):
    reason: str | None = Field(None, description="why")


def _within_period(ctx: Ctx) -> bool:
    report = ctx.report
    if report.status != Status.CLOSED or report.closed_at is None:
        return True
    return ctx.now <= clock.due(report, workflow.Step.CLOSING, report.closed_at)


def available(ctx: Ctx) -> bool:
    if ctx.can(policy.Action.REPORT_REOPEN_ANY):
        return True
    return ctx.report.status == Status.CLOSED and _within_period(ctx)


def handle(ctx: Ctx, body: ReopenIn) -> Change:
    report = ctx.report
    reason = ctx.text("reason", body.reason, required=True)
    from_archive = report.status == Status.ARCHIVED
    if from_archive and not ctx.can(policy.Action.REPORT_REOPEN_ANY):
        raise PermissionDenied(_("Hanya admin nasional yang dapat membuka kembali laporan arsip."))
    if not ctx.can(policy.Action.REPORT_REOPEN_ANY) and not _within_period(ctx):
        raise ctx.conflict(_("Masa untuk membuka kembali laporan sudah lewat."))
    fields: dict[str, Any] = {"closed_at": None}
    if from_archive:
        fields.update(
            archived_at=None,
            archive_reason="",
            duplicate_of=None,
            agency=None,
            unit=None,
            received_at=None,
        )
    return Change(variant="from_archive" if from_archive else "", fields=fields,
                  event={"text": reason})  # fmt: skip


SPEC = ActionSpec(
    name=workflow.Act.REOPEN,
    schema=ReopenIn,
    policy=policy.Action.REPORT_REOPEN,
    handle=handle,
    label=gettext_lazy("Buka kembali"),
    available=available,
    reporter_action=True,
)
