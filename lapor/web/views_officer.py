"""Officer workspace (inbox, report page, actions, bulk actions, attachments) and the public
organisation profile. Every write goes through `lapor.reports.services.report_act`; what an
officer may see and do is asked of the policy (through the reports selectors and services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lapor.accounts import policy
from lapor.accounts.selectors import (
    actor_for,
    officers_for_assignment,
    saved_views_for,
    user_can,
)
from lapor.accounts.services import (
    saved_view_create,
    saved_view_delete,
    saved_view_query_clean,
)
from lapor.agencies.choices import AgencyType
from lapor.agencies.selectors import agency_get
from lapor.analytics.exports import export_rows_csv, export_rows_xlsx
from lapor.analytics.selectors import (
    Period,
    agency_dashboard,
    agency_public_profile,
    national_dashboard,
)
from lapor.core.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed
from lapor.core.paginator import CappedPaginator
from lapor.deadlines.choices import SlaClass
from lapor.reports import clock
from lapor.reports.choices import OPEN_STATUSES, ArchiveReason, Status
from lapor.reports.models import Attachment
from lapor.reports.selectors import (
    ReportFilters,
    report_get_for,
    report_list,
    report_target,
    report_timeline,
)
from lapor.reports.services import report_act, report_allowed_actions
from lapor.routing.selectors import (
    near_identical_responses,
    reply_template_get,
    reply_templates_for,
)

from . import charts, choices_data
from .permissions import is_officer
from .report_helpers import deadline_view, reporter_label, session_key_for, shown_text

if TYPE_CHECKING:
    from lapor.accounts.models import User

OFFICER_ACTIONS = (
    "verify",
    "dispose",
    "forward",
    "postpone",
    "resume",
    "archive",
    "respond",
    "note",
    "assign",
    "set_flags",
    "extend",
    "reopen",
    "escalate",
)
BULK_ACTIONS = ("verify", "dispose", "assign")


def _require_officer(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_officer(request.user):
        raise Http404
    return None


def _sla_states(reports: list[Any]) -> None:
    """Attach the green/yellow/red state to each row (pure computation: no query per row)."""
    now = timezone.now()
    cal = clock.calendar()
    for report in reports:
        report.sla_state = clock.state(report, now, cal) if report.status in OPEN_STATUSES else None


def inbox(request: HttpRequest) -> HttpResponse:
    """The officer's organisation (or unit) sorted by deadline; the national admin's default
    view is the queue of unverified reports from everywhere."""
    denied = _require_officer(request)
    if denied:
        return denied
    actor = actor_for(request.user)
    is_national = policy.can(actor, policy.Action.REPORT_LIST_ALL)
    status = request.GET.get("status", "submitted" if is_national else "")
    if status and status not in Status.values and status != "open":
        status = ""
    filters = ReportFilters(
        status=status if status in Status.values else None,
        q=request.GET.get("q") or None,
        overdue=request.GET.get("overdue") == "1" or None,
    )
    base = report_list(actor_user=request.user, filters=ReportFilters())
    counts = {
        row["status"]: row["n"] for row in base.order_by().values("status").annotate(n=Count("*"))
    }
    qs = report_list(actor_user=request.user, filters=filters)
    assigned_to_me = request.GET.get("saya") == "1"
    if assigned_to_me:
        qs = qs.filter(assigned_to_id=request.user.pk)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    qs = qs.order_by(F("deadline").asc(nulls_last=True), "id")
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _sla_states(rows)
    query = request.GET.copy()
    query.pop("page", None)
    filters_query = saved_view_query_clean(query.urlencode())
    return render(
        request,
        "web/officer/inbox.html",
        {
            "page": page,
            "rows": rows,
            "counts": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
            "open_count": sum(counts.get(s, 0) for s in OPEN_STATUSES),
            "status": status,
            "q": request.GET.get("q", ""),
            "overdue": request.GET.get("overdue") == "1",
            "assigned_to_me": assigned_to_me,
            "is_national": is_national,
            "query": query.urlencode(),
            "bulk_actions": BULK_ACTIONS,
            "saved_views": list(saved_views_for(user=request.user)),
            "filters_query": filters_query,
            "bulk_assignees": list(
                officers_for_assignment(
                    agency=getattr(request.user, "agency", None),
                    unit=getattr(request.user, "unit", None),
                    include_subunits=True,
                )
            ),
        },
    )


@require_POST
def inbox_view_save(request: HttpRequest) -> HttpResponse:
    """Save the inbox's current filters under a name (a plain form: works without JS)."""
    denied = _require_officer(request)
    if denied:
        return denied
    query = saved_view_query_clean(request.POST.get("query", ""))
    try:
        view = saved_view_create(
            user=cast("User", request.user), name=request.POST.get("name", ""), query=query
        )
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, _error_text(exc))
        return redirect(f"{reverse('web:inbox')}?{query}" if query else reverse("web:inbox"))
    messages.success(request, _("Tampilan %(name)s disimpan.") % {"name": view.name})
    return redirect(f"{reverse('web:inbox')}?{view.query}" if view.query else reverse("web:inbox"))


