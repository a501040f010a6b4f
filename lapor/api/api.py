"""The v1 API: one NinjaAPI that mounts each app's router and answers every error as problem+json."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import AuthorizationError as NinjaAuthorizationError

from lapor.accounts.auth import api_auth
from lapor.core.errors import ApiError, ServiceError, problem_response

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="SP4N-LAPOR! API",
    version="1",
    description=(
        "Public API of SP4N-LAPOR!, Indonesia's national public-service complaint system. "
        "Errors are application/problem+json (RFC 9457). Authenticate with a browser session "
        "or `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-v1",
    auth=api_auth,
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _field_name(loc: list[object]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header", "payload")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(list(err.get("loc", []))), "message": str(err.get("msg", "invalid"))}
        for err in exc.errors
    ]
    return problem_response(422, "The request has invalid fields.", errors=errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        401,
        "Authentication is required: sign in or send `Authorization: Bearer <token>`.",
        headers={"WWW-Authenticate": 'Bearer realm="lapor"'},
    )


@api.exception_handler(NinjaAuthorizationError)
def on_forbidden(request: HttpRequest, exc: NinjaAuthorizationError) -> HttpResponse:
    return problem_response(403, str(exc) or "You do not have permission to perform this action.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, str(exc) or "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, str(exc))


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return problem_response(
        exc.status,
        exc.detail,
        code=exc.code,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    headers = {}
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return problem_response(
        exc.status, exc.detail, code=exc.code, errors=exc.errors, headers=headers, extra=exc.extra
    )


@api.exception_handler(MultiPartParserError)
@api.exception_handler(UnreadablePostError)
def on_unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(
        400,
        "The request body could not be read: send JSON, or multipart/form-data with a boundary.",
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s", request.path, exc_info=exc)
    return problem_response(500, "An unexpected error occurred. It has been logged.")


def _mount() -> None:
    from lapor.accounts.api import router as accounts_router
    from lapor.agencies.api import router as agencies_router
    from lapor.analytics.api import router as analytics_router
    from lapor.deadlines.api import router as deadlines_router
    from lapor.reports.api import router as reports_router
    from lapor.routing.api import router as routing_router

    for router in (
        agencies_router,
        accounts_router,
        deadlines_router,
        reports_router,
        routing_router,
        analytics_router,
    ):
        api.add_router("/", router)


_mount()
