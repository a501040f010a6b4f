"""Officer workspace (inbox, report page, actions, bulk actions, attachments) and the public
organisation profile. Every write is a declared action taken through `report_act`
(`lapor.web.actions`); what an officer sees is the presenter's (`lapor.reports.presenter`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
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
from lapor.reports import clock, workflow
from lapor.reports.choices import OPEN_STATUSES, OfficialStatus, ReportType, Status
from lapor.reports.models import Attachment
from lapor.reports.presenter import ReportView
from lapor.reports.selectors import (
    ReportFilters,
    archive_reasons_active,
    report_get_for,
    report_list,
)
from lapor.routing.selectors import (
    near_identical_responses,
    reply_template_get,
    reply_templates_for,
)

from . import charts, choices_data
from .actions import BULK_ACTIONS, OFFICER_PAGE_ACTIONS, FormState, act_from_form
from .errors import not_found_page, service_errors
from .permissions import is_officer
from .report_helpers import deadline_view, session_proof_for

if TYPE_CHECKING:
    from lapor.accounts.models import User


def _require_officer(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_officer(request.user):
        return not_found_page(request)
    return None


def _rows(reports: list[Any], actor: policy.Actor) -> list[ReportView]:
    """The inbox's rows as the presenter shows them (no query per row: the policy and the
    green/yellow/red state are pure computations)."""
    now = timezone.now()
    cal = clock.calendar()
    return [ReportView(report, actor, now=now, cal=cal) for report in reports]


def inbox(request: HttpRequest) -> HttpResponse:
    """The officer's organisation (or unit) sorted by deadline; the national admin's default
    view is the queue of unverified reports from everywhere."""
    denied = _require_officer(request)
    if denied:
        return denied
    actor = actor_for(request.user)
    is_national = policy.can(actor, policy.Action.REPORT_LIST_ALL)
    # the tabs are the official statuses (a status of the API is accepted too, for old links)
    status = request.GET.get("status", OfficialStatus.BELUM_TERVERIFIKASI if is_national else "")
    if status and status not in (*OfficialStatus.values, *Status.values, "open"):
        status = ""
    filters = ReportFilters(
        status=status if status in Status.values else None,
        official_status=status if status in OfficialStatus.values else None,
        q=request.GET.get("q") or None,
        overdue=request.GET.get("overdue") == "1" or None,
    )
    base = report_list(actor_user=request.user, filters=ReportFilters())
    counts: dict[str, int] = {}
    for row in base.order_by().values("status", "is_postponed").annotate(n=Count("*")):
        official = workflow.official_status(row["status"], row["is_postponed"])
        counts[official] = counts.get(official, 0) + row["n"]
    qs = report_list(actor_user=request.user, filters=filters)
    assigned_to_me = request.GET.get("saya") == "1"
    if assigned_to_me:
        qs = qs.filter(assigned_to_id=request.user.pk)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    qs = qs.order_by(F("deadline").asc(nulls_last=True), "id")
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    rows = _rows(list(page.object_list), actor)
    query = request.GET.copy()
    query.pop("page", None)
    filters_query = saved_view_query_clean(query.urlencode())
    return render(
        request,
        "web/officer/inbox.html",
        {
            "page": page,
            "rows": rows,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in OfficialStatus.choices
            ],
            "open_count": sum(
                n
                for official, n in counts.items()
                if official not in (OfficialStatus.SELESAI, OfficialStatus.ARSIP)
            ),
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


def _action_context(
    report: Any, view: ReportView, allowed: list[str], request: HttpRequest
) -> dict[str, Any]:
    """What the action forms of the workspace page need (only for the actions allowed now)."""
    context: dict[str, Any] = {}
    if {"verify", "forward"} & set(allowed):
        context["agencies"] = choices_data.agency_choices(
            keep=report.requested_agency.code if report.requested_agency else None
        )
    if "verify" in allowed:
        context["categories"] = choices_data.flatten(choices_data.category_choices())
        context["report_types"] = ReportType.choices
    if {"verify", "reclassify"} & set(allowed):
        context["sla_classes"] = SlaClass.choices
    if "archive" in allowed:
        context["archive_reasons"] = archive_reasons_active()
    if "dispose" in allowed and report.agency is not None:
        context["unit_q"] = request.GET.get("unit_q", "")
        context["units"] = _unit_options(agency_get(code=report.agency.code), context["unit_q"])
    if "assign" in allowed and report.agency is not None:
        context["assignees"] = list(officers_for_assignment(agency=report.agency, unit=report.unit))
    if "extend" in allowed:
        context["extendable"] = [
            {**d, "original": clock.rule_days(report, d["step"])}
            for d in view.deadlines
            if d["step"] in workflow.AGENCY_STEPS and not d["extended_days"]
        ]
    return context


@service_errors
def officer_report(
    request: HttpRequest,
    tracking_id: str,
    *,
    form: FormState | None = None,
    similar: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    denied = _require_officer(request)
    if denied:
        return denied
    report, actor = report_get_for(actor_user=request.user, tracking_id=tracking_id)
    view = ReportView(report, actor)
    allowed = [a for a in view.allowed_actions if a in OFFICER_PAGE_ACTIONS]
    form = form or FormState()
    context = {
        "report": report,
        "view": view,
        "officer_page": True,
        "allowed": allowed,
        "deadline": deadline_view(report),
        "form": form,
        "similar": similar or [],
        "today": timezone.localdate(),
        "reply_templates": [],
        **_action_context(report, view, allowed, request),
    }
    if "respond" in allowed and report.agency is not None:
        context["reply_templates"] = list(
            reply_templates_for(agency=report.agency, unit=getattr(request.user, "unit", None))
        )
        chosen = request.GET.get("template")
        if chosen and chosen.isdigit() and form.action != "respond":
            try:
                body = reply_template_get(actor=request.user, template_id=int(chosen)).body
                context["form"] = FormState(action="respond", values={"content": body})
            except NotFound:
                messages.error(request, _("Templat balasan tidak ditemukan."))
    return render(request, "web/officer/report.html", context, status=status)


def _error_text(exc: ServiceError) -> str:
    details = [str(e.get("message")) for e in (exc.errors or [])]
    return " ".join([exc.detail, *details])


@require_POST
@service_errors
def officer_act(request: HttpRequest, tracking_id: str, action: str) -> HttpResponse:
    denied = _require_officer(request)
    if denied:
        return denied
    if action not in OFFICER_PAGE_ACTIONS:
        return not_found_page(request)
    if action == "respond" and not request.POST.get("confirm_similar"):
        warning = _near_identical(request, tracking_id)
        if warning:
            state = FormState(action="respond", values=dict(request.POST.items()))
            return officer_report(request, tracking_id, form=state, similar=warning, status=409)
    try:
        _report, state = act_from_form(request, tracking_id=tracking_id, action=action)
    except Conflict as exc:
        messages.error(request, _error_text(exc))
        return redirect("web:officer_report", tracking_id=tracking_id)
    if state.errors or state.message:
        messages.error(request, state.message)
        return officer_report(request, tracking_id, form=state, status=422)
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
        return not_found_page(request)
    results = []
    for tracking_id in request.POST.getlist("reports")[:100]:
        try:
            _report, state = act_from_form(request, tracking_id=tracking_id, action=action)
        except ServiceError as exc:
            results.append({"tracking_id": tracking_id, "ok": False, "message": _error_text(exc)})
            continue
        if state.message:
            detail = " ".join([state.message, *[m for ms in state.errors.values() for m in ms]])
            results.append({"tracking_id": tracking_id, "ok": False, "message": detail})
        else:
            results.append({"tracking_id": tracking_id, "ok": True, "message": _("Berhasil")})
    return render(request, "web/officer/bulk_result.html", {"results": results, "action": action})


@service_errors
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """An attachment for whoever the presenter lets see it; always a download with a safe
    Content-Disposition (never rendered inline)."""
    attachment = Attachment.objects.select_related("report").filter(pk=attachment_id).first()
    if attachment is None:
        return not_found_page(request)
    tracking_id = attachment.report.tracking_id
    report, actor = report_get_for(
        actor_user=request.user,
        tracking_id=tracking_id,
        reporter_proof=session_proof_for(request, tracking_id),
    )
    if not ReportView(report, actor).attachment_visible(attachment):
        return not_found_page(request)
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
