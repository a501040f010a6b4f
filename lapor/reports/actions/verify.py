"""`verify`: the verifying admin routes the report to an organisation, which receives it.

It may correct the title, the type (including the admin-side whistle-blowing type, which goes
to the organisation's inspectorate and is always confidential), the category and the completion
class; the reporter's original wording stays on the record (the event's `edits`). Its clocks:
verification met, the organisation's first follow-up and completion start (workflow table).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy
from lapor.deadlines import sla

from .. import workflow
from ..choices import ReportType
from ..search import search_document_refresh
from . import _lookup
from .base import ActionIn, ActionSpec, Change, Ctx

TITLE_MIN, TITLE_MAX = 10, 150


class VerifyIn(ActionIn):
    agency: str | None = Field(
        None, description="organisation code (required when the reporter chose none)"
    )
    category: str | None = Field(None, description="category code")
    sla_class: str | None = Field(
        None,
        description="information_request (5) | complaint (14) | misconduct (60 working days); "
        "default from the type",
    )
    title: str | None = Field(None, description="a corrected title (10–150 characters)")
    type: str | None = Field(
        None, description="pengaduan | aspirasi | permintaan_informasi | whistleblowing"
    )


def _edit(change: Change, name: str, old: Any, new: Any) -> None:
    if new is not None and new != old:
        change.fields[name] = new
        change.data.setdefault("edits", {})[name] = {"from": old, "to": new}


def handle(ctx: Ctx, body: VerifyIn) -> Change:
    report = ctx.report
    change = Change()
    chosen = _lookup.agency(
        ctx,
        "agency",
        body.agency,
        required=report.agency_id is None and not report.requested_agency_id,
    )
    agency = chosen or report.agency or report.requested_agency
    if (
        agency is not None
        and not ctx.system
        and not policy.can(
            ctx.actor, policy.Action.REPORT_ROUTE_TO, policy.AgencyTarget(agency.code)
        )
    ):
        ctx.err(
            "agency",
            _("Admin instansi hanya memverifikasi untuk instansinya sendiri; gunakan forward."),
        )
    category = _lookup.category(ctx, "category", body.category)
    new_type = body.type or report.type
    if body.type is not None and body.type not in ReportType.values:
        ctx.err("type", _("Jenis laporan tidak dikenal."))
        new_type = report.type
    if body.sla_class is not None and body.sla_class not in sla.SLA_CLASSES:
        ctx.err(
            "sla_class",
            _("Kelas tidak dikenal; pilih salah satu: %(values)s.")
            % {"values": ", ".join(sla.SLA_CLASSES)},
        )
    sla_class = body.sla_class or (
        sla.default_class(new_type) if new_type != report.type else report.sla_class
    )
    title = ctx.text("title", body.title, required=False, min_len=TITLE_MIN, max_len=TITLE_MAX)
    _edit(change, "title", report.title, title or None)
    _edit(change, "type", report.type, new_type)
    _edit(change, "category", report.category.code if report.category else None, body.category)
    if category is not None:
        change.fields["category"] = category
    _edit(change, "sla_class", report.sla_class, sla_class)
    unit = None
    if new_type == ReportType.WHISTLEBLOWING and agency is not None:
        unit = _lookup.inspectorate_of(agency)
        if unit is None:
            ctx.err(
                "type",
                _("%(agency)s belum mencatat unit inspektorat untuk laporan pelanggaran.")
                % {"agency": agency.name},
            )
        if not report.is_confidential:  # whistle-blowing reports are never public
            change.fields["is_confidential"] = True
            change.data["privacy_raised"] = ["is_confidential"]
    change.fields.update(
        agency=agency, unit=unit, verified_at=ctx.now, received_at=ctx.now, assigned_to=None
    )
    change.data.update(received=True, sla_class=sla_class)
    if "title" in change.fields:  # the public search document follows the corrected title
        change.after.append(lambda report, event: search_document_refresh(report))
    return change


SPEC = ActionSpec(
    name=workflow.Act.VERIFY,
    schema=VerifyIn,
    policy=policy.Action.REPORT_VERIFY,
    handle=handle,
    label=gettext_lazy("Verifikasi dan teruskan ke instansi"),
    help=gettext_lazy(
        "Instansi yang menerima laporan wajib memberi tindak lanjut pertama dalam 5 hari kerja "
        "dan menyelesaikannya sesuai kelasnya (5/14/60 hari kerja)."
    ),
)
