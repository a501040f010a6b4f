"""Errors as `application/problem+json` (RFC 9457) and the stable error codes the API returns."""

from __future__ import annotations

import json
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ErrorCode(StrEnum):
    """Stable machine-readable codes, returned as the `code` member of a problem."""

    BAD_REQUEST = "bad_request"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    VALIDATION = "validation_error"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    INVALID_TRANSITION = "invalid_transition"
    IDEMPOTENCY_MISMATCH = "idempotency_key_reused"
    MISTYPED_TRACKING_ID = "mistyped_tracking_id"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA = "unsupported_media_type"


_DEFAULT_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA,
    422: ErrorCode.VALIDATION,
    429: ErrorCode.RATE_LIMITED,
    500: ErrorCode.SERVER_ERROR,
}


class ApiError(Exception):
    """Raised by api code (or translated from a service error) to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or _DEFAULT_CODES.get(status, ErrorCode.BAD_REQUEST)
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}


class ServiceError(Exception):
    """Base of errors that services raise for a broken business rule.

    Each subclass names the HTTP status the API maps it to, so services stay free of HTTP while
    the API answers consistently.
    """

    status = 400
    code: str = ErrorCode.BAD_REQUEST

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra or {}


class NotFound(ServiceError):
    status = 404
    code = ErrorCode.NOT_FOUND


class PermissionDenied(ServiceError):
    status = 403
    code = ErrorCode.PERMISSION_DENIED


class Conflict(ServiceError):
    status = 409
    code = ErrorCode.CONFLICT


class ValidationFailed(ServiceError):
    """Bad input; `errors` lists `{"field", "message"}` pairs."""

    status = 422
    code = ErrorCode.VALIDATION


class RateLimited(ServiceError):
    status = 429
    code = ErrorCode.RATE_LIMITED

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def problem_body(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    code = code or _DEFAULT_CODES.get(status, ErrorCode.BAD_REQUEST)
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {
        "type": f"https://lapor.go.id/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": str(code),
    }
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body = problem_body(status, detail, code=code, errors=errors, extra=extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
