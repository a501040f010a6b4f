"""The declared actions by name (the API routes, the pages' forms and the 409 lists use it)."""

from __future__ import annotations

from . import (
    archive,
    assign,
    close,
    dispose,
    escalate,
    extend,
    forward,
    mark_late,
    note,
    postpone,
    rate,
    reclassify,
    redact,
    reopen,
    reply,
    respond,
    resume,
    set_privacy,
    support,
    system,
    verify,
)
from .base import ActionSpec

ACTIONS: dict[str, ActionSpec] = {
    str(spec.name): spec
    for spec in (
        verify.SPEC,
        dispose.SPEC,
        forward.SPEC,
        postpone.SPEC,
        resume.SPEC,
        extend.SPEC,
        archive.SPEC,
        respond.SPEC,
        reply.SPEC,
        close.SPEC,
        reopen.SPEC,
        escalate.SPEC,
        rate.SPEC,
        support.SPEC,
        reclassify.SPEC,
        set_privacy.SPEC,
        redact.SPEC,
        note.SPEC,
        assign.SPEC,
        system.AUTO_CLOSE,
        system.AUTO_ARCHIVE,
        system.DEADLINE_RECOMPUTED,
        mark_late.SPEC,
    )
}
