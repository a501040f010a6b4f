"""One place that turns a service's refusal into a readable page: a hidden or unknown report is
the site's 404 page and a refused action its 403 page — never Django's debug page, whatever
DEBUG says."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from lapor.core.errors import NotFound, PermissionDenied


def not_found_page(request: HttpRequest, detail: str = "") -> HttpResponse:
    return render(
        request,
        "web/errors/404.html",
        {"detail": detail or _("Halaman atau laporan ini tidak ada, atau tidak dapat Anda lihat.")},
        status=404,
    )


def denied_page(request: HttpRequest, detail: str = "") -> HttpResponse:
    return render(
        request,
        "web/errors/403.html",
        {"detail": detail or _("Anda tidak berwenang melakukan ini.")},
        status=403,
    )


V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def service_errors(view: V) -> V:
    """Map `NotFound` to the 404 page and `PermissionDenied` to the 403 page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return not_found_page(request, exc.detail)
        except PermissionDenied as exc:
            return denied_page(request, exc.detail)

    return cast(V, wrapped)
