"""Bahasa Indonesia by default: the language comes from the visitor's explicit choice only."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IndonesianByDefaultMiddleware:
    """Ignore the browser's Accept-Language on pages so that Indonesian is the default and
    English is chosen with the language switch (Django's set_language cookie). Runs before
    django.middleware.locale.LocaleMiddleware. The API keeps Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
