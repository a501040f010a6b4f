"""API authentication: a browser session or `Authorization: Bearer <token>`.

`api_auth` lets anonymous callers through (many endpoints are public) but refuses a wrong,
expired or revoked token with 401 instead of silently treating the caller as anonymous.
`api_auth_required` refuses anonymous callers too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security.base import SecuritySchema
from ninja.utils import check_csrf

from .tokens import token_authenticate

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class LaporAuth:
    """Callable auth for Django Ninja. Returns the user, or AnonymousUser when allowed."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __init__(self, *, required: bool) -> None:
        self.required = required
        # Django Ninja documents an auth callable by this attribute (AuthBase sets it likewise)
        self.openapi_security_schema = SecuritySchema(type="http", scheme="bearer")

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, credentials = header.partition(" ")
            if scheme.lower() != "bearer" or not credentials.strip():
                raise AuthenticationError()
            user = token_authenticate(raw_token=credentials.strip())
            if user is None:
                raise AuthenticationError()
            request.user = user
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method in _UNSAFE:
                error = check_csrf(request)
                if error:
                    # signed in, but the form did not prove it came from our pages: 403 as
                    # Django answers a CSRF failure (a 401 would wrongly ask to sign in again)
                    raise HttpError(403, "CSRF verification failed.")
            return user
        if self.required:
            return None
        return AnonymousUser()


api_auth = LaporAuth(required=False)
api_auth_required = LaporAuth(required=True)