@require_POST
def inbox_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    """Delete one of the officer's own saved inbox views (another's is 404)."""
    denied = _require_officer(request)
    if denied:
        return denied
    try:
        saved_view_delete(user=cast("User", request.user), view=view_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, _("Tampilan dihapus."))
    return redirect("web:inbox")


def _unit_options(agency: Any, q: str) -> list[tuple[str, str]]:
    units = [u for u in agency.units.all() if u.is_active]
    if q:
        units = [u for u in units if q.lower() in u.name.lower() or q.lower() in u.code.lower()]
    return [(u.code, "\u2003" * (u.path.count("/") - 1) + u.name) for u in units]


def officer_report(
    request: HttpRequest,
    tracking_id: str,
    *,
    draft: str = "",
    similar: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    denied = _require_officer(request)
    if denied:
        return denied
    try:
        report, actor = report_get_for(actor_user=request.user, tracking_id=tracking_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    target = report_target(report)
    events = report_timeline(report=report, actor=actor)
    allowed = [a for a in report_allowed_actions(report=report, actor=actor)]
    unit_q = request.GET.get("unit_q", "")
    units: list[tuple[str, str]] = []
    if "dispose" in allowed and report.agency is not None:
        units = _unit_options(agency_get(code=report.agency.code), unit_q)
    attachments = (
        list(report.attachments.all())
        if policy.can(actor, policy.Action.REPORT_VIEW_INTERNAL, target)
        or policy.reporter_of_report(actor, target)
        else []
    )
    context = {
        "report": report,
        "text": shown_text(report, actor),
        "reporter": reporter_label(report, actor),
        "events": events,
        "allowed": allowed,
        "deadline": deadline_view(report),
        "attachments": attachments,
        "units": units,
        "unit_q": unit_q,
        "agencies": choices_data.agency_choices(
            keep=report.requested_agency.code if report.requested_agency else None
        )
        if {"verify", "forward"} & set(allowed)
        else [],
        "categories": choices_data.flatten(choices_data.category_choices())
        if "verify" in allowed
        else [],
        "sla_classes": SlaClass.choices,
        "archive_reasons": ArchiveReason.choices,
        "reply_templates": [],
        "draft": draft,
        "similar": similar or [],
        "today": timezone.localdate(),
        "assignees": list(officers_for_assignment(agency=report.agency, unit=report.unit))
        if "assign" in allowed and report.agency is not None
        else [],
    }
    if "respond" in allowed and report.agency is not None:
        context["reply_templates"] = list(
            reply_templates_for(agency=report.agency, unit=getattr(request.user, "unit", None))
        )
        chosen = request.GET.get("template")
        if chosen and chosen.isdigit() and not draft:
            try:
                context["draft"] = reply_template_get(
                    actor=request.user, template_id=int(chosen)
                ).body
            except NotFound:
                messages.error(request, _("Templat balasan tidak ditemukan."))
    return render(request, "web/officer/report.html", context, status=status)


def _params(action: str, request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    if action == "verify":
        return {k: post.get(k) for k in ("agency", "category", "sla_class") if post.get(k)}
    if action == "dispose":
        return {"unit": post.get("unit", "")}
    if action == "forward":
        params = {"reason": post.get("reason", "")}
        if post.get("agency"):
            params["agency"] = post["agency"]
        return params
    if action == "postpone":
        return {"reason": post.get("reason", ""), "until": post.get("until") or None}
    if action == "resume":
        return {"note": post.get("note", "")}
    if action == "archive":
        return {"reason_code": post.get("reason_code", ""), "note": post.get("note", "")}
    if action == "respond":
        return {
            "content": post.get("content", ""),
            "attachments": request.FILES.getlist("attachments"),
        }
    if action == "note":
        return {"text": post.get("text", "")}
    if action == "assign":
        # a chosen officer (checked by the service), else the officer acting
        chosen = post.get("user", "")
        return {"user": int(chosen) if chosen.isdigit() else request.user.pk}
    if action == "extend":
        raw = post.get("working_days", "")
        extend: dict[str, Any] = {"reason": post.get("reason", "")}
        if raw:
            extend["working_days"] = int(raw) if raw.isdigit() else raw
        return extend
    if action == "reopen":
        return {"reason": post.get("reason", "")}
    if action == "escalate":
        return {"to": "ombudsman"}
    if action == "set_flags":
        return {
            "is_anonymous": post.get("is_anonymous") == "1",
            "is_confidential": post.get("is_confidential") == "1",
        }
    return {}


def _error_text(exc: ServiceError) -> str:
    details = [str(e.get("message")) for e in (exc.errors or [])]
    return " ".join([exc.detail, *details])


@require_POST
def officer_act(request: HttpRequest, tracking_id: str, action: str) -> HttpResponse:
    denied = _require_officer(request)
    if denied:
        return denied
    if action not in OFFICER_ACTIONS:
        raise Http404
    if action == "respond" and not request.POST.get("confirm_similar"):
        warning = _near_identical(request, tracking_id)
        if warning:
            return officer_report(
                request,
                tracking_id,
                draft=request.POST.get("content", ""),
                similar=warning,
                status=409,
            )
    try:
        report_act(
            tracking_id=tracking_id,
            action=action,
            actor_user=request.user,
            params=_params(action, request),
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except PermissionDenied as exc:
        messages.error(request, exc.detail)
        return render(request, "web/officer/denied.html", {"detail": exc.detail}, status=403)
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Tindakan berhasil dicatat."))
    return redirect("web:officer_report", tracking_id=tracking_id)


def _near_identical(request: HttpRequest, tracking_id: str) -> list[Any]:
    """The organisation's earlier answers nearly identical to this draft (routing's
    similarity), to warn before a templated follow-up is sent."""
    text = request.POST.get("content", "")
    if len(text.strip()) < 10:
        return []
    try:
        report, _actor = report_get_for(actor_user=request.user, tracking_id=tracking_id)
    except NotFound:
        return []
    if report.agency is None:
        return []
    return near_identical_responses(agency=report.agency, text=text, exclude_report=report)


@require_POST
def bulk_act(request: HttpRequest) -> HttpResponse:
    """One action on several selected reports, each through report_act; a result per report."""
    denied = _require_officer(request)
    if denied:
        return denied
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        raise Http404
    results = []
    for tracking_id in request.POST.getlist("reports")[:100]:
        try:
            report_act(
                tracking_id=tracking_id,
                action=action,
                actor_user=request.user,
                params=_params(action, request),
            )
        except ServiceError as exc:
            results.append({"tracking_id": tracking_id, "ok": False, "message": _error_text(exc)})
        else:
            results.append({"tracking_id": tracking_id, "ok": True, "message": _("Berhasil")})
    return render(request, "web/officer/bulk_result.html", {"results": results, "action": action})


def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An attachment, only for those who may see the report's internals or its reporter;
    always as a download with a safe Content-Disposition (never rendered inline)."""
    attachment = Attachment.objects.select_related("report").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    tracking_id = attachment.report.tracking_id
    try:
        report, actor = report_get_for(
            actor_user=request.user,
            tracking_id=tracking_id,
            reporter_key=session_key_for(request, tracking_id),
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    target = report_target(report)
    if not (
        policy.can(actor, policy.Action.REPORT_VIEW_INTERNAL, target)
        or policy.reporter_of_report(actor, target)
    ):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name or "lampiran",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- organisation profile and dashboards -------------------------------------------------


def _percent(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


def agency_profile(request: HttpRequest, code: str) -> HttpResponse:
    """Public figures of an organisation (the analytics app's public aggregates: no
    confidential report counts), with a 12-month trend drawn as inline SVG on the server."""
    try:
        agency = agency_get(code=code)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    profile = agency_public_profile(agency=agency, months=12)
    trend = profile["trend"]
    return render(
        request,
        "web/agency/profile.html",
        {
            "agency": agency,
            "figures": profile["figures"],
            "followed_share": _percent(profile["figures"]["followed_up_share"]),
            "on_time_share": _percent(profile["figures"]["on_time_share"]),
            "chart": charts.bar_chart(
                [(m["month"].strftime("%m/%y"), m["volume"] or 0) for m in trend],
                title=_("Laporan per bulan"),
            ),
            "trend": trend,
            "can_dashboard": user_can(
                request.user, policy.Action.DASHBOARD_AGENCY, policy.AgencyTarget(agency.code)
            ),
        },
    )


FIGURE_COLUMNS = (
    ("volume", gettext_lazy("Laporan masuk")),
    ("followed_up", gettext_lazy("Ditindaklanjuti")),
    ("followed_up_share", gettext_lazy("Bagian ditindaklanjuti")),
    ("on_time_share", gettext_lazy("Bagian tepat waktu")),
    ("completed", gettext_lazy("Selesai/arsip")),
    ("median_days_to_respond", gettext_lazy("Median hari kerja sampai tanggapan")),
    ("mean_rating", gettext_lazy("Nilai rata-rata")),
)


def _download(
    request: HttpRequest, rows: list[dict[str, Any]], columns: list[tuple[str, str]], name: str
) -> HttpResponse | None:
    """The table as CSV or XLSX when `?unduh=csv|xlsx` is asked (what the officer sees)."""
    fmt = request.GET.get("unduh")
    if fmt not in ("csv", "xlsx"):
        return None
    if fmt == "csv":
        body = export_rows_csv(rows, columns)
        content_type = "text/csv; charset=utf-8"
    else:
        body = export_rows_xlsx(rows, columns, name)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _months(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("bulan", "12"))
    except ValueError:
        months = 12
    return min(max(months, 1), 24)


def _period(request: HttpRequest) -> Period:
    return Period.last_months(_months(request))


def agency_dashboard_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The organisation's dashboard: volume, backlog by age and state, per-unit shares,
    trend; downloadable as CSV/XLSX. Officers see their own organisation."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    code = code or request.GET.get("instansi") or getattr(request.user.agency, "code", None)
    if not code:
        raise Http404
    try:
        agency = agency_get(code=code)
        data = agency_dashboard(agency=agency, actor_user=request.user, period=_period(request))
    except (NotFound, PermissionDenied) as exc:
        raise Http404(exc.detail) from exc
    columns = [("unit_name", str(_("Unit kerja"))), *[(k, str(v)) for k, v in FIGURE_COLUMNS]]
    units = [
        {**u, "unit_name": u["unit_name"] or str(_("(tingkat instansi)"))} for u in data["units"]
    ]
    download = _download(request, units, columns, f"dasbor-{agency.code}")
    if download:
        return download
    state_labels = dict(Status.choices)
    return render(
        request,
        "web/officer/dashboard_agency.html",
        {
            "agency": agency,
            "data": data,
            "units": units,
            "columns": columns,
            "backlog_states": [
                (state_labels.get(k, k), n) for k, n in data["backlog"]["by_state"].items()
            ],
            "age_chart": charts.bar_chart(
                list(data["backlog"]["by_age"].items()),
                title=_("Laporan terbuka menurut umur (hari kerja)"),
            ),
            "trend_chart": charts.bar_chart(
                [(m["month"].strftime("%m/%y"), m["volume"] or 0) for m in data["trend"]],
                title=_("Laporan per bulan"),
            ),
            "query": request.GET.urlencode(),
            "months": _months(request),
            "month_options": [
                (n, ngettext("%(n)d bulan", "%(n)d bulan", n) % {"n": n}) for n in (3, 6, 12, 24)
            ],
        },
    )


def national_dashboard_page(request: HttpRequest) -> HttpResponse:
    """National figures by organisation type and province, the organisations most late, trend;
    for the national admin and evaluators; downloadable as CSV/XLSX."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        data = national_dashboard(period=_period(request), actor_user=request.user)
    except PermissionDenied as exc:
        raise Http404(exc.detail) from exc
    type_labels = dict(AgencyType.choices)
    by_type = [{**r, "label": str(type_labels.get(r["type"], r["type"]))} for r in data["by_type"]]
    tables = {
        "jenis": (by_type, [("label", str(_("Jenis instansi")))]),
        "provinsi": (data["by_province"], [("name", str(_("Provinsi")))]),
    }
    table = request.GET.get("tabel", "provinsi")
    if table in tables:
        rows, first = tables[table]
        columns = [*first, *[(k, str(v)) for k, v in FIGURE_COLUMNS]]
        download = _download(request, rows, columns, f"dasbor-nasional-{table}")
        if download:
            return download
    late_columns = [
        ("name", str(_("Instansi"))),
        ("late_responses", str(_("Tanggapan terlambat"))),
        ("first_responses", str(_("Tanggapan pertama"))),
        ("on_time_share", str(_("Bagian tepat waktu"))),
    ]
    if table == "terlambat":
        download = _download(request, data["most_late"], late_columns, "dasbor-nasional-terlambat")
        if download:
            return download
    return render(
        request,
        "web/officer/dashboard_national.html",
        {
            "data": data,
            "by_type": by_type,
            "columns": [(k, str(v)) for k, v in FIGURE_COLUMNS],
            "late_columns": late_columns,
            "trend_chart": charts.bar_chart(
                [(m["month"].strftime("%m/%y"), m["volume"] or 0) for m in data["trend"]],
                title=_("Laporan per bulan"),
            ),
            "type_chart": charts.bar_chart(
                [(r["label"], r["volume"] or 0) for r in by_type],
                title=_("Laporan menurut jenis instansi"),
            ),
        },
    )
