"""Reads of reports: lists per caller, one report for a caller, its timeline.

Visibility follows `lapor.accounts.policy`: officers see their organisation's reports (unit
officers their unit's subtree), the national admin and evaluators everything, the public (and
reporters) non-confidential reports plus their own.
"""

from __future__ import annotations

import hashlib
import hmac
import operator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts import policy
from lapor.agencies.selectors import agency_by_code
from lapor.core.errors import ErrorCode, NotFound
from lapor.core.ttlcache import hot_path_max_age

from . import search, workflow
from .choices import OPEN_STATUSES, ReportType
from .models import ArchiveReason, Attachment, Event, Report
from .tracking import MistypedTrackingId, parse_tracking_id

if TYPE_CHECKING:
    pass

LIST_RELATED = (
    "category",
    "agency",
    "unit",
    "region",
    "reporter",
    "duplicate_of",
    "requested_agency",
    "sla_ruleset",
)


def hash_reporter_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def report_target(report: Report) -> policy.ReportTarget:
    """The policy's view of a report (uses the already loaded agency/unit/requested agency)."""
    return policy.ReportTarget(
        agency_code=report.agency.code if report.agency_id and report.agency else None,
        unit_path=report.unit.path if report.unit_id and report.unit else None,
        reporter_id=report.reporter_id,
        is_confidential=report.is_confidential,
        is_anonymous=report.is_anonymous,
        requested_agency_code=(
            report.requested_agency.code
            if report.requested_agency_id and report.requested_agency
            else None
        ),
        received=report.received_at is not None,
        is_whistleblowing=report.type == ReportType.WHISTLEBLOWING,
    )


def reporter_proof(key_hash: str) -> str:
    """What a browser session keeps after the reporter key was shown: a keyed hash of the key's
    hash (never the key itself), which proves the key for this report only and is useless
    outside this deployment (`SECRET_KEY`)."""
    from django.conf import settings

    secret = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, b"reporter-proof:" + key_hash.encode("ascii"), "sha256").hexdigest()


def key_matches(report: Report, reporter_key: str | None, *, proof: str | None = None) -> bool:
    """The caller holds the report's reporter key: the key itself (API, track page) or a
    session's proof of it (`reporter_proof`)."""
    if not report.reporter_key_hash:
        return False
    if reporter_key:
        return hmac.compare_digest(report.reporter_key_hash, hash_reporter_key(reporter_key))
    if proof:
        return hmac.compare_digest(reporter_proof(report.reporter_key_hash), proof)
    return False


def actor_of(user: Any, *, holds_reporter_key: bool = False) -> policy.Actor:
    """The policy Actor for a request's user (AnonymousUser or None: a visitor)."""
    from lapor.accounts.selectors import actor_for

    if user is None or not getattr(user, "is_authenticated", False):
        return policy.Actor(holds_reporter_key=holds_reporter_key)
    return actor_for(user, holds_reporter_key=holds_reporter_key)


@dataclass(frozen=True)
class ReportFilters:
    status: str | None = None
    official_status: str | None = None
    type: str | None = None
    agency: str | None = None
    category: str | None = None
    region: str | None = None
    q: str | None = None
    overdue: bool | None = None
    since: date | datetime | None = None
    until: date | datetime | None = None
    mine: bool = False


def _agency_id(code: str) -> int:
    """An organisation's id, looked up once (a per-process cache): filtering the reports by a
    literal id lets the database use their own indexes with a true row estimate, where a join or
    a sub-query would make it guess — the difference between 10 ms and 400 ms for a large
    organisation's inbox. An unknown code matches nothing."""
    agency = agency_by_code(code, max_age=hot_path_max_age())
    return agency.pk if agency is not None else -1


