"""The submission of a report: validation, the tracking ID, the verification clock, the first
event. Every later change is a declared action applied by `lapor.reports.actions.engine.report_act`;
the system's scheduled work is in `lapor.reports.sweeps`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency, Category, Region
from lapor.core.errors import Conflict, ValidationFailed
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
from lapor.deadlines import sla

from . import clock, workflow
from .choices import CITIZEN_TYPES, Channel, Status
from .events import event_append_first
from .models import Report, ReportClock
from .outbox import outbox_write
from .search import search_document_refresh
from .selectors import hash_reporter_key
from .tracking import new_tracking_id

logger = logging.getLogger(__name__)

TITLE_MIN, TITLE_MAX = 10, 150
CONTENT_MIN, CONTENT_MAX = 30, 10_000
TEXT_MAX = 10_000
# Indonesia's bounding box (with a margin for the outer islands)
LAT_MIN, LAT_MAX = -11.5, 6.5
LON_MIN, LON_MAX = 94.5, 141.5
REPORTER_ROLE = "reporter"

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
    if title and not TITLE_MIN <= len(title) <= TITLE_MAX:
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
    if data.type not in CITIZEN_TYPES:
        _err(
            errors,
            "type",
            _("Jenis laporan tidak dikenal; pilih salah satu: %(values)s.")
            % {"values": ", ".join(CITIZEN_TYPES)},
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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def title_from_content(content: str, *, limit: int = TITLE_MAX) -> str:
    """A title drafted from the content when the reporter gave none (an SMS has none): its first
    sentence, cut at a word boundary to fit, with an ellipsis when cut."""
    text = " ".join((content or "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".!? ")
    if len(first) < TITLE_MIN:
        first = text
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;: ")
    return (cut or first[: limit - 1]) + "…"


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
            content = data.content.strip()
            report = Report(
                tracking_id=new_tracking_id(),
                type=data.type,
                title=(data.title or "").strip() or title_from_content(content),
                content=content,
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
                sla_class=sla.default_class(data.type),
                submitted_at=now,
                deadline_step=workflow.Step.VERIFICATION,
            )
            report.deadline = clock.due(
                report,
                workflow.Step.VERIFICATION,
                now,
                ladder=ladder,
                cal=clock.calendar(max_age=max_age),
            )
            due_iso = timezone.localtime(report.deadline).isoformat()
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
                    "type": data.type,
                    "sla_class": report.sla_class,
                    "is_anonymous": data.is_anonymous,
                    "is_confidential": data.is_confidential,
                    "title_drafted": not (data.title or "").strip(),
                    "sla_ruleset": ruleset.version if ruleset is not None else None,
                    "clocks": {workflow.Step.VERIFICATION: due_iso},
                },
            )
            ReportClock.objects.create(
                report=report,
                step=workflow.Step.VERIFICATION,
                agency=None,
                started_at=now,
                start_seq=event.seq,
                due_at=report.deadline,
                ruleset=ruleset,
            )
            if prepared:
                from .attachments import attachments_store

                attachments_store(report=report, event=event, prepared=prepared, uploaded_by=user)
            search_document_refresh(report, new=True)
            outbox_write(report=report, event=event, topic="report.submitted")
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
