"""`Idempotency-Key`: the same request retried by the same client returns the first answer.

Rules (API contract, "Conventions"; the trade-offs are in docs/adr/0008-idempotency-per-client.md):

* A key belongs to one **client** and one operation: an authenticated user by id, anyone else by
  client address (`lapor.core.ratelimit.client_ip`). Two guests from two addresses who send the
  same key and body get two answers; neither can read the other's.
* The same key with the same request fingerprint within ``LAPOR["IDEMPOTENCY_TTL_HOURS"]``
  returns the *first* response (status, body, content type; the API adds the header
  ``Idempotent-Replayed: true``); nothing is created again.
* The same key with a different fingerprint answers 422 ``idempotency_key_reused``.
* **Nothing secret is stored**: the record keeps an HMAC of the scope (so no client address) and
  of the key, and the first response *encrypted* (AES-GCM) with a key derived from the raw
  Idempotency-Key, which only the client has, and the server's secret. A reporter key in a
  replayed response is therefore readable only by a client that presents the raw key again.
* The record is written **in the transaction of what it answers for**: a request that dies before
  its commit leaves neither the object nor the record, so a retry runs again and creates one;
  a request whose commit succeeded always left its record, so a retry replays. Two concurrent
  first requests with the same key: the second one's INSERT of the record waits for the first
  transaction (PostgreSQL's unique index; SQLite serialises writers) and then fails; its own
  work is rolled back and it replays the first answer.
* Only 2xx answers are kept; after any other answer the client can correct and retry.
* Expired records are purged by the periodic task ``lapor.core.tasks.idempotency_purge``.

Two ways to use it:

* A service does it itself (report submission: `lapor.reports.services.report_submit`) with
  `idempotency_key_for`, `idempotency_replay` and `idempotency_record` inside its transaction —
  so every channel (API, web form, …) gets it.
* Any other Ninja POST operation takes the decorator, placed under the route decorator::

      @router.post("/tokens", response={201: TokenCreated})
      @idempotent
      def token_create(request, payload: TokenIn): ...

  The whole operation then runs in one transaction with the record; the request body's SHA-256
  (for multipart with the random boundary replaced by a constant) is the fingerprint.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import inspect
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view

from .errors import ErrorCode, ServiceError, problem_response
from .models import IdempotencyRecord
from .ratelimit import client_ip

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
_SEALED_VERSION = "v1:"

_STATE_ATTR = "_lapor_idempotency"

F = TypeVar("F", bound=Callable[..., Any])


class IdempotencyKeyReused(ServiceError):
    status = 422
    code = ErrorCode.IDEMPOTENCY_MISMATCH


class IdempotencyKeyInvalid(ServiceError):
    status = 400
    code = ErrorCode.BAD_REQUEST


class IdempotencyRace(Exception):
    """Another request with the same key and scope committed its record first."""


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's key for one operation, ready to look up and store (lives in memory only)."""

    scope_hash: str
    key_hash: str
    fingerprint: str
    cipher_key: bytes


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: bytes
    content_type: str


def _ttl() -> timedelta:
    return timedelta(hours=settings.LAPOR["IDEMPOTENCY_TTL_HOURS"])


def idempotency_client(*, user: Any, client_address: str | None) -> str:
    """Who a key belongs to: an authenticated user by id, anyone else by address."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"ip:{client_address}" if client_address else "internal"


def idempotency_key_for(
    *, operation: str, client: str, raw_key: str | None, fingerprint: str
) -> IdempotencyKey | None:
    """The stored form of a client's raw key (None when the client sent none)."""
    raw = (raw_key or "").strip()
    if not raw:
        return None
    if len(raw) > MAX_KEY_LENGTH:
        raise IdempotencyKeyInvalid(
            _("Idempotency-Key paling panjang %(n)d karakter.") % {"n": MAX_KEY_LENGTH}
        )
    scope = f"{operation}\n{client}"
    scope_hash = salted_hmac("lapor.idempotency.scope", scope, algorithm="sha256").hexdigest()
    key_hash = salted_hmac(
        "lapor.idempotency.key", f"{scope}\n{raw}", algorithm="sha256"
    ).hexdigest()
    salt = salted_hmac("lapor.idempotency.cipher", scope, algorithm="sha256").digest()
    cipher_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"lapor idempotency response v1"
    ).derive(raw.encode("utf-8"))
    return IdempotencyKey(scope_hash, key_hash, fingerprint, cipher_key)


def _aad(key: IdempotencyKey) -> bytes:
    return f"{key.scope_hash}:{key.key_hash}".encode()


def _seal(key: IdempotencyKey, body: bytes) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key.cipher_key).encrypt(nonce, body, _aad(key))
    return _SEALED_VERSION + base64.b64encode(nonce + sealed).decode("ascii")


