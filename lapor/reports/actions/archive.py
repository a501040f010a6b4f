"""`archive` (arsip): rejected with a reason code of the `ArchiveReason` table; a duplicate names
its original (the reporter is pointed to it, both timelines link). Before any organisation received
the report the verifying admin may archive it; after, only the national admin (policy table)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy

from .. import workflow
from ..events import event_append
from ..models import ArchiveReason, Event, Report
from ..selectors import report_target
from . import _lookup
from .base import ActionIn, ActionSpec, Change, Ctx


class ArchiveIn(ActionIn):
    reason_code: str | None = Field(None, description="a code of GET /api/v1/archive-reasons")
    note: str | None = Field(None, description="the explanation the reporter reads")
    duplicate_of: str | None = Field(
        None, description="tracking ID of the original (reasons that name one: duplicate)"
    )


def _link_original(original_id: int, duplicate: Report, at: object) -> None:
    """The original's timeline says which report was merged into it."""
    original = Report.objects.select_for_update(of=("self",)).get(pk=original_id)
    event_append(
        report=original,
        action="duplicate_linked",
        at=at,  # type: ignore[arg-type]
        actor=None,
        actor_role="system",
        from_status=original.status,
        to_status=original.status,
        data={"duplicate": duplicate.tracking_id},
    )
    Report.objects.filter(pk=original.pk).update(updated_at=at)


def handle(ctx: Ctx, body: ArchiveIn) -> Change:
    code = (body.reason_code or "").strip()
    note = ctx.text("note", body.note, required=False)
    reason = ArchiveReason.objects.filter(code=code, is_active=True).first() if code else None
    if reason is None:
        codes = ArchiveReason.objects.filter(is_active=True).values_list("code", flat=True)
        ctx.err(
            "reason_code",
            _("Alasan arsip tidak dikenal; pilih salah satu: %(values)s.")
            % {"values": ", ".join(codes)},
        )
    change = Change(
        fields={"archive_reason": code, "archived_at": ctx.now, "assigned_to": None},
        event={"reason_code": code, "text": note},
    )
    if reason is not None and reason.names_original:
        original = None
        if not body.duplicate_of:
            ctx.err("duplicate_of", _("Sebutkan nomor pelacakan laporan aslinya."))
        else:
            original = _lookup.report_by_tracking_id(body.duplicate_of)
            if (
                original is None
                or original.pk == ctx.report.pk
                or not policy.can(ctx.actor, policy.Action.REPORT_VIEW, report_target(original))
            ):
                ctx.err("duplicate_of", _("Laporan asli tidak ditemukan."))
                original = None
        change.fields["duplicate_of"] = original
        if original is not None:
            change.data["duplicate_of"] = original.tracking_id
            found = original

            def link(report: Report, event: Event) -> None:
                _link_original(found.pk, report, ctx.now)

            change.after.append(link)
    return change


SPEC = ActionSpec(
    name=workflow.Act.ARCHIVE,
    schema=ArchiveIn,
    policy=policy.Action.REPORT_ARCHIVE,
    handle=handle,
    label=gettext_lazy("Arsipkan (tolak)"),
    help=gettext_lazy(
        "Setelah instansi menerima laporan, hanya admin nasional yang dapat mengarsipkannya."
    ),
)
