"""`redact`: an officer removes personal data a reporter typed into the text (a name in an
anonymous report). The title, the content, or an event's text (by `event_seq`) is replaced; the
original is kept in `ReportRedaction` for the national admin only, and the event records what
was redacted, never the original."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, Field

from lapor.accounts import policy

from .. import workflow
from ..models import Event, Report, ReportRedaction
from ..search import search_document_refresh
from .base import ActionIn, ActionSpec, Change, Ctx, Int

MARK = "[…]"


class Span(BaseModel):
    start: int = Field(..., ge=0)
    end: int = Field(..., ge=0)


class RedactIn(ActionIn):
    field: str = Field("content", description="title | content | event (with event_seq)")
    event_seq: Int | None = Field(None, description="the event whose text to redact")
    spans: list[Span] | None = Field(
        None, description="character ranges [start, end) replaced by “[…]”"
    )
    content: str | None = Field(None, description="or the whole replacement text")
    reason: str | None = Field(None, description="why (kept internal)")


def apply_spans(text: str, spans: list[Span]) -> str | None:
    """The text with each span replaced by MARK; None when a span is out of range or overlaps."""
    ordered = sorted(spans, key=lambda s: s.start)
    out, cursor = [], 0
    for span in ordered:
        if span.end <= span.start or span.start < cursor or span.end > len(text):
            return None
        out += [text[cursor : span.start], MARK]
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def handle(ctx: Ctx, body: RedactIn) -> Change:
    report = ctx.report
    reason = ctx.text("reason", body.reason, required=True)
    event: Event | None = None
    if body.field in ("title", "content"):
        original = getattr(report, body.field)
        where = body.field
    elif body.field == "event" and body.event_seq is not None:
        event = Event.objects.filter(report=report, seq=body.event_seq, is_internal=False).first()
        if event is None or not event.text:
            ctx.err("event_seq", _("Peristiwa dengan teks tidak ditemukan."))
            return Change()
        earlier = ReportRedaction.objects.filter(report=report, field=f"event:{event.seq}")
        last = earlier.order_by("-id").first()
        original = last.redacted if last else event.text
        where = f"event:{event.seq}"
    else:
        ctx.err("field", _("Pilih title, content, atau event dengan event_seq."))
        return Change()
    if body.content is not None:
        redacted = body.content.strip()
        if not redacted:
            ctx.err("content", _("Wajib diisi."))
    elif body.spans:
        redacted = apply_spans(original, body.spans) or ""
        if not redacted:
            ctx.err("spans", _("Rentang di luar teks atau saling tumpang tindih."))
    else:
        ctx.err("spans", _("Kirim spans atau content pengganti."))
        redacted = ""
    if redacted == original:
        ctx.err("content", _("Tidak ada yang berubah."))
    change = Change(event={"text": reason}, data={"field": where})
    if body.field in ("title", "content"):
        change.fields[body.field] = redacted

    def keep_original(report: Report, redact_event: Event) -> None:
        ReportRedaction.objects.create(
            report=report, event=redact_event, field=where, original=original, redacted=redacted
        )
        if where in ("title", "content"):  # the public search document follows the text
            search_document_refresh(report)

    change.after.append(keep_original)
    return change


SPEC = ActionSpec(
    name=workflow.Act.REDACT,
    schema=RedactIn,
    policy=policy.Action.REPORT_REDACT,
    handle=handle,
    label=gettext_lazy("Samarkan data pribadi"),
    help=gettext_lazy(
        "Ganti nama atau data pribadi yang ditulis pelapor. Teks asli hanya dapat dilihat admin "
        "nasional."
    ),
)
