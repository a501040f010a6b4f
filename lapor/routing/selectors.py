"""Reads of the routing app: saved replies, near-identical earlier answers, the templated share.

Near-identical lookups are bounded: a draft is compared with the signatures of the
organisation's `RECENT_RESPONSES_SCANNED` most recent answers (one indexed query), and only the
candidates whose signature estimate comes near the threshold are read and compared on the text
(a second query). See docs/routing.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lapor.accounts.policy import Action, AgencyTarget
from lapor.accounts.selectors import user_can
from lapor.agencies.models import Agency, Unit
from lapor.core.errors import NotFound, PermissionDenied
from lapor.reports.models import Event

from . import similarity
from .models import ReplyTemplate, ResponseFingerprint

RECENT_RESPONSES_SCANNED = 2000
RESPOND = "respond"


def agency_for_replies(
    *, actor: Any, code: str, action: Action = Action.REPLY_TEMPLATE_USE
) -> Agency:
    """The organisation `code` if `actor` may take `action` on its saved replies.

    NotFound for an unknown code, PermissionDenied for an officer of another organisation.
    """
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(_("Instansi %(code)s tidak ditemukan.") % {"code": code})
    if not user_can(actor, action, AgencyTarget(agency.code)):
        raise PermissionDenied(
            _("Anda tidak berwenang atas templat balasan instansi %(code)s.") % {"code": code}
        )
    return agency


def _ancestor_paths(unit: Unit) -> list[str]:
    """'a/b/c/' → ['a/', 'a/b/', 'a/b/c/']: the unit and the units above it."""
    parts = [part for part in unit.path.split("/") if part]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def reply_templates_for(*, agency: Agency, unit: Unit | None = None) -> QuerySet[ReplyTemplate]:
    """The active saved replies an officer of `agency` (in `unit`, if given) is offered: the
    organisation-wide ones and those of the unit or of a unit above it; by title."""
    qs = ReplyTemplate.objects.select_related("agency", "unit").filter(
        agency=agency, is_active=True
    )
    if unit is None:
        qs = qs.filter(unit__isnull=True)
    else:
        qs = qs.filter(Q(unit__isnull=True) | Q(unit__path__in=_ancestor_paths(unit)))
    return qs.order_by("title", "id")


def reply_templates_all(*, agency: Agency) -> QuerySet[ReplyTemplate]:
    """Every saved reply of `agency`, withdrawn ones included (for those who manage them)."""
    return (
        ReplyTemplate.objects.select_related("agency", "unit")
        .filter(agency=agency)
        .order_by("-is_active", "title", "id")
    )


def reply_template_get(*, actor: Any, template_id: int) -> ReplyTemplate:
    """One saved reply the actor may at least use; NotFound otherwise (never reveals another
    organisation's template)."""
    template = ReplyTemplate.objects.select_related("agency", "unit").filter(pk=template_id).first()
    if template is None or not user_can(
        actor, Action.REPLY_TEMPLATE_USE, AgencyTarget(template.agency.code)
    ):
        raise NotFound(_("Templat balasan tidak ditemukan."))
    return template


def near_identical_event_ids(
    *,
    agency_id: int,
    text: str,
    before: datetime | None = None,
    exclude_report_id: int | None = None,
    threshold: float = similarity.DEFAULT_THRESHOLD,
    limit: int = 5,
) -> list[tuple[int, float]]:
    """`(event id, score)` of the organisation's earlier answers near-identical to `text`,
    most similar first; two queries at most, whatever the number of answers."""
    qs = ResponseFingerprint.objects.filter(agency_id=agency_id)
    if before is not None:
        qs = qs.filter(responded_at__lt=before)
    if exclude_report_id is not None:
        qs = qs.exclude(report_id=exclude_report_id)
    recent = list(
        qs.order_by("-responded_at", "-id").values_list("event_id", "signature")[
            :RECENT_RESPONSES_SCANNED
        ]
    )
    if not recent:
        return []
    positions = similarity.candidate_indexes(
        similarity.signature(text), [sig for _, sig in recent], threshold
    )
    if not positions:
        return []
    ids = [recent[i][0] for i in positions]
    texts = dict(Event.objects.filter(pk__in=ids).values_list("pk", "text"))
    found = similarity.find_near_duplicates(
        text, [(pk, texts[pk]) for pk in ids if pk in texts], threshold
    )
    return found[:limit]


def near_identical_responses(
    *,
    agency: Agency,
    text: str,
    exclude_report: Any = None,
    limit: int = 5,
    threshold: float = similarity.DEFAULT_THRESHOLD,
) -> list[tuple[Event, float]]:
    """The organisation's earlier answers near-identical to the draft `text` (for the warning
    shown before sending), most similar first, with their report loaded; 3 queries at most.
    `exclude_report`: the report being answered (its own earlier answers do not count)."""
    found = near_identical_event_ids(
        agency_id=agency.pk,
        text=text,
        exclude_report_id=exclude_report.pk if exclude_report is not None else None,
        threshold=threshold,
        limit=limit,
    )
    if not found:
        return []
    events = Event.objects.select_related(
        "report", "report__agency", "report__unit", "report__requested_agency"
    ).in_bulk([pk for pk, _ in found])
    return [(events[pk], score) for pk, score in found if pk in events]


def templated_share(*, agency: Agency, since: datetime, until: datetime) -> tuple[int, int]:
    """`(templated, total)` answers of the organisation in `[since, until)` (indicator 3.4:
    an answer is templated when near-identical to an earlier answer to another report)."""
    counts = ResponseFingerprint.objects.filter(
        agency=agency, responded_at__gte=since, responded_at__lt=until
    ).aggregate(total=Count("id"), templated=Count("id", filter=Q(is_templated=True)))
    return counts["templated"], counts["total"]


def responses_without_fingerprint(*, limit: int) -> QuerySet[Event]:
    """`respond` events not fingerprinted yet, oldest first (for the backfill)."""
    return (
        Event.objects.filter(action=RESPOND, fingerprint__isnull=True)
        .select_related("report")
        .order_by("at", "id")[:limit]
    )
