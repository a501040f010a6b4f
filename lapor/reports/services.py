"""Every write to a report: submission, the lifecycle actions, support, deadline recomputation.

`report_act` is the only code that changes a report's status. In one transaction it locks the
row, asks the pure workflow table (`workflow.transition_for`) whether the status allows the
action and the pure policy (`policy.can`) whether the caller may take it, validates the action's
parameters, applies the deadline rules (`lapor.deadlines` via `clock`), appends the hash-chained
event and saves; side effects go to the outbox and are delivered by the task queue on commit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts import policy
from lapor.agencies.models import Agency, Category, Region, Unit
from lapor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lapor.core.idempotency import (
    IdempotencyRace,
    StoredResponse,
    fingerprint_of,
    idempotency_client,
    idempotency_key_for,
    idempotency_record,
    idempotency_replay,
)
from lapor.core.ratelimit import rate_limit_hit
from lapor.core.ttlcache import hot_path_max_age
from lapor.deadlines.choices import SlaClass

from . import clock, workflow
from .choices import OPEN_STATUSES, ArchiveReason, Channel, ReportType, Status
from .events import event_append, event_append_first
from .models import Event, OutboxMessage, Report, Support
from .search import search_document_refresh
from .selectors import (
    actor_of,
    hash_reporter_key,
    key_matches,
    report_target,
    tracking_id_parse,
)
from .tracking import new_tracking_id

logger = logging.getLogger(__name__)

TITLE_MIN, TITLE_MAX = 10, 150
CONTENT_MIN, CONTENT_MAX = 30, 10_000
TEXT_MAX = 10_000
# Indonesia's bounding box (with a margin for the outer islands)
LAT_MIN, LAT_MAX = -11.5, 6.5
LON_MIN, LON_MAX = 94.5, 141.5
SYSTEM_ROLE = "system"
REPORTER_ROLE = "reporter"
ESCALATION_TARGETS = ("ombudsman",)

Errors = list[dict[str, str]]


# --- submission ------------------------------------------------------------------------------


@dataclass
class ReportSubmission:
    type: str
    title: str
    content: str
    category: str | None = None
    agency: str | None = None
    region: str | None = None
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    event_date: date | None = None
    channel: str = Channel.WEB
    is_anonymous: bool = False
    is_confidential: bool = False
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    import_source: str = ""  # marks reports loaded by a seeding or import tool


@dataclass(frozen=True)
class SubmitReceipt:
    """What the submitter is told, once: the API's 201 body (and a replay's)."""

    tracking_id: str
    status: str
    deadline: datetime | None
    reporter_key: str | None  # a guest's secret for replying and rating; only its hash is kept

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "tracking_id": self.tracking_id,
                "status": self.status,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "reporter_key": self.reporter_key,
            }
        ).encode("utf-8")

    @classmethod
    def from_json(cls, body: bytes) -> SubmitReceipt:
        data = json.loads(body)
        deadline = datetime.fromisoformat(data["deadline"]) if data.get("deadline") else None
        return cls(data["tracking_id"], data["status"], deadline, data.get("reporter_key"))


@dataclass(frozen=True)
class SubmitResult:
    report: Report
    reporter_key: str | None  # shown once to a guest; only its SHA-256 is stored
    receipt: SubmitReceipt
    replayed: bool = False  # the answer to an earlier request with the same Idempotency-Key


@dataclass
class _Resolved:
    category: Category | None = None
    agency: Agency | None = None
    region: Region | None = None


def _err(errors: Errors, name: str, message: str) -> None:
    errors.append({"field": name, "message": str(message)})


def _validate_submission(
    data: ReportSubmission, today: date, *, max_age: float = 0.0
) -> tuple[Errors, _Resolved]:
    from lapor.agencies.selectors import agency_by_code, category_by_code, region_by_code

    errors: Errors = []
    found = _Resolved()
    title = (data.title or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        _err(
            errors,
            "title",
            _("Judul harus %(min)d–%(max)d karakter (sekarang %(n)d).")
            % {"min": TITLE_MIN, "max": TITLE_MAX, "n": len(title)},
        )
    content = (data.content or "").strip()
    if not CONTENT_MIN <= len(content) <= CONTENT_MAX:
        _err(
            errors,
            "content",
            _("Isi laporan harus %(min)d–%(max)d karakter (sekarang %(n)d).")
            % {"min": CONTENT_MIN, "max": CONTENT_MAX, "n": len(content)},
        )
    if data.type not in ReportType.values:
        _err(
            errors,
            "type",
            _("Jenis laporan tidak dikenal; pilih salah satu: %(values)s.")
            % {"values": ", ".join(ReportType.values)},
        )
    if data.channel not in Channel.values:
        _err(
            errors,
            "channel",
            _("Kanal tidak dikenal; pilih salah satu: %(values)s.")
            % {"values": ", ".join(Channel.values)},
        )
    if data.category:
        found.category = category_by_code(data.category, max_age=max_age)
        if found.category is None:
            _err(
                errors, "category", _("Kategori %(code)s tidak dikenal.") % {"code": data.category}
            )
    if data.agency:
        found.agency = agency_by_code(data.agency, max_age=max_age)
        if found.agency is None:
            _err(errors, "agency", _("Instansi %(code)s tidak dikenal.") % {"code": data.agency})
    if data.region:
        found.region = region_by_code(data.region, max_age=max_age)
        if found.region is None:
            _err(
                errors, "region", _("Kode wilayah %(code)s tidak dikenal.") % {"code": data.region}
            )
    _validate_point(errors, data.lat, data.lon)
    if data.event_date is not None and data.event_date > today:
        _err(errors, "event_date", _("Tanggal kejadian tidak boleh di masa depan."))
    if len(data.address or "") > 500:
        _err(errors, "address", _("Alamat paling banyak 500 karakter."))
    return errors, found


def _validate_point(errors: Errors, lat: float | None, lon: float | None) -> None:
    if lat is None and lon is None:
        return
    if lat is None or lon is None:
        _err(
            errors,
            "lat" if lat is None else "lon",
            _("Lintang dan bujur harus diisi keduanya atau tidak sama sekali."),
        )
        return
    if not -90 <= lat <= 90:
        _err(errors, "lat", _("Lintang harus antara -90 dan 90."))
    elif not LAT_MIN <= lat <= LAT_MAX:
        _err(
            errors,
            "lat",
            _("Lokasi berada di luar wilayah Indonesia (lintang %(min)s sampai %(max)s).")
            % {"min": LAT_MIN, "max": LAT_MAX},
        )
    if not -180 <= lon <= 180:
        _err(errors, "lon", _("Bujur harus antara -180 dan 180."))
    elif not LON_MIN <= lon <= LON_MAX:
        _err(
            errors,
            "lon",
            _("Lokasi berada di luar wilayah Indonesia (bujur %(min)s sampai %(max)s).")
            % {"min": LON_MIN, "max": LON_MAX},
        )


def _local_today(now: datetime) -> date:
    return timezone.localtime(now).date()


def _is_user(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


SUBMIT_OPERATION = "report_submit"


def _submission_fingerprint(data: ReportSubmission, attachments: Sequence[Any]) -> str:
    """The request, whatever the channel: the submitted fields and each file's SHA-256."""
    files = []
    for upload in attachments:
        digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        files.append(digest.hexdigest())
    return fingerprint_of({"data": asdict(data), "files": files})