def _scope_q(scope: policy.ReportScope) -> Q | None:
    """The policy's view scope as a filter; None means every report."""
    if scope.everything:
        return None
    clauses: list[Q] = []
    if scope.public:
        clauses.append(Q(is_confidential=False))
    if scope.reporter_id is not None:
        clauses.append(Q(reporter_id=scope.reporter_id))
    if (
        scope.agency_code is not None
        and scope.unit_path is None
        and scope.queue_for_agency == scope.agency_code
    ):
        # "with this organisation, or waiting in the national queue for it" is exactly the
        # organisation whose desk the report is on (a stored column with its own index)
        clauses.append(_hide_whistleblowing(Q(desk_agency_id=_agency_id(scope.agency_code)), scope))
    else:
        if scope.agency_code is not None:
            own = Q(agency_id=_agency_id(scope.agency_code))
            if scope.unit_path is not None:
                own &= Q(unit__path__startswith=scope.unit_path)
            clauses.append(_hide_whistleblowing(own, scope))
        if scope.queue_for_agency is not None:
            queue = Q(agency__isnull=True, requested_agency_id=_agency_id(scope.queue_for_agency))
            clauses.append(_hide_whistleblowing(queue, scope))
    if not clauses:
        return Q(pk__in=[])
    return reduce(operator.or_, clauses)


def _hide_whistleblowing(clause: Q, scope: policy.ReportScope) -> Q:
    return clause & ~Q(type=ReportType.WHISTLEBLOWING) if scope.hide_whistleblowing else clause


def official_status_q(official: str) -> Q:
    """The reports in one official status (Belum Terverifikasi … Arsip), from the workflow's one
    mapping of official statuses to statuses and the postponement flag."""
    statuses, postponed = workflow.OFFICIAL_STATUS_FILTER[workflow.Official(official)]
    condition = Q(status__in=sorted(statuses))
    if postponed is not None:
        condition &= Q(is_postponed=postponed)
    return condition


def _list_scope(qs: QuerySet[Report], actor: policy.Actor) -> tuple[QuerySet[Report], bool]:
    """What a list shows: officers their organisation's (their unit subtree's) reports, everyone
    else what they may view. The officer's part of the scope lies inside what they may view, so
    it alone is the filter — a single indexable condition on `agency_id`, which matters at
    national scale.

    Also says whether the caller may search the raw text of *every* report listed (the national
    admin; officers, whose list holds only reports whose internals they see): everyone else
    searches the public, masked document (and their own reports' raw text)."""
    scope = policy.report_view_scope(actor)
    raw = scope.everything
    if not scope.everything and (
        scope.agency_code is not None or scope.queue_for_agency is not None
    ):
        scope = replace(scope, public=False, reporter_id=None)
        raw = True
    condition = _scope_q(scope)
    return (qs if condition is None else qs.filter(condition)), raw


def _day_start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime(value.year, value.month, value.day))


