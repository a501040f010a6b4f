"""Citizen pages: submit, confirmation, track, report page with the reporter's actions,
public list with support (dukung). Every write goes through lapor.reports.services."""

from __future__ import annotations

import functools
import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lapor.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from lapor.core.idempotency import IdempotencyKeyReused
from lapor.core.paginator import CappedPaginator
from lapor.core.ratelimit import client_ip, rate_limit_hit
from lapor.reports.actions.engine import report_act
from lapor.reports.choices import OPEN_STATUSES, ReportType
from lapor.reports.presenter import ReportView
from lapor.reports.selectors import ReportFilters, report_get_for, report_list
from lapor.reports.services import ReportSubmission, report_submit

from . import choices_data
from .actions import OFFICER_PAGE_ACTIONS, REPORTER_PAGE_ACTIONS, FormState, act_from_form
from .errors import not_found_page, service_errors
from .forms import ReportForm, TrackForm
from .htmx import is_htmx
from .permissions import is_officer
from .report_helpers import (
    add_service_errors,
    deadline_view,
    new_key_forget,
    new_key_hand_over,
    new_key_taken,
    session_key_remember,
    session_proof_for,
)

SUBMIT_STEPS = {"region", "category", "agency"}


def _report_form(request: HttpRequest, *, bound: bool) -> ReportForm:
    source = request.POST if request.method == "POST" else request.GET
    return ReportForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        initial=None if bound else {k: source.get(k) for k in source},
        category_choices=choices_data.category_choices(
            q=source.get("category_q"), keep=source.get("category")
        ),
        agency_choices=choices_data.agency_choices(
            q=source.get("agency_q"), keep=source.get("agency")
        ),
        region_choices=choices_data.region_choices(source),
        guest=not request.user.is_authenticated,
    )


IDEMPOTENCY_FIELD = "idempotency_key"


def report_submit_page(request: HttpRequest) -> HttpResponse:
    """The submit form. It works without JavaScript: the pickers' "show" buttons post the form
    back with what was typed (`step`), and HTMX only makes those round-trips smaller.

    The form carries a random idempotency key (a hidden field, kept across the round-trips): a
    double click or a resubmission after "back" gets the first report again instead of a second
    one. The service rate-limits the form like the API."""
    step = request.POST.get("step") if request.method == "POST" else None
    is_final = request.method == "POST" and step not in SUBMIT_STEPS
    form = _report_form(request, bound=request.method == "POST")
    posted_key = request.POST.get(IDEMPOTENCY_FIELD, "") if request.method == "POST" else ""
    context: dict[str, Any] = {
        "form": form,
        "hide_errors": not is_final,
        "category_q": request.POST.get("category_q", "") or request.GET.get("category_q", ""),
        "agency_q": request.POST.get("agency_q", "") or request.GET.get("agency_q", ""),
        "idempotency_key": posted_key[:64] or secrets.token_urlsafe(24),
    }
    if not is_final:
        return render(request, "web/report/submit.html", context)
    if form.is_valid():
        data = form.cleaned_data
        submission = ReportSubmission(
            type=data["type"],
            title=data["title"],
            content=data["content"],
            category=data.get("category") or None,
            agency=data.get("agency") or None,
            region=form.region_code(),
            address=data.get("address") or "",
            lat=data.get("lat"),
            lon=data.get("lon"),
            event_date=data.get("event_date"),
            is_anonymous=bool(data.get("is_anonymous")),
            is_confidential=bool(data.get("is_confidential")),
            reporter_name=data.get("reporter_name") or "",
            reporter_email=data.get("reporter_email") or "",
            reporter_phone=data.get("reporter_phone") or "",
        )
        submit = functools.partial(
            report_submit,
            actor_user=request.user,
            data=submission,
            attachments=data.get("attachments") or [],
            client_ip=client_ip(request),
        )
        try:
            try:
                result = submit(idempotency_key=context["idempotency_key"])
            except IdempotencyKeyReused:
                # the form was sent before and then changed (back, edit, send): a new report
                context["idempotency_key"] = secrets.token_urlsafe(24)
                result = submit(idempotency_key=context["idempotency_key"])
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        except RateLimited as exc:
            form.add_error(None, exc.detail)
        else:
            tracking_id = result.report.tracking_id
            response = redirect("web:report_sent", tracking_id=tracking_id)
            if result.reporter_key:
                session_key_remember(request, tracking_id, result.reporter_key)
                new_key_hand_over(response, tracking_id=tracking_id, key=result.reporter_key)
            return response
    return render(request, "web/report/submit.html", context, status=422)