def _open(key: IdempotencyKey, sealed: str) -> bytes | None:
    if not sealed.startswith(_SEALED_VERSION):
        return None
    try:
        raw = base64.b64decode(sealed[len(_SEALED_VERSION) :])
        return AESGCM(key.cipher_key).decrypt(raw[:12], raw[12:], _aad(key))
    except (InvalidTag, ValueError):
        return None


def idempotency_replay(
    key: IdempotencyKey, *, now: datetime | None = None
) -> StoredResponse | None:
    """The first response to this key, or None (never seen, or expired: then forgotten).

    Raises `IdempotencyKeyReused` when the key was used for a different request."""
    moment = now or timezone.now()
    record = IdempotencyRecord.objects.filter(
        scope_hash=key.scope_hash, key_hash=key.key_hash
    ).first()
    if record is None:
        return None
    if record.created_at < moment - _ttl():
        IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
        return None
    if record.fingerprint != key.fingerprint:
        raise IdempotencyKeyReused(
            _(
                "Idempotency-Key ini sudah dipakai untuk permintaan lain dengan isi berbeda. "
                "Gunakan kunci baru."
            )
        )
    body = _open(key, record.sealed_response)
    if body is None:  # the server's secret changed since: the record cannot be read any more
        return None
    return StoredResponse(record.status_code, body, record.content_type)


def idempotency_record(
    key: IdempotencyKey, *, status_code: int, body: bytes, content_type: str = "application/json"
) -> None:
    """Store the response to `key`: call inside the transaction that wrote what it answers for.

    Raises `IdempotencyRace` when a concurrent request with the same key stored its own first;
    let it leave the transaction (everything is rolled back) and replay that one instead."""
    try:
        IdempotencyRecord.objects.create(
            scope_hash=key.scope_hash,
            key_hash=key.key_hash,
            fingerprint=key.fingerprint,
            status_code=status_code,
            sealed_response=_seal(key, body),
            content_type=content_type[:100],
        )
    except IntegrityError as exc:
        raise IdempotencyRace from exc


def fingerprint_of(value: Any) -> str:
    """SHA-256 of a JSON-able value in canonical form (sorted keys; dates as ISO text)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_response(stored: StoredResponse) -> HttpResponse:
    response = HttpResponse(
        stored.body, status=stored.status_code, content_type=stored.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


# --- the decorator for Ninja operations ------------------------------------------------------


@dataclass
class _State:
    raw_key: str
    fingerprint: str
    key: IdempotencyKey | None = None
    replayed: bool = False


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


def _request_user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or getattr(request, "user", None)


def _operation_wrapper(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Around Ninja's whole operation: hash the raw body first (a multipart body can be read only
    once), then run the operation and store its final response in one transaction."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        raw_key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not raw_key:
            return run(request, *args, **kwargs)
        if len(raw_key) > MAX_KEY_LENGTH:
            return problem_response(
                400, _("Idempotency-Key paling panjang %(n)d karakter.") % {"n": MAX_KEY_LENGTH}
            )
        state = _State(raw_key=raw_key, fingerprint=body_hash(request))
        setattr(request, _STATE_ATTR, state)
        try:
            with transaction.atomic():
                response = run(request, *args, **kwargs)
                if state.key is None or state.replayed:
                    return response
                if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
                    idempotency_record(
                        state.key,
                        status_code=response.status_code,
                        body=response.content,
                        content_type=response.get("Content-Type", "application/json"),
                    )
                else:
                    transaction.set_rollback(True)  # nothing of a refused request is kept
                return response
        except IdempotencyRace:
            assert state.key is not None
            stored = idempotency_replay(state.key)
            if stored is None:
                return problem_response(
                    409, _("Permintaan dengan Idempotency-Key ini sedang diproses. Coba lagi.")
                )
            return stored_response(stored)

    return wrapper


def idempotent(view: F) -> F:
    """Honour `Idempotency-Key` on a Ninja POST operation (place it under ``@router.post``)."""
    if hasattr(view, "_ninja_operation"):
        raise TypeError("@idempotent must be placed below the @router.post(...) decorator")
    operation_name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # inside Ninja's call: authentication has run, so the client is known
        state: _State | None = getattr(request, _STATE_ATTR, None)
        if state is not None:
            client = idempotency_client(
                user=_request_user(request), client_address=client_ip(request)
            )
            state.key = idempotency_key_for(
                operation=f"{request.method} {request.path} {operation_name}",
                client=client,
                raw_key=state.raw_key,
                fingerprint=state.fingerprint,
            )
            assert state.key is not None
            stored = idempotency_replay(state.key)
            if stored is not None:
                state.replayed = True
                return stored_response(stored)
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
    """Delete records older than the TTL; return how many."""
    moment = now or timezone.now()
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=moment - _ttl()).delete()
    return deleted
