"""`Idempotency-Key` for POST endpoints that create something.

Use it under the Ninja route decorator::

    @router.post("/reports", response={201: ReportCreated})
    @idempotent
    def report_create(request, payload: ReportIn): ...

Rules (API contract, "Conventions"):

* The key is scoped by method, path and caller (the user's id, or ``guest``).
* The same key with the same body (SHA-256 of the raw request body — for multipart the whole
  body, files included, with the random boundary replaced by a constant) within ``settings.LAPOR["IDEMPOTENCY_TTL_HOURS"]`` returns the *first*
  response (status, body, content type) with the header ``Idempotent-Replayed: true``; the view
  does not run again, so nothing new is created.
* The same key with a different body answers 422 ``idempotency_key_reused``.
* A request whose key is still being processed by another request answers 409 (the client may
  retry it); this is how concurrent first requests are told apart: the first one claims the key
  by inserting its row (unique ``(scope, key)``), the others hit ``IntegrityError``.
* Only 2xx responses are kept; after any other answer the claim is released so the client can
  correct the request and retry with the same key.
* Expired records are ignored and purged by the periodic task
  ``lapor.core.tasks.idempotency_purge``.

How it hooks into Ninja: the body hash is taken *before* Ninja parses the request (a multipart
body can only be read once) and the final ``HttpResponse`` is stored *after* Ninja serialised the
view's result (``ninja.decorators.decorate_view`` on the operation), while the key is checked and
claimed *inside* the view call, after authentication, so the caller is known.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view

from .errors import ApiError, ErrorCode
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
IN_PROGRESS = 0  # status_code of a claimed key whose response is not known yet
# a claim older than this is from a request that died half-way: it may be taken over
STALE_CLAIM = timedelta(minutes=5)

_HASH_ATTR = "_lapor_idempotency_hash"
_CLAIM_ATTR = "_lapor_idempotency_claim"

F = TypeVar("F", bound=Callable[..., Any])


def _ttl() -> timedelta:
    return timedelta(hours=settings.LAPOR["IDEMPOTENCY_TTL_HOURS"])


def _caller(request: HttpRequest) -> str:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return "guest"


def _scope(request: HttpRequest) -> str:
    scope = f"{request.method} {request.path} {_caller(request)}"
    if len(scope) > 255:
        scope = "sha256:" + hashlib.sha256(scope.encode()).hexdigest()
    return scope


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        record.response_body, status=record.status_code, content_type=record.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(
    *, scope: str, key: str, body_hash: str, now: datetime
) -> tuple[IdempotencyRecord, bool]:
    """Claim the key: ``(record, True)``; or ``(record that already holds it, False)``."""
    for _attempt in range(3):
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is not None:
            expired = existing.created_at < now - _ttl()
            stale = existing.status_code == IN_PROGRESS and existing.created_at < now - STALE_CLAIM
            if not (expired or stale):
                return existing, False
            IdempotencyRecord.objects.filter(
                pk=existing.pk, created_at=existing.created_at
            ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    body_hash=body_hash,
                    status_code=IN_PROGRESS,
                    response_body="",
                )
        except IntegrityError:
            continue  # another request claimed it between our read and insert: read again
        return record, True
    raise ApiError(
        409, _("Permintaan dengan Idempotency-Key ini sedang diproses. Coba lagi sebentar lagi.")
    )


def _check_and_claim(request: HttpRequest) -> HttpResponse | None:
    key = request.headers.get(HEADER, "").strip()
    body_hash = getattr(request, _HASH_ATTR, None)
    if not key or body_hash is None:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise ApiError(
            400,
            _("Idempotency-Key paling panjang %(n)d karakter.") % {"n": MAX_KEY_LENGTH},
        )
    record, claimed = _claim(
        scope=_scope(request), key=key, body_hash=body_hash, now=timezone.now()
    )
    if claimed:
        setattr(request, _CLAIM_ATTR, record.pk)
        return None
    if record.body_hash != body_hash:
        raise ApiError(
            422,
            _(
                "Idempotency-Key ini sudah dipakai untuk permintaan lain dengan isi berbeda. "
                "Gunakan kunci baru."
            ),
            code=ErrorCode.IDEMPOTENCY_MISMATCH,
        )
    if record.status_code == IN_PROGRESS:
        raise ApiError(
            409,
            _("Permintaan dengan Idempotency-Key ini sedang diproses. Coba lagi sebentar lagi."),
        )
    return _replay(record)


def _finish(request: HttpRequest, response: HttpResponseBase) -> None:
    claim_id = getattr(request, _CLAIM_ATTR, None)
    if claim_id is None:
        return
    setattr(request, _CLAIM_ATTR, None)
    records = IdempotencyRecord.objects.filter(pk=claim_id, status_code=IN_PROGRESS)
    if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
        records.update(
            status_code=response.status_code,
            response_body=response.content.decode(response.charset or "utf-8", "replace"),
            content_type=response.get("Content-Type", "application/json")[:100],
        )
    else:
        records.delete()


def body_hash(request: HttpRequest) -> str:
    """SHA-256 of the raw body; for multipart, with the (random) boundary replaced by a constant,
    so that a client retrying the same fields and files with a fresh boundary is recognised."""
    raw = request.body
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        for param in content_type.split(";")[1:]:
            name, _sep, value = param.strip().partition("=")
            if name.lower() == "boundary" and value.strip('"'):
                raw = raw.replace(value.strip('"').encode("latin-1"), b"lapor-boundary")
                break
    return hashlib.sha256(raw).hexdigest()


def _operation_wrapper(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Around Ninja's whole operation: hash the raw body first, store the final response after."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and request.headers.get(HEADER, "").strip():
            setattr(request, _HASH_ATTR, body_hash(request))
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            _finish(request, HttpResponse(status=500))
            raise
        _finish(request, response)
        return response

    return wrapper


def idempotent(view: F) -> F:
    """Honour `Idempotency-Key` on a Ninja POST operation (place it under ``@router.post``)."""
    if hasattr(view, "_ninja_operation"):
        raise TypeError("@idempotent must be placed below the @router.post(...) decorator")

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        replay = _check_and_claim(request)
        if replay is not None:
            return replay
        return view(request, *args, **kwargs)

    # Ninja reads the signature with the *wrapper's* globals: resolve string annotations
    # (``from __future__ import annotations``) against the view's module now
    with contextlib.suppress(NameError):  # an annotation naming something defined later
        wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    # functools.wraps shared the callback list of `view`: give the wrapper its own
    wrapper._ninja_contribute_to_operation = list(  # type: ignore[attr-defined]
        getattr(view, "_ninja_contribute_to_operation", [])
    )
    decorate_view(_operation_wrapper)(wrapper)
    return wrapper  # type: ignore[return-value]


def idempotency_records_purge(*, now: datetime | None = None) -> int:
    """Delete records older than the TTL (and claims abandoned for longer); return how many."""
    moment = now or timezone.now()
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=moment - _ttl()).delete()
    return deleted