def _submit_rate_limits(user: Any, client_ip: str) -> None:
    limits = settings.LAPOR
    rate_limit_hit(key=f"report_submit:ip:{client_ip}", limit=limits["RATE_LIMIT_SUBMIT_PER_IP"])
    if user is not None:
        rate_limit_hit(
            key=f"report_submit:user:{user.pk}", limit=limits["RATE_LIMIT_SUBMIT_PER_ACCOUNT"]
        )


def _replayed(stored: StoredResponse) -> SubmitResult:
    receipt = SubmitReceipt.from_json(stored.body)
    report = Report.objects.get(tracking_id=receipt.tracking_id)
    return SubmitResult(
        report=report, reporter_key=receipt.reporter_key, receipt=receipt, replayed=True
    )


def report_submit(
    *,
    actor_user: Any,
    data: ReportSubmission,
    attachments: Sequence[Any] = (),
    client_ip: str | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Validate and store a new report; a guest gets a reporter key (shown once).

    Guards for every channel (API, web form, later e-mail/SMS/Open311):

    - ``client_ip``: the caller's address. When given (every network channel must give it),
      submissions are rate-limited per address and per account (``LAPOR["RATE_LIMIT_SUBMIT_*"]``,
      `RateLimited` with the seconds to wait). None only for trusted internal callers (the demo
      seeder, imports), which are not limited.
    - ``idempotency_key``: the client's key. The same client (user id, or else address) sending
      the same submission with the same key gets the first result again (``replayed``, with the
      reporter key) and nothing is created; the same key with another submission raises
      `IdempotencyKeyReused`. The record is written in the report's own transaction and holds
      no reporter key (see `lapor.core.idempotency`).

    The hot path: the code look-ups, the SLA ladder version and the holiday-override check are
    read through this process's short-lived caches (``LAPOR["HOT_PATH_CACHE_SECONDS"]``, default
    2 s; any change made in this process is seen at once, see `lapor.deadlines.selectors`), and the
    report is inserted with the head of its chain (`event_append_first`): a guest submission is
    the report, event, public search document and outbox INSERTs and the COMMIT.
    """
    now = now or timezone.now()
    user = actor_user if _is_user(actor_user) else None
    key = None
    if idempotency_key and idempotency_key.strip():
        key = idempotency_key_for(
            operation=SUBMIT_OPERATION,
            client=idempotency_client(user=user, client_address=client_ip),
            raw_key=idempotency_key,
            fingerprint=_submission_fingerprint(data, attachments),
        )
        stored = idempotency_replay(key, now=now) if key is not None else None
        if stored is not None:
            return _replayed(stored)
    if client_ip is not None:
        _submit_rate_limits(user, client_ip)

    max_age = hot_path_max_age()
    errors, found = _validate_submission(data, _local_today(now), max_age=max_age)
    prepared: list[Any] = []
    if attachments:
        from .attachments import attachments_prepare

        try:
            prepared = list(attachments_prepare(attachments))
        except ValidationFailed as exc:
            errors.extend(exc.errors or [{"field": "attachments", "message": exc.detail}])
    if errors:
        raise ValidationFailed(_("Laporan belum dapat dikirim: periksa isian."), errors=errors)

    reporter_key = None if user is not None else secrets.token_urlsafe(24)
    ruleset, ladder = clock.ladder_at(now, max_age=max_age)

    try:
        with transaction.atomic():
            report = Report(
                tracking_id=new_tracking_id(),
                type=data.type,
                title=data.title.strip(),
                content=data.content.strip(),
                category=found.category,
                requested_agency=found.agency,
                agency=None,
                region=found.region,
                address=(data.address or "").strip(),
                lat=data.lat,
                lon=data.lon,
                event_date=data.event_date,
                channel=data.channel,
                is_anonymous=data.is_anonymous,
                is_confidential=data.is_confidential,
                reporter=user,
                reporter_key_hash=hash_reporter_key(reporter_key) if reporter_key else "",
                reporter_name=(data.reporter_name or (user.full_name if user else "")).strip(),
                reporter_email=(data.reporter_email or (user.email if user else "")).strip(),
                reporter_phone=(data.reporter_phone or (user.phone if user else "")).strip(),
                import_source=data.import_source,
                status=Status.SUBMITTED,
                sla_ruleset=ruleset,
                sla_class=SlaClass.SIMPLE,
                submitted_at=now,
                clock_started_at=now,
                deadline_step=workflow.Step.VERIFICATION,
            )
            report.deadline = clock.due(
                report,
                workflow.Step.VERIFICATION,
                now,
                ladder=ladder,
                cal=clock.calendar(max_age=max_age),
            )
            event = event_append_first(
                report=report,
                action=workflow.Act.SUBMIT,
                at=now,
                actor=user,
                actor_role=REPORTER_ROLE,
                to_status=Status.SUBMITTED,
                to_agency=found.agency,
                deadline=report.deadline,
                sla_step=workflow.Step.VERIFICATION,
                data={
                    "channel": data.channel,
                    "is_anonymous": data.is_anonymous,
                    "is_confidential": data.is_confidential,
                    "sla_ruleset": ruleset.version if ruleset is not None else None,
                },
            )
            search_document_refresh(report, new=True)
            if prepared:
                from .attachments import attachments_store

                attachments_store(report=report, event=event, prepared=prepared, uploaded_by=user)
            _outbox(report, event, topic="report.submitted")
            receipt = SubmitReceipt(
                report.tracking_id, report.status, report.deadline, reporter_key
            )
            if key is not None:
                # in this transaction: the report and its record are committed together or not
                idempotency_record(key, status_code=201, body=receipt.as_json())
    except IdempotencyRace:
        # a concurrent request with the same key committed first: this one left nothing
        assert key is not None
        stored = idempotency_replay(key)
        if stored is None:
            raise Conflict(
                _("Permintaan dengan Idempotency-Key ini sedang diproses. Coba lagi.")
            ) from None
        return _replayed(stored)
    return SubmitResult(report=report, reporter_key=reporter_key, receipt=receipt)


# --- side effects --------------------------------------------------------------------------


def _outbox(report: Report, event: Event, *, topic: str | None = None) -> None:
    OutboxMessage.objects.create(
        topic=topic or f"report.{event.action}",
        payload={
            "tracking_id": report.tracking_id,
            "report_id": report.pk,
            "event_seq": event.seq,
            "action": event.action,
            "status": report.status,
            "agency": report.agency.code if report.agency_id and report.agency else None,
        },
    )
    transaction.on_commit(_kick_outbox)


# At most one immediate and one delayed outbox task per KICK_INTERVAL per process: a task
# delivers every pending message, so one queued right after a commit, and one scheduled for the
# end of the interval for commits made in between, deliver everything as before with at most
# two queue writes per second instead of one per transaction. In Huey's immediate mode (tests)
# every commit runs the outbox at once, as before.
KICK_INTERVAL = 1.0
_kick_state = {"next_at": 0.0, "delayed": False}


def _kick_outbox() -> None:
    try:
        from huey.contrib.djhuey import HUEY

        from .tasks import process_outbox

        if HUEY.immediate:
            process_outbox()
            return
        moment = time.monotonic()
        if moment >= _kick_state["next_at"]:
            _kick_state["next_at"] = moment + KICK_INTERVAL
            _kick_state["delayed"] = False
            process_outbox()
        elif not _kick_state["delayed"]:
            # runs after the interval, so after this commit and every one until then
            _kick_state["delayed"] = True
            process_outbox.schedule(delay=_kick_state["next_at"] - moment + 0.05)
    except Exception:  # the periodic run delivers what a failed kick left behind
        logger.exception("could not queue the outbox")


OutboxHandler = Callable[[OutboxMessage], None]
OUTBOX_HANDLERS: dict[str, OutboxHandler] = {}


def outbox_register(topic_prefix: str, handler: OutboxHandler) -> None:
    """Other apps (notifications, analytics) subscribe to report events here."""
    OUTBOX_HANDLERS[topic_prefix] = handler


def outbox_process(*, limit: int = 200, now: datetime | None = None) -> int:
    """Deliver pending outbox messages once each; returns how many were processed."""
    now = now or timezone.now()
    done = 0
    pending = list(OutboxMessage.objects.filter(processed_at__isnull=True).order_by("id")[:limit])
    for message in pending:
        handlers = [h for p, h in OUTBOX_HANDLERS.items() if message.topic.startswith(p)]
        try:
            for handler in handlers:
                handler(message)
        except Exception as exc:
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=str(exc)[:2000]
            )
            continue
        updated = OutboxMessage.objects.filter(pk=message.pk, processed_at__isnull=True).update(
            processed_at=now, attempts=message.attempts + 1
        )
        done += updated
    return done


# --- lifecycle actions ---------------------------------------------------------------------


@dataclass
class _Change:
    """What one action does, built by its handler and applied by report_act."""

    variant: str = ""
    event: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    after: list[Callable[[Report, Event], None]] = field(default_factory=list)


@dataclass
class _Ctx:
    report: Report
    actor: policy.Actor
    user: Any
    params: dict[str, Any]
    now: datetime
    errors: Errors = field(default_factory=list)

    def text(self, name: str, *, required: bool, max_len: int = TEXT_MAX, min_len: int = 1) -> str:
        raw = self.params.get(name)
        value = "" if raw is None else str(raw).strip()
        if not value:
            if required:
                _err(self.errors, name, _("Wajib diisi."))
            return ""
        if len(value) < min_len:
            _err(self.errors, name, _("Paling sedikit %(n)d karakter.") % {"n": min_len})
        if len(value) > max_len:
            _err(self.errors, name, _("Paling banyak %(n)d karakter.") % {"n": max_len})
        return value

    def flag(self, name: str) -> bool | None:
        raw = self.params.get(name)
        if raw is None:
            return None
        if isinstance(raw, bool):
            return raw
        _err(self.errors, name, _("Harus true atau false."))
        return None

    def conflict(self, message: str) -> Conflict:
        return Conflict(
            message,
            extra={"allowed_actions": _allowed_for(self.report, self.actor, self.now)},
        )


def _agency(ctx: _Ctx, name: str, *, required: bool) -> Agency | None:
    code = ctx.params.get(name)
    if not code:
        if required:
            _err(ctx.errors, name, _("Wajib diisi."))
        return None
    agency = Agency.objects.filter(code=str(code)).first()
    if agency is None:
        _err(ctx.errors, name, _("Instansi %(code)s tidak dikenal.") % {"code": code})
    return agency


def _set_flags(ctx: _Ctx, change: _Change) -> None:
    """`is_anonymous` / `is_confidential` in the params (on set_flags, or on verify)."""
    for name in ("is_anonymous", "is_confidential"):
        value = ctx.flag(name)
        if value is not None and value != getattr(ctx.report, name):
            change.fields[name] = value
            change.event.setdefault("data", {})[name] = value


def _h_verify(ctx: _Ctx) -> _Change:
    report = ctx.report
    change = _Change()
    agency = _agency(
        ctx, "agency", required=report.agency_id is None and not report.requested_agency_id
    )
    agency = agency or report.agency or report.requested_agency
    if agency is not None and not policy.can(
        ctx.actor, policy.Action.REPORT_ROUTE_TO, policy.AgencyTarget(agency.code)
    ):
        _err(
            ctx.errors,
            "agency",
            _("Admin instansi hanya memverifikasi untuk instansinya sendiri; gunakan forward."),
        )
    category_code = ctx.params.get("category")
    if category_code:
        category = Category.objects.filter(code=str(category_code)).first()
        if category is None:
            _err(
                ctx.errors,
                "category",
                _("Kategori %(code)s tidak dikenal.") % {"code": category_code},
            )
        else:
            change.fields["category"] = category
    sla_class = ctx.params.get("sla_class")
    if sla_class:
        if sla_class not in SlaClass.values:
            _err(
                ctx.errors,
                "sla_class",
                _("Kelas SLA tidak dikenal; pilih salah satu: %(values)s.")
                % {"values": ", ".join(SlaClass.values)},
            )
        else:
            change.fields["sla_class"] = sla_class
    _set_flags(ctx, change)
    change.fields["agency"] = agency
    change.fields["unit"] = None
    change.fields["verified_at"] = ctx.now
    change.event.update(
        to_agency=agency,
        data={**change.event.get("data", {}), "sla_class": sla_class or report.sla_class},
    )
    return change


def _h_dispose(ctx: _Ctx) -> _Change:
    report = ctx.report
    code = ctx.params.get("unit")
    unit = None
    if not code:
        _err(ctx.errors, "unit", _("Wajib diisi."))
    else:
        unit = Unit.objects.filter(agency=report.agency, code=str(code), is_active=True).first()
        if unit is None:
            _err(
                ctx.errors,
                "unit",
                _("Unit %(code)s tidak ada di instansi yang bertanggung jawab.") % {"code": code},
            )
        elif not policy.may_dispose_to(ctx.actor, report_target(report), unit.path):
            _err(ctx.errors, "unit", _("Disposisi hanya ke bawah dalam pohon unit Anda."))
    return _Change(fields={"unit": unit}, event={"to_unit": unit})


def _h_forward(ctx: _Ctx) -> _Change:
    report = ctx.report
    agency = _agency(ctx, "agency", required=False)
    reason = ctx.text("reason", required=True)
    if agency is not None and agency.pk == report.agency_id:
        _err(ctx.errors, "agency", _("Laporan sudah berada di instansi ini."))
    variant = "to_agency" if ctx.params.get("agency") else "to_national"
    return _Change(
        variant=variant,
        fields={"agency": agency, "unit": None, "assigned_to": None},
        event={"to_agency": agency, "text": reason, "reason_code": "bukan_wewenang"},
    )


def _h_postpone(ctx: _Ctx) -> _Change:
    reason = ctx.text("reason", required=True)
    until = ctx.params.get("until")
    if isinstance(until, str):
        try:
            until = date.fromisoformat(until)
        except ValueError:
            _err(ctx.errors, "until", _("Tanggal tidak sah (YYYY-MM-DD)."))
            until = None
    if until is not None and until <= _local_today(ctx.now):
        _err(ctx.errors, "until", _("Tanggal harus setelah hari ini."))
    if ctx.report.is_postponed:
        raise ctx.conflict(_("Laporan sudah ditunda."))
    return _Change(
        fields={
            "is_postponed": True,
            "postpone_reason": reason,
            "postponed_until": until,
            "paused_at": ctx.now,
        },
        event={"text": reason, "data": {"until": until.isoformat() if until else None}},
    )


def _resume_change(report: Report, now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    deadline, days = clock.resume(report, now)
    fields = {
        "is_postponed": False,
        "postponed_until": None,
        "paused_at": None,
        "deadline": deadline,
    }
    return fields, {"paused_working_days": days}


def _h_resume(ctx: _Ctx) -> _Change:
    if not ctx.report.is_postponed:
        raise ctx.conflict(_("Laporan tidak sedang ditunda."))
    note = ctx.text("note", required=False)
    fields, data = _resume_change(ctx.report, ctx.now)
    return _Change(fields=fields, event={"text": note, "data": data})


def _h_extend(ctx: _Ctx) -> _Change:
    from lapor.deadlines import sla

    report = ctx.report
    reason = ctx.text("reason", required=True)
    raw_days = ctx.params.get("working_days")
    original = clock.rule_days(report, report.deadline_step) if report.deadline_step else 0
    days = original if raw_days is None else raw_days
    if not isinstance(days, int) or isinstance(days, bool):
        _err(ctx.errors, "working_days", _("Harus bilangan bulat."))
        return _Change()
    if report.extended_at is not None:
        raise ctx.conflict(_("Tenggat laporan ini sudah pernah diperpanjang (hanya sekali)."))
    if report.deadline is None:
        raise ctx.conflict(_("Tidak ada tenggat yang berjalan."))
    check = sla.extension_allowed(
        original_days=original, requested_days=days, extensions_used=0, reason=reason or "x"
    )
    if not check.allowed:
        _err(
            ctx.errors,
            "working_days",
            _("Perpanjangan 1 sampai %(n)d hari kerja (panjang tenggat semula).") % {"n": original},
        )
        return _Change()
    return _Change(
        fields={
            "deadline": clock.extend(report, days),
            "extension_reason": reason,
            "extended_at": ctx.now,
        },
        event={"text": reason, "data": {"extension_days": days}},
    )


def _h_archive(ctx: _Ctx) -> _Change:
    code = ctx.params.get("reason_code")
    note = ctx.text("note", required=False)
    change = _Change(fields={"archive_reason": code, "archived_at": ctx.now})
    if code not in ArchiveReason.values:
        _err(
            ctx.errors,
            "reason_code",
            _("Alasan arsip tidak dikenal; pilih salah satu: %(values)s.")
            % {"values": ", ".join(ArchiveReason.values)},
        )
    if code == ArchiveReason.DUPLICATE:
        raw = ctx.params.get("duplicate_of")
        original = None
        if not raw:
            _err(ctx.errors, "duplicate_of", _("Sebutkan nomor pelacakan laporan aslinya."))
        else:
            try:
                original = Report.objects.filter(tracking_id=tracking_id_parse(str(raw))).first()
            except NotFound:
                original = None
            if original is None or original.pk == ctx.report.pk:
                _err(ctx.errors, "duplicate_of", _("Laporan asli tidak ditemukan."))
                original = None
        change.fields["duplicate_of"] = original
        change.event["data"] = {"duplicate_of": original.tracking_id if original else None}
    change.event.update(reason_code=code or "", text=note)
    return change


def _h_respond(ctx: _Ctx) -> _Change:
    content = ctx.text("content", required=True, min_len=10)
    fields: dict[str, Any] = {"responded_at": ctx.now}
    if ctx.report.first_response_at is None:
        fields["first_response_at"] = ctx.now
    change = _Change(fields=fields, event={"text": content})
    files = ctx.params.get("attachments") or ()
    if files:
        from .attachments import attachments_prepare, attachments_store

        try:
            prepared = attachments_prepare(files)
        except ValidationFailed as exc:
            ctx.errors.extend(exc.errors or [{"field": "attachments", "message": exc.detail}])
            return change

        def store(report: Report, event: Event) -> None:
            attachments_store(report=report, event=event, prepared=prepared, uploaded_by=ctx.user)

        change.after.append(store)
    return change


def _h_reply(ctx: _Ctx) -> _Change:
    content = ctx.text("content", required=True)
    disputes = ctx.flag("disputes") or False
    variant = "after_response" if ctx.report.status == Status.RESPONDED else "while_open"
    return _Change(
        variant=variant,
        event={
            "text": content,
            "reason_code": "dispute" if disputes else "",
            "data": {"disputes": disputes},
        },
    )


def _h_close(ctx: _Ctx) -> _Change:
    note = ctx.text("note", required=False)
    return _Change(fields={"closed_at": ctx.now}, event={"text": note})


def _h_reopen(ctx: _Ctx) -> _Change:
    report = ctx.report
    reason = ctx.text("reason", required=True)
    variant = "from_archive" if report.status == Status.ARCHIVED else ""
    reopen_any = policy.can(ctx.actor, policy.Action.REPORT_REOPEN_ANY, report_target(report))
    if variant and not reopen_any:
        raise PermissionDenied(_("Hanya admin nasional yang dapat membuka kembali laporan arsip."))
    if (
        report.status == Status.CLOSED
        and not reopen_any
        and report.closed_at is not None
        and ctx.now > clock.due(report, workflow.Step.CLOSING, report.closed_at)
    ):
        raise ctx.conflict(_("Masa untuk membuka kembali laporan sudah lewat."))
    fields: dict[str, Any] = {"closed_at": None}
    if variant:
        fields.update(
            archived_at=None, archive_reason="", duplicate_of=None, agency=None, unit=None
        )
    return _Change(variant=variant, fields=fields, event={"text": reason})


def _h_escalate(ctx: _Ctx) -> _Change:
    to = ctx.params.get("to")
    if to not in ESCALATION_TARGETS:
        _err(ctx.errors, "to", _("Tujuan eskalasi harus 'ombudsman'."))
    if not clock.escalation_allowed(ctx.report, ctx.now):
        raise ctx.conflict(
            _("Eskalasi ke Ombudsman baru dapat dilakukan mulai %(at)s.")
            % {
                "at": timezone.localtime(clock.escalation_from(ctx.report)).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
        )
    return _Change(
        fields={"escalated_at": ctx.now},
        event={"reason_code": str(to or ""), "data": {"to": to, "consent": True}},
    )


def _h_rate(ctx: _Ctx) -> _Change:
    score = ctx.params.get("score")
    comment = ctx.text("comment", required=False, max_len=2000)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        _err(ctx.errors, "score", _("Nilai harus bilangan bulat 1 sampai 5."))
    if ctx.report.responded_at is None:
        raise ctx.conflict(_("Laporan belum ditanggapi."))
    if ctx.report.rating is not None:
        raise ctx.conflict(_("Laporan ini sudah dinilai."))
    return _Change(
        fields={"rating": score, "rating_comment": comment},
        event={"text": comment, "data": {"score": score}},
    )


def _h_set_flags(ctx: _Ctx) -> _Change:
    change = _Change()
    _set_flags(ctx, change)
    if ctx.params.get("is_anonymous") is None and ctx.params.get("is_confidential") is None:
        _err(ctx.errors, "is_anonymous", _("Isi is_anonymous dan/atau is_confidential."))
    return change


def _h_note(ctx: _Ctx) -> _Change:
    text = ctx.text("text", required=True)
    return _Change(event={"text": text, "is_internal": True})


def _h_assign(ctx: _Ctx) -> _Change:
    from lapor.accounts.selectors import officers_for_assignment

    raw = ctx.params.get("user")
    officer = None
    if raw is None:
        _err(ctx.errors, "user", _("Wajib diisi."))
    else:
        # an active officer of the responsible organisation whose unit covers the report's
        officer = (
            officers_for_assignment(agency=ctx.report.agency, unit=ctx.report.unit)
            .filter(pk=raw if isinstance(raw, int) and not isinstance(raw, bool) else -1)
            .first()
        )
        if officer is None:
            _err(ctx.errors, "user", _("Petugas tidak ditemukan di instansi ini."))
    return _Change(
        fields={"assigned_to": officer},
        event={"is_internal": True, "data": {"assigned_to": officer.pk if officer else None}},
    )


def _h_mark_late(ctx: _Ctx) -> _Change:
    report = ctx.report
    if (
        report.deadline is None
        or report.deadline >= ctx.now
        or report.is_postponed
        or Event.objects.filter(
            report=report, action="became_late", deadline=report.deadline
        ).exists()
    ):
        raise ctx.conflict(_("Laporan tidak (lagi) terlambat atau sudah ditandai."))
    return _Change(event={"data": {"late_since": report.deadline.isoformat()}})


_HANDLERS: dict[str, Callable[[_Ctx], _Change]] = {
    workflow.Act.VERIFY: _h_verify,
    workflow.Act.DISPOSE: _h_dispose,
    workflow.Act.FORWARD: _h_forward,
    workflow.Act.POSTPONE: _h_postpone,
    workflow.Act.RESUME: _h_resume,
    workflow.Act.EXTEND: _h_extend,
    workflow.Act.ARCHIVE: _h_archive,
    workflow.Act.RESPOND: _h_respond,
    workflow.Act.REPLY: _h_reply,
    workflow.Act.CLOSE: _h_close,
    workflow.Act.REOPEN: _h_reopen,
    workflow.Act.ESCALATE: _h_escalate,
    workflow.Act.RATE: _h_rate,
    workflow.Act.SET_FLAGS: _h_set_flags,
    workflow.Act.NOTE: _h_note,
    workflow.Act.ASSIGN: _h_assign,
    workflow.Act.AUTO_CLOSE: lambda ctx: _Change(
        fields={"closed_at": ctx.now}, event={"reason_code": "no_reply"}
    ),
    workflow.Act.MARK_LATE: _h_mark_late,
}

# the event's action name when it differs from the workflow action
_EVENT_ACTION: dict[str, str] = {
    workflow.Act.AUTO_CLOSE: "close",
    workflow.Act.MARK_LATE: "became_late",
}

# the policy action that guards each workflow action
_POLICY_ACTION: dict[str, policy.Action] = {
    workflow.Act.VERIFY: policy.Action.REPORT_VERIFY,
    workflow.Act.DISPOSE: policy.Action.REPORT_DISPOSE,
    workflow.Act.FORWARD: policy.Action.REPORT_FORWARD,
    workflow.Act.POSTPONE: policy.Action.REPORT_POSTPONE,
    workflow.Act.RESUME: policy.Action.REPORT_POSTPONE,
    workflow.Act.EXTEND: policy.Action.REPORT_EXTEND,
    workflow.Act.ARCHIVE: policy.Action.REPORT_ARCHIVE,
    workflow.Act.RESPOND: policy.Action.REPORT_RESPOND,
    workflow.Act.REPLY: policy.Action.REPORT_REPLY,
    workflow.Act.CLOSE: policy.Action.REPORT_CLOSE,
    workflow.Act.REOPEN: policy.Action.REPORT_REOPEN,
    workflow.Act.ESCALATE: policy.Action.REPORT_ESCALATE,
    workflow.Act.RATE: policy.Action.REPORT_RATE,
    workflow.Act.SUPPORT: policy.Action.REPORT_SUPPORT,
    workflow.Act.SET_FLAGS: policy.Action.REPORT_SET_FLAGS,
    workflow.Act.NOTE: policy.Action.REPORT_NOTE,
    workflow.Act.ASSIGN: policy.Action.REPORT_ASSIGN,
}
_REPORTER_ACTIONS = frozenset(
    {
        workflow.Act.REPLY,
        workflow.Act.CLOSE,
        workflow.Act.RATE,
        workflow.Act.REOPEN,
        workflow.Act.ESCALATE,
        workflow.Act.SET_FLAGS,
    }
)


def _allowed_for(report: Report, actor: policy.Actor, now: datetime | None = None) -> list[str]:
    """Actions the caller may take on the report in its current status (for buttons and 409s)."""
    target = report_target(report)
    found = []
    for action in workflow.allowed_actions(report.status):
        guard = _POLICY_ACTION.get(action)
        if guard is None or not policy.can(actor, guard, target):
            continue
        if action == workflow.Act.POSTPONE and report.is_postponed:
            continue
        if action == workflow.Act.RESUME and not report.is_postponed:
            continue
        if action == workflow.Act.RATE and (report.responded_at is None or report.rating):
            continue
        if action == workflow.Act.ESCALATE and not clock.escalation_allowed(
            report, now or timezone.now()
        ):
            continue
        found.append(action)
    return found


def report_allowed_actions(*, report: Report, actor: policy.Actor) -> list[str]:
    return _allowed_for(report, actor)


def _role_for_event(actor: policy.Actor, report: Report, action: str) -> str:
    if action in _REPORTER_ACTIONS and policy.reporter_of_report(actor, report_target(report)):
        return REPORTER_ROLE
    return actor.role or ("reporter" if actor.holds_reporter_key else "public")


def _lock(report_id: int | None, tracking_id: str | None) -> Report:
    qs = Report.objects.select_for_update(of=("self",)).select_related(
        "agency", "unit", "requested_agency", "sla_ruleset"
    )
    if report_id is not None:
        report = qs.filter(pk=report_id).first()
    elif tracking_id is not None:
        report = qs.filter(tracking_id=tracking_id_parse(tracking_id)).first()
    else:
        raise NotFound(_("Laporan tidak ditemukan."))
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return report


def _apply_clock(
    report: Report, transition: workflow.Transition, now: datetime, event_data: dict[str, Any]
) -> None:
    effect = transition.clock
    if effect == workflow.Clock.START and transition.step is not None:
        if report.is_postponed:  # any restart ends a postponement
            report.is_postponed = False
            report.postponed_until = None
            report.paused_at = None
        report.deadline = clock.due(report, transition.step, now)
        report.deadline_step = transition.step
        report.clock_started_at = now
    elif effect == workflow.Clock.STOP:
        report.deadline = None
        report.deadline_step = ""
        report.is_postponed = False
        report.paused_at = None
        report.postponed_until = None


def report_act(
    *,
    action: str,
    actor_user: Any,
    report_id: int | None = None,
    tracking_id: str | None = None,
    reporter_key: str | None = None,
    params: dict[str, Any] | None = None,
    now: datetime | None = None,
    expected_event_hash: str | None = None,
    system: bool = False,
) -> Report:
    """Take one lifecycle action. The only code that changes a report's status.

    404 when the caller may not view the report, 403 when the caller may not take the action,
    409 (with `allowed_actions`) when the status does not allow it or `expected_event_hash` is no
    longer the head of the timeline (someone acted first), 422 for bad parameters. Nothing is
    half-applied: everything happens in one transaction under the row lock.
    `system=True` is for scheduled tasks (no caller; system-only actions).
    """
    now = now or timezone.now()
    params = dict(params or {})
    if action == workflow.Act.SUPPORT:
        found = Report.objects.select_related("agency", "unit", "requested_agency")
        if report_id is not None:
            report = found.filter(pk=report_id).first()
        else:
            report = found.filter(tracking_id=tracking_id_parse(tracking_id or "")).first()
        if report is None:
            raise NotFound(_("Laporan tidak ditemukan."))
        return report_support(report=report, user=actor_user)
    if action in workflow.SYSTEM_ACTIONS and not system:
        raise NotFound(_("Aksi tidak dikenal."))
    if action not in _HANDLERS:
        raise NotFound(_("Aksi tidak dikenal."))

    with transaction.atomic():
        report = _lock(report_id, tracking_id)
        user = actor_user if _is_user(actor_user) else None
        if system:
            actor = policy.Actor(role=None)
        else:
            actor = actor_of(user, holds_reporter_key=key_matches(report, reporter_key))
            target = report_target(report)
            if not policy.can(actor, policy.Action.REPORT_VIEW, target):
                raise NotFound(_("Laporan tidak ditemukan."))
            if not policy.can(actor, _POLICY_ACTION[action], target):
                raise PermissionDenied(
                    _("Anda tidak berwenang melakukan aksi %(action)s pada laporan ini.")
                    % {"action": action}
                )
        if expected_event_hash is not None and expected_event_hash != report.last_event_hash:
            raise Conflict(
                _("Laporan telah diubah oleh orang lain; muat ulang dan coba lagi."),
                extra={"allowed_actions": _allowed_for(report, actor, now)},
            )
        try:
            workflow.transition_for(report.status, action)
        except workflow.TransitionNotAllowed:
            raise Conflict(
                _("Aksi %(action)s tidak dapat dilakukan pada status %(status)s.")
                % {"action": action, "status": report.status},
                extra={"allowed_actions": _allowed_for(report, actor, now)},
            ) from None

        ctx = _Ctx(report=report, actor=actor, user=user, params=params, now=now)
        change = _HANDLERS[action](ctx)
        if ctx.errors:
            raise ValidationFailed(_("Parameter aksi tidak sah."), errors=ctx.errors)
        transition = workflow.transition_for(report.status, action, variant=change.variant)

        from_status, from_agency, from_unit = report.status, report.agency, report.unit
        for name, value in change.fields.items():
            setattr(report, name, value)
        report.status = transition.lands_on(workflow.St(report.status))
        event_data = dict(change.event.pop("data", {}) or {})
        _apply_clock(report, transition, now, event_data)
        if action == workflow.Act.REPLY and transition.variant == "after_response":
            event_data["restarted"] = True

        event_kwargs: dict[str, Any] = {
            "from_status": from_status,
            "to_status": report.status,
            "deadline": report.deadline,
            "sla_step": report.deadline_step,
            "data": event_data,
        }
        if (
            report.agency_id != (from_agency.pk if from_agency else None)
            or action == workflow.Act.VERIFY
        ):
            event_kwargs.update(from_agency=from_agency, to_agency=report.agency)
        if report.unit_id != (from_unit.pk if from_unit else None):
            event_kwargs.update(from_unit=from_unit, to_unit=report.unit)
        for key in ("to_agency", "to_unit"):
            change.event.pop(key, None)
        event_kwargs.update(change.event)
        event = event_append(
            report=report,
            action=_EVENT_ACTION.get(action, str(action)),
            at=now,
            actor=None if system else user,
            actor_role=SYSTEM_ROLE if system else _role_for_event(actor, report, action),
            **event_kwargs,
        )
        report.save()
        for step in change.after:
            step(report, event)
        _outbox(report, event)
    return report


# --- support ------------------------------------------------------------------------------


def report_support(*, report: Report, user: Any) -> Report:
    """A signed-in user supports (dukung) a report, once; a second time answers 409."""
    actor = actor_of(user if _is_user(user) else None)
    target = report_target(report)
    if not policy.can(actor, policy.Action.REPORT_VIEW, target):
        raise NotFound(_("Laporan tidak ditemukan."))
    if not _is_user(user):
        raise PermissionDenied(_("Masuk terlebih dahulu untuk mendukung laporan."))
    if not policy.can(actor, policy.Action.REPORT_SUPPORT, target):
        raise PermissionDenied(_("Anda tidak dapat mendukung laporan ini."))
    try:
        with transaction.atomic():
            Support.objects.create(report=report, user=user)
            Report.objects.filter(pk=report.pk).update(supports_count=F("supports_count") + 1)
    except IntegrityError:  # the unique (report, user) constraint: once per user
        raise Conflict(_("Anda sudah mendukung laporan ini.")) from None
    report.refresh_from_db(fields=["supports_count"])
    return report


# --- scheduled work and recomputation ---------------------------------------------------------


def _summed(report: Report, key: str, since: datetime | None) -> int:
    qs = Event.objects.filter(report=report, action__in=("resume", "extend"))
    if since is not None:
        qs = qs.filter(at__gte=since)
    return sum(int((e.data or {}).get(key) or 0) for e in qs.only("data"))


def reports_recompute_deadlines(
    *, reason: str, actor: Any = None, now: datetime | None = None
) -> int:
    """Recompute the deadline of every open report (e.g. after a holiday override) and write a
    `deadline_recomputed` event on each one that changed. Returns how many changed."""
    from lapor.deadlines import sla

    now = now or timezone.now()
    cal = clock.calendar()
    changed = 0
    ids = list(
        Report.objects.filter(status__in=OPEN_STATUSES, deadline__isnull=False)
        .exclude(deadline_step="")
        .values_list("pk", flat=True)
    )
    user = actor if _is_user(actor) else None
    for pk in ids:
        with transaction.atomic():
            report = _lock(pk, None)
            if report.status not in OPEN_STATUSES or not report.deadline_step:
                continue
            start = report.clock_started_at or report.submitted_at
            paused = _summed(report, "paused_working_days", start)
            extension = _summed(report, "extension_days", start)
            base = clock.due(report, report.deadline_step, start, paused_days=paused, cal=cal)
            new = sla.shift_deadline(base, extension, cal) if extension else base
            if new == report.deadline:
                continue
            old = report.deadline
            report.deadline = new
            event_append(
                report=report,
                action=workflow.Act.DEADLINE_RECOMPUTED,
                at=now,
                actor=user,
                actor_role=getattr(user, "role", "") or SYSTEM_ROLE,
                from_status=report.status,
                to_status=report.status,
                deadline=new,
                sla_step=report.deadline_step,
                text=reason,
                data={"old_deadline": old.isoformat() if old else None},
            )
            report.save(update_fields=["deadline", "last_event_hash", "updated_at"])
            changed += 1
    return changed


def _system_sweep(
    queryset: QuerySet[Report], *, action: str, now: datetime, params: dict[str, Any] | None = None
) -> int:
    """Take one system action on each report of the query; a report whose state changed in the
    meantime (the action now answers 409) is left alone. Returns how many were changed, so a
    second run over the same time changes nothing and returns 0."""
    done = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            report_act(
                action=action, actor_user=None, report_id=pk, now=now, system=True, params=params
            )
        except Conflict:
            continue
        done += 1
    return done


def reports_close_unanswered(*, now: datetime | None = None) -> int:
    """System close of responded reports whose closing period passed with no reply."""
    now = now or timezone.now()
    due = Report.objects.filter(
        status=Status.RESPONDED, deadline_step=workflow.Step.CLOSING, deadline__lt=now
    )
    return _system_sweep(due, action=workflow.Act.AUTO_CLOSE, now=now)


def reports_mark_late(*, now: datetime | None = None) -> int:
    """A `became_late` event, once per deadline, on every open report past its deadline."""
    now = now or timezone.now()
    late = Report.objects.filter(status__in=OPEN_STATUSES, deadline__lt=now, is_postponed=False)
    return _system_sweep(late, action=workflow.Act.MARK_LATE, now=now)


def reports_resume_postponed(*, now: datetime | None = None) -> int:
    """End the postponements whose `until` day has come (the clock resumes, the deadline moves by
    the paused working days); running again changes nothing."""
    now = now or timezone.now()
    ended = Report.objects.filter(
        status__in=OPEN_STATUSES, is_postponed=True, postponed_until__lte=_local_today(now)
    )
    return _system_sweep(
        ended,
        action=workflow.Act.RESUME,
        now=now,
        params={"note": _("Masa penundaan berakhir.")},
    )


def reports_remind_officers(*, now: datetime | None = None, working_days_before: int = 1) -> int:
    """One outbox reminder per report and deadline when at most `working_days_before` working
    days are left; running again changes nothing."""
    from lapor.deadlines.workdays import working_days_between

    now = now or timezone.now()
    cal = clock.calendar()
    today = _local_today(now)
    done = 0
    qs = (
        Report.objects.filter(status__in=OPEN_STATUSES, deadline__gte=now, is_postponed=False)
        .exclude(agency__isnull=True)
        .select_related("agency")
        .only("pk", "tracking_id", "deadline", "deadline_step", "agency__code", "status")
    )
    for report in qs:
        assert report.deadline is not None
        due_day = timezone.localtime(report.deadline).date()
        if working_days_between(today, due_day, cal) > working_days_before:
            continue
        key = f"{report.pk}:{report.deadline.isoformat()}"
        if OutboxMessage.objects.filter(topic="report.reminder", payload__key=key).exists():
            continue
        OutboxMessage.objects.create(
            topic="report.reminder",
            payload={
                "key": key,
                "tracking_id": report.tracking_id,
                "report_id": report.pk,
                "agency": report.agency.code if report.agency else None,
                "deadline": report.deadline.isoformat(),
                "sla_step": report.deadline_step,
            },
        )
        done += 1
    return done
