"""`set_privacy`: anyone handling a report may raise its anonymity or confidentiality (an admin
who notices a reporter exposed); lowering them is the reporter's alone, or the national admin's
with the reporter's request attached. A whistle-blowing report always stays confidential."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from lapor.accounts import policy
from lapor.core.errors import PermissionDenied

from .. import workflow
from ..choices import PrivacyConsent, ReportType
from ._files import keep_files
from .base import ActionIn, ActionSpec, Change, Ctx

FLAGS = ("is_anonymous", "is_confidential")


class SetPrivacyIn(ActionIn):
    is_anonymous: bool | None = Field(None, description="anonim: identity hidden")
    is_confidential: bool | None = Field(None, description="rahasia: never public")
    reason: str | None = Field(None, description="why")


def handle(ctx: Ctx, body: SetPrivacyIn) -> Change:
    report = ctx.report
    reason = ctx.text("reason", body.reason, required=not ctx.is_reporter)
    raised: list[str] = []
    lowered: list[str] = []
    for name in FLAGS:
        wanted = getattr(body, name)
        if wanted is None or wanted == getattr(report, name):
            continue
        (raised if wanted else lowered).append(name)
    if not raised and not lowered:
        ctx.err(
            "is_anonymous", _("Tidak ada perubahan: kirim is_anonymous dan/atau is_confidential.")
        )
    change = Change(event={"text": reason}, data={"raised": raised, "lowered": lowered})
    if lowered:
        if not ctx.can(policy.Action.REPORT_PRIVACY_LOWER):
            raise PermissionDenied(
                _("Hanya pelapor yang dapat menurunkan perlindungan anonim atau rahasia.")
            )
        if report.type == ReportType.WHISTLEBLOWING and "is_confidential" in lowered:
            ctx.err("is_confidential", _("Laporan pelanggaran selalu rahasia."))
        if ctx.is_reporter:
            change.data["consent"] = PrivacyConsent.REPORTER
        else:
            digests = keep_files(ctx, change)
            if not digests and not ctx.errors:
                ctx.err("attachments", _("Lampirkan permintaan tertulis pelapor."))
            change.data.update(consent=PrivacyConsent.REQUEST_ATTACHED, request_sha256=digests)
    for name in (*raised, *lowered):
        change.fields[name] = name in raised
    return change


SPEC = ActionSpec(
    name=workflow.Act.SET_PRIVACY,
    schema=SetPrivacyIn,
    policy=policy.Action.REPORT_PRIVACY_RAISE,
    handle=handle,
    label=gettext_lazy("Perlindungan pelapor"),
    help=gettext_lazy(
        "Petugas dapat menaikkan perlindungan (anonim, rahasia); hanya pelapor yang dapat "
        "menurunkannya."
    ),
    files=True,
    reporter_action=True,
)
