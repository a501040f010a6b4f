"""Template context shared by every page: the main navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def _item(request: HttpRequest, name: str, label: str) -> dict[str, Any] | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return {"url": url, "label": label, "current": request.path == url}


def navigation(request: HttpRequest) -> dict[str, Any]:
    from lapor.accounts.policy import Action
    from lapor.accounts.selectors import user_can

    from .permissions import is_officer

    if request.path.startswith("/api/"):
        return {}
    entries = [
        ("web:report_submit", _("Buat laporan")),
        ("web:track", _("Lacak laporan")),
        ("web:public_list", _("Laporan publik")),
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        entries.append(("web:my_reports", _("Laporan saya")))
        if is_officer(user):
            entries.append(("web:inbox", _("Kotak masuk")))
        if user_can(user, Action.DASHBOARD_NATIONAL):
            entries.append(("web:national_dashboard", _("Dasbor nasional")))
        elif getattr(user, "agency_id", None) and is_officer(user):
            entries.append(("web:dashboard", _("Dasbor")))
    items = [item for name, label in entries if (item := _item(request, name, label))]
    return {"web_nav": items}
