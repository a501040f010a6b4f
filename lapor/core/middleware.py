"""Turn every non-JSON error under /api/ into problem+json.

Django Ninja answers the errors it raises itself; this middleware catches the rest: a path that
matches no route (Django's 404), an error raised outside Ninja, CSRF failures, and lockouts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.views.defaults import bad_request

from .errors import PROBLEM_CONTENT_TYPE, problem_response

logger = logging.getLogger(__name__)

_DETAILS = {
    400: "The request could not be understood.",
    401: "Authentication is required.",
    403: "You do not have permission to perform this action.",
    404: "Nothing exists at this address.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    429: "Too many requests; try again later.",
    500: "An unexpected error occurred. It has been logged.",
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class ProblemJsonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith(PROBLEM_CONTENT_TYPE):
            return response
        status = response.status_code
        detail = _DETAILS.get(status, "The request failed.")
        headers = {
            h: response[h] for h in ("Retry-After", "Allow", "WWW-Authenticate") if h in response
        }
        return problem_response(status, detail, headers=headers)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        unreadable = isinstance(exception, MultiPartParserError | UnreadablePostError)
        if not _is_api(request):
            # a malformed body is the client's error: 400, not a logged server error
            return bad_request(request, exception) if unreadable else None
        if unreadable:
            return problem_response(400, _DETAILS[400])
        logger.exception("Unhandled error on %s", request.path, exc_info=exception)
        return problem_response(500, _DETAILS[500])