def report_list(
    *, actor_user: Any, filters: ReportFilters | None = None, now: datetime | None = None
) -> QuerySet[Report]:
    """Reports the caller may see, filtered, newest first, with what the list shows joined in."""
    filters = filters or ReportFilters()
    actor = actor_of(actor_user)
    qs, raw_search = _list_scope(Report.objects.all(), actor)
    if filters.mine and actor.user_id is not None:
        qs = qs.filter(reporter_id=actor.user_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.official_status:
        qs = qs.filter(official_status_q(filters.official_status))
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.agency:
        qs = qs.filter(agency_id=_agency_id(filters.agency))
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.region:
        qs = qs.filter(
            Q(region__code=filters.region) | Q(region__code__startswith=filters.region + ".")
        )
    if filters.overdue:
        qs = qs.filter(
            status__in=OPEN_STATUSES, deadline__lt=now or timezone.now(), is_postponed=False
        )
    if filters.since:
        qs = qs.filter(submitted_at__gte=_day_start(filters.since))
    if filters.until:
        until = filters.until
        if isinstance(until, datetime):
            qs = qs.filter(submitted_at__lte=_day_start(until))
        else:
            qs = qs.filter(submitted_at__lt=_day_start(until) + timedelta(days=1))
    if filters.q:
        qs = search.filter_full_text(qs, filters.q, raw=raw_search, own_reporter_id=actor.user_id)
    return qs.select_related(*LIST_RELATED).order_by("-submitted_at", "-id")


class TrackingIdMistyped(NotFound):
    code = ErrorCode.MISTYPED_TRACKING_ID


def tracking_id_parse(raw: str) -> str:
    """Canonical tracking ID; NotFound (code mistyped_tracking_id) when the check fails."""
    try:
        return parse_tracking_id(raw)
    except MistypedTrackingId as exc:
        raise TrackingIdMistyped(
            _(
                "Nomor pelacakan %(id)s tampaknya salah ketik (karakter pemeriksanya tidak cocok). "
                "Periksa kembali setiap karakter; huruf I, L, O, U dan angka 0, 1 tidak dipakai."
            )
            % {"id": raw}
        ) from exc
    except ValueError:
        # malformed: maybe an ID imported from the earlier system, looked up as typed
        return raw.strip()


def report_get_for(
    *,
    actor_user: Any,
    tracking_id: str,
    reporter_key: str | None = None,
    reporter_proof: str | None = None,
) -> tuple[Report, policy.Actor]:
    """The report the caller may view, and the caller as a policy actor; 404 otherwise."""
    canonical = tracking_id_parse(tracking_id)
    report = Report.objects.select_related(*LIST_RELATED).filter(tracking_id=canonical).first()
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    holds = key_matches(report, reporter_key, proof=reporter_proof)
    actor = actor_of(actor_user, holds_reporter_key=holds)
    if not policy.can(actor, policy.Action.REPORT_VIEW, report_target(report)):
        raise NotFound(_("Laporan tidak ditemukan."))
    return report, actor


def report_timeline(*, report: Report, actor: policy.Actor) -> list[Event]:
    """Events oldest first; internal notes only for those who may see them."""
    qs = Event.objects.filter(report=report).select_related(
        "actor", "from_agency", "to_agency", "from_unit", "to_unit"
    )
    if not policy.can(actor, policy.Action.REPORT_VIEW_INTERNAL, report_target(report)):
        qs = qs.filter(is_internal=False)
    return list(qs.order_by("seq"))


def attachment_visible_to(actor: policy.Actor, report: Report, attachment: Attachment) -> bool:
    """Whether `actor` may see `attachment` of `report`: the one rule every surface applies.

    - Nobody sees an attachment of a report they may not view.
    - An attachment of an internal event (an officer's note) only for those who see internal
      notes.
    - An attachment whose metadata could not be removed (``metadata_removed`` False: a legacy
      Word/Excel file, a video with a timed-metadata track, a file stored before cleaning existed)
      may name its author, so it is shown only to those who may know who uploaded it: for the
      reporter's files (uploaded by the reporter's account or by a guest), the reporter and
      whoever may see the reporter (`REPORT_VIEW_REPORTER`: never the organisation when the
      report is anonymous, never the public); for an officer's files, the officers who see the
      report's internals.

    Load the attachment with ``select_related("event")`` (or ``event_id`` empty) to stay at no
    query per attachment.
    """
    target = report_target(report)
    if not policy.can(actor, policy.Action.REPORT_VIEW, target):
        return False
    internal = policy.can(actor, policy.Action.REPORT_VIEW_INTERNAL, target)
    event = attachment.event if attachment.event_id is not None else None
    if event is not None and event.is_internal and not internal:
        return False
    if attachment.metadata_removed:
        return True
    uploader = attachment.uploaded_by_id
    if uploader is not None and uploader == actor.user_id:
        return True
    if uploader is None or uploader == report.reporter_id:
        return policy.reporter_of_report(actor, target) or policy.can(
            actor, policy.Action.REPORT_VIEW_REPORTER, target
        )
    return internal


def report_attachments_for(*, report: Report, actor: policy.Actor) -> list[Attachment]:
    """The report's attachments that `actor` may see, oldest first (one query)."""
    rows = Attachment.objects.filter(report=report).select_related("event").order_by("id")
    return [a for a in rows if attachment_visible_to(actor, report, a)]


def report_counts_public() -> dict[str, int]:
    """Counts by status for public pages: never counts confidential reports."""
    from django.db.models import Count

    rows = (
        Report.objects.filter(is_confidential=False)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def reports_open_ids() -> QuerySet[Report]:
    return Report.objects.filter(status__in=OPEN_STATUSES)


def archive_reasons_active() -> list[ArchiveReason]:
    """The archive reasons officers may choose now, in their order."""
    return list(ArchiveReason.objects.filter(is_active=True).order_by("sort_order", "code"))
