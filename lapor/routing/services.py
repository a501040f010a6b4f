"""Writes of the routing app: saved replies (per organisation) and answer fingerprints.

Who may manage an organisation's saved replies is the policy table's question
(`Action.REPLY_TEMPLATE_MANAGE`: the national admin for any organisation, its agency and unit
admins for their own). Every answer (`respond` event) gets a `ResponseFingerprint` once, after
commit, through the reports outbox (see `tasks.py`); a periodic backfill catches any left out.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lapor.accounts.policy import Action, AgencyTarget
from lapor.accounts.selectors import user_can
from lapor.agencies.models import Agency, Unit
from lapor.core.errors import Conflict, PermissionDenied, ValidationFailed
from lapor.reports.models import Event

from . import similarity
from .models import ReplyTemplate, ResponseFingerprint
from .selectors import RESPOND, near_identical_event_ids, responses_without_fingerprint

logger = logging.getLogger(__name__)

TITLE_MAX = 120
BODY_MIN = 10
BODY_MAX = 5000


class _Unset:
    """Marks an argument that was not given (distinct from None, which clears the unit)."""


UNSET: Any = _Unset()


def _require_manage(actor: Any, agency: Agency) -> None:
    if not user_can(actor, Action.REPLY_TEMPLATE_MANAGE, AgencyTarget(agency.code)):
        raise PermissionDenied(_("Anda tidak berwenang mengelola templat balasan instansi ini."))


def _clean(
    *, agency: Agency, title: str, body: str, unit: Unit | None, exclude_id: int | None
) -> tuple[str, str]:
    errors: list[dict[str, str]] = []
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors.append({"field": "title", "message": _("Judul wajib diisi.")})
    elif len(title) > TITLE_MAX:
        errors.append(
            {
                "field": "title",
                "message": _("Judul paling banyak %(n)d karakter.") % {"n": TITLE_MAX},
            }
        )
    if len(body) < BODY_MIN:
        errors.append(
            {"field": "body", "message": _("Isi paling sedikit %(n)d karakter.") % {"n": BODY_MIN}}
        )
    elif len(body) > BODY_MAX:
        errors.append(
            {"field": "body", "message": _("Isi paling banyak %(n)d karakter.") % {"n": BODY_MAX}}
        )
    if unit is not None and unit.agency_id != agency.pk:
        errors.append({"field": "unit", "message": _("Unit kerja bukan bagian dari instansi ini.")})
    if errors:
        raise ValidationFailed(_("Templat balasan tidak sah."), errors=errors)
    taken = ReplyTemplate.objects.filter(agency=agency, title__iexact=title)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise Conflict(
            _("Instansi ini sudah memiliki templat balasan berjudul “%(title)s”.")
            % {"title": title}
        )
    return title, body


def _save(template: ReplyTemplate) -> ReplyTemplate:
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:  # a concurrent save took the title first
        raise Conflict(
            _("Instansi ini sudah memiliki templat balasan berjudul “%(title)s”.")
            % {"title": template.title}
        ) from None
    return template


def reply_template_create(
    *, actor: Any, agency: Agency, title: str, body: str, unit: Unit | None = None
) -> ReplyTemplate:
    """A new saved reply of `agency` (403 unless the actor may manage them; 409 for a title
    the organisation already uses; 422 for bad fields)."""
    _require_manage(actor, agency)
    title, body = _clean(agency=agency, title=title, body=body, unit=unit, exclude_id=None)
    return _save(
        ReplyTemplate(
            agency=agency,
            unit=unit,
            title=title,
            body=body,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    )


def reply_template_update(
    *,
    actor: Any,
    template: ReplyTemplate,
    title: str | None = None,
    body: str | None = None,
    unit: Unit | None = UNSET,
    is_active: bool | None = None,
) -> ReplyTemplate:
    """Change the given fields of a saved reply (`unit=None` makes it organisation-wide)."""
    _require_manage(actor, template.agency)
    new_unit = template.unit if unit is UNSET else unit
    new_title, new_body = _clean(
        agency=template.agency,
        title=template.title if title is None else title,
        body=template.body if body is None else body,
        unit=new_unit,
        exclude_id=template.pk,
    )
    template.title, template.body, template.unit = new_title, new_body, new_unit
    if is_active is not None:
        template.is_active = is_active
    return _save(template)


def reply_template_deactivate(*, actor: Any, template: ReplyTemplate) -> ReplyTemplate:
    """Withdraw a saved reply (kept for history; no longer offered). Idempotent."""
    _require_manage(actor, template.agency)
    if template.is_active:
        template.is_active = False
        template.save(update_fields=["is_active", "updated_at"])
    return template


# --- fingerprints of answers ---------------------------------------------------------------


def _responding_agency_id(event: Event) -> int | None:
    """The organisation responsible when the answer was given: the last organisation the
    timeline moved the report to up to this event (the report may have moved on since)."""
    moved = (
        Event.objects.filter(report_id=event.report_id, seq__lte=event.seq)
        .exclude(to_agency__isnull=True)
        .order_by("-seq")
        .values_list("to_agency_id", flat=True)
        .first()
    )
    return moved if moved is not None else event.report.agency_id


def response_fingerprint_record(
    *, event: Event, threshold: float = similarity.DEFAULT_THRESHOLD
) -> ResponseFingerprint | None:
    """Fingerprint one answer (a `respond` event) and record whether it is near-identical to
    an earlier answer of the same organisation to another report. Idempotent: a second call
    returns the existing fingerprint. None for an event that is not an answer or has no
    responsible organisation."""
    if event.action != RESPOND:
        return None
    existing = ResponseFingerprint.objects.filter(event=event).first()
    if existing is not None:
        return existing
    agency_id = _responding_agency_id(event)
    if agency_id is None:
        return None
    nearest = near_identical_event_ids(
        agency_id=agency_id,
        text=event.text,
        before=event.at,
        exclude_report_id=event.report_id,
        threshold=threshold,
        limit=1,
    )
    fingerprint = ResponseFingerprint(
        event=event,
        agency_id=agency_id,
        report_id=event.report_id,
        responded_at=event.at,
        signature=similarity.signature(event.text),
        length=len(similarity.words(event.text)),
        is_templated=bool(nearest),
        nearest_event_id=nearest[0][0] if nearest else None,
        nearest_score=nearest[0][1] if nearest else None,
    )
    try:
        with transaction.atomic():
            fingerprint.save()
    except IntegrityError:  # recorded concurrently (outbox and backfill)
        return ResponseFingerprint.objects.filter(event=event).first()
    return fingerprint


def response_fingerprints_backfill(*, limit: int = 500) -> int:
    """Fingerprint answers that have none yet, oldest first; returns how many were recorded."""
    done = 0
    for event in responses_without_fingerprint(limit=limit):
        if response_fingerprint_record(event=event) is not None:
            done += 1
    return done
