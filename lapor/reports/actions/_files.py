"""Uploaded files that an action keeps as evidence (the reporter's request attached to a
referral or to lowered privacy): prepared by the attachments module, stored with the event."""

from __future__ import annotations

from typing import Any

from lapor.core.errors import ValidationFailed

from ..models import Event, Report
from .base import Change, Ctx


def keep_files(ctx: Ctx, change: Change, name: str = "attachments") -> list[str]:
    """Prepare `ctx.files` and store them with the event; returns their SHA-256 digests (the
    event records them, so the evidence is tied to the hash chain)."""
    if not ctx.files:
        return []
    from ..attachments import attachments_prepare, attachments_store

    try:
        prepared: list[Any] = list(attachments_prepare(ctx.files))
    except ValidationFailed as exc:
        ctx.errors.extend(exc.errors or [{"field": name, "message": exc.detail}])
        return []
    user = ctx.user

    def store(report: Report, event: Event) -> None:
        attachments_store(report=report, event=event, prepared=prepared, uploaded_by=user)

    change.after.append(store)
    return [p.sha256 for p in prepared]