SIMILAR_MAX = 5
SIMILAR_MIN_WORD = 3
SIMILAR_MAX_WORDS = 6


def similar_open_reports(title: str) -> list[Any]:
    """Up to five open, public reports whose text matches the words of `title` (the reports
    full-text search, as a visitor sees it: never a confidential report)."""
    words = [w for w in re.findall(r"\w+", title) if len(w) >= SIMILAR_MIN_WORD]
    if not words:
        return []
    query = " ".join(words[:SIMILAR_MAX_WORDS])
    qs = report_list(actor_user=None, filters=ReportFilters(q=query)).filter(
        status__in=OPEN_STATUSES, is_confidential=False
    )
    return list(qs.order_by("-supports_count", "-submitted_at", "-id")[:SIMILAR_MAX])


@require_GET
def report_similar(request: HttpRequest) -> HttpResponse:
    """HTMX fragment under the submit form's title: similar open reports the visitor may
    support instead of filing again. Without JavaScript it is never asked for."""
    try:
        rate_limit_hit(
            key=f"similar:{client_ip(request)}",
            limit=int(settings.LAPOR.get("RATE_LIMIT_SIMILAR_PER_IP", 60)),
            window_seconds=60,
        )
    except RateLimited as exc:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    title = request.GET.get("title", "")[:150]
    return render(request, "web/report/_similar.html", {"similar": similar_open_reports(title)})


@require_GET
def report_submit_part(request: HttpRequest, part: str) -> HttpResponse:
    """HTMX fragments of the submit form: the region chain, the category or agency picker."""
    if part not in SUBMIT_STEPS:
        raise Http404
    form = _report_form(request, bound=False)
    return render(
        request,
        f"web/report/_{part}.html",
        {
            "form": form,
            "category_q": request.GET.get("category_q", ""),
            "agency_q": request.GET.get("agency_q", ""),
        },
    )


def report_sent(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """Confirmation: the tracking ID and, once, a guest's reporter key."""
    key = new_key_taken(request, tracking_id=tracking_id)
    try:
        report, _actor = report_get_for(
            actor_user=request.user,
            tracking_id=tracking_id,
            reporter_proof=session_proof_for(request, tracking_id),
        )
    except NotFound as exc:
        return not_found_page(request, exc.detail)
    response = render(request, "web/report/sent.html", {"report": report, "reporter_key": key})
    new_key_forget(response)
    return response


def track(request: HttpRequest) -> HttpResponse:
    """Find a report by tracking ID; the reporter key (optional) unlocks the reporter's actions.
    The key is posted, kept in this browser's session, and never put in a URL."""
    form = TrackForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        tracking_id = form.cleaned_data["tracking_id"].strip().upper()
        key = form.cleaned_data.get("reporter_key") or ""
        try:
            report, _actor = report_get_for(
                actor_user=request.user, tracking_id=tracking_id, reporter_key=key or None
            )
        except NotFound as exc:
            form.add_error("tracking_id", exc.detail)
        else:
            if key:
                if request.method != "POST":
                    form.add_error("reporter_key", _("Kirim kunci pelapor dengan tombol Lacak."))
                    return render(request, "web/report/track.html", {"form": form}, status=400)
                session_key_remember(request, report.tracking_id, key)
            return redirect("web:report_detail", tracking_id=report.tracking_id)
    status = 404 if form.is_bound and form.errors else 200
    return render(request, "web/report/track.html", {"form": form}, status=status)


@service_errors
def report_detail(
    request: HttpRequest, tracking_id: str, *, form: FormState | None = None, status: int = 200
) -> HttpResponse:
    """One report as this visitor may see it (the presenter): status, deadlines, timeline,
    answers with their files, and the reporter's actions."""
    report, actor = report_get_for(
        actor_user=request.user,
        tracking_id=tracking_id,
        reporter_proof=session_proof_for(request, tracking_id),
    )
    if report.tracking_id != tracking_id:
        return redirect("web:report_detail", tracking_id=report.tracking_id)
    view = ReportView(report, actor)
    allowed = view.allowed_actions
    context = {
        "report": report,
        "view": view,
        "answers": [e for e in view.events if e.action == "respond"],
        "deadline": deadline_view(report),
        "reporter_actions": [a for a in REPORTER_PAGE_ACTIONS if a in allowed and view.is_reporter],
        "can_support": "support" in allowed and request.user.is_authenticated,
        "form": form or FormState(),
        "officer_url": reverse("web:officer_report", args=[report.tracking_id])
        if is_officer(request.user) and any(a in OFFICER_PAGE_ACTIONS for a in allowed)
        else None,
    }
    return render(request, "web/report/detail.html", context, status=status)


@require_POST
@service_errors
def report_reporter_act(request: HttpRequest, tracking_id: str, action: str) -> HttpResponse:
    """The reporter's actions (reply, dispute, rate, close, reopen, referral, privacy) by form."""
    if action not in REPORTER_PAGE_ACTIONS:
        return not_found_page(request)
    try:
        _report, state = act_from_form(
            request,
            tracking_id=tracking_id,
            action=action,
            reporter_proof=session_proof_for(request, tracking_id),
        )
    except Conflict as exc:
        details = [str(e.get("message")) for e in (exc.errors or [])]
        messages.error(request, " ".join([exc.detail, *details]))
        return redirect("web:report_detail", tracking_id=tracking_id)
    if state.message:
        messages.error(request, state.message)
        return report_detail(request, tracking_id, form=state, status=422)
    messages.success(request, _("Terima kasih, tanggapan Anda sudah tercatat."))
    return redirect("web:report_detail", tracking_id=tracking_id)


PUBLIC_SORTS = {
    "terbaru": ("-submitted_at", "-id"),
    "terlama": ("submitted_at", "id"),
    "dukungan": ("-supports_count", "-submitted_at"),
}


def public_list(request: HttpRequest) -> HttpResponse:
    """Public reports: full-text search, filters, sorting, pagination. Confidential reports
    never appear (the reports app's visibility rules for a visitor)."""
    from .forms import PublicFilterForm

    form = PublicFilterForm(
        request.GET or None,
        category_choices=choices_data.category_choices(keep=request.GET.get("category")),
        agency_choices=choices_data.agency_choices(keep=request.GET.get("agency")),
        region_choices=[("", _("Semua provinsi")), *choices_data.region_choices({})["province"]],
    )
    filters = ReportFilters()
    sort = "terbaru"
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = ReportFilters(
            official_status=data.get("status") or None,
            type=data.get("type") or None,
            agency=data.get("agency") or None,
            category=data.get("category") or None,
            region=data.get("region") or None,
            q=data.get("q") or None,
            since=data.get("since"),
            until=data.get("until"),
        )
        sort = data.get("sort") or "terbaru"
    # the public list is what an anonymous visitor may see, whoever is signed in
    qs = report_list(actor_user=None, filters=filters).order_by(*PUBLIC_SORTS[sort])
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "types": dict(ReportType.choices),
        "now": timezone.now(),
    }
    template = (
        "web/report/_public_results.html" if is_htmx(request) else "web/report/public_list.html"
    )
    return render(request, template, context)


@require_POST
def report_support_view(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """Dukung: one support per signed-in user, through report_act("support")."""
    if not request.user.is_authenticated:
        login = reverse("web:login")
        return redirect(f"{login}?next={reverse('web:report_detail', args=[tracking_id])}")
    try:
        report = report_act(tracking_id=tracking_id, action="support", actor_user=request.user)
    except NotFound as exc:
        return not_found_page(request, exc.detail)
    except (PermissionDenied, Conflict) as exc:
        messages.info(request, exc.detail)
        report = None
    else:
        messages.success(request, _("Dukungan Anda tercatat."))
    if is_htmx(request) and report is not None:
        return render(request, "web/report/_support.html", {"report": report, "supported": True})
    nxt = request.POST.get("next") or ""
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("web:report_detail", tracking_id=tracking_id)


def my_reports(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    qs = report_list(actor_user=request.user, filters=ReportFilters(mine=True))
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "web/report/my_reports.html",
        {"page": page, "query": ""},
    )
