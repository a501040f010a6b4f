"""API endpoints of the reports app (mounted under /api/v1 by lapor.api.api).

The API contract's "Reports" part. Thin: parse, call a service or selector, shape.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from lapor.accounts import policy
from lapor.core.errors import ApiError, NotFound
from lapor.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from lapor.core.idempotency import REPLAYED_HEADER
from lapor.core.pagination import Page, PageParams, paginate
from lapor.core.ratelimit import client_ip

from . import clock, schemas, selectors, services, workflow
from .actions.engine import report_act
from .actions.registry import ACTIONS
from .models import Report
from .presenter import ReportView

router = Router(tags=["reports"])

REPORTER_KEY_HEADER = "X-Reporter-Key"
_JSON = "application/json"
_MULTIPART = "multipart/form-data"


# --- shaping: the presenter decides what each caller sees ---------------------------------


def report_out(
    report: Report, actor: policy.Actor, *, now: datetime | None = None, cal: Any = None
) -> dict[str, Any]:
    """The API shape of a report for this caller (`presenter.ReportView`)."""
    return ReportView(report, actor, now=now, cal=cal).as_api()


# --- parsing ---------------------------------------------------------------------------------


def _body_data(request: HttpRequest) -> tuple[dict[str, Any], list[Any]]:
    """JSON or multipart form fields, and the uploaded `attachments`."""
    content_type = request.content_type or ""
    if content_type.startswith(_MULTIPART) or content_type.startswith(
        "application/x-www-form-urlencoded"
    ):
        data = {key: request.POST.get(key) for key in request.POST}
        files = list(request.FILES.getlist("attachments"))
        return data, files
    raw = request.body
    if not raw.strip():
        return {}, []
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiError(400, _("Badan permintaan bukan JSON yang sah.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, _("Badan permintaan harus objek JSON."))
    return data, []


def _validate(schema: type[Schema], data: dict[str, Any]) -> Any:
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(
            [{"loc": ("body", *err["loc"]), "msg": err["msg"]} for err in exc.errors()]
        ) from None


def _body_doc(schema: type[Schema], *, files: bool, required: bool = False) -> dict[str, Any]:
    json_schema = schema.model_json_schema()
    form_schema = json.loads(json.dumps(json_schema))
    if files:
        form_schema.setdefault("properties", {})["attachments"] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "maxItems": settings.LAPOR.get("MAX_ATTACHMENTS", 5),
            "description": "up to 5 files of at most 10 MB (images, PDF, office documents)",
        }
    content: dict[str, Any] = {_JSON: {"schema": json_schema}}
    if files:
        content[_MULTIPART] = {"schema": form_schema}
    return {"requestBody": {"required": required, "content": content}}


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or getattr(request, "user", None)


def _reporter_key(request: HttpRequest, body: dict[str, Any] | None = None) -> str | None:
    key = request.headers.get(REPORTER_KEY_HEADER, "").strip()
    if not key and body:
        key = str(body.get("reporter_key") or "").strip()
    return key or None


# --- endpoints -------------------------------------------------------------------------------

_ERRORS: dict[int, Any] = {code: schemas.ProblemOut for code in (400, 403, 404, 409, 422, 429)}


@router.post(
    "/reports",
    response={201: schemas.ReportCreated, **_ERRORS},
    summary="Submit a report",
    openapi_extra=_body_doc(schemas.ReportIn, files=True, required=True),
)
def report_create(request: HttpRequest, response: HttpResponse) -> Status[dict[str, Any]]:
    """JSON, or multipart with up to 5 files named `attachments`. A guest gets `reporter_key`
    (shown once). Honours `Idempotency-Key` per client (the same client retrying gets the first
    answer, with `Idempotent-Replayed: true`); rate-limited per IP and per account (429)."""
    data, files = _body_data(request)
    payload = _validate(schemas.ReportIn, data)
    result = services.report_submit(
        actor_user=_user(request),
        data=services.ReportSubmission(**payload.model_dump()),
        attachments=files,
        client_ip=client_ip(request),
        idempotency_key=request.headers.get(IDEMPOTENCY_HEADER),
    )
    if result.replayed:
        response[REPLAYED_HEADER] = "true"
    receipt = result.receipt
    return Status(
        201,
        {
            "tracking_id": receipt.tracking_id,
            "status": receipt.status,
            "deadline": timezone.localtime(receipt.deadline) if receipt.deadline else None,
            "reporter_key": receipt.reporter_key,
        },
    )


@router.get("/reports", response={200: Page[schemas.ReportOut], **_ERRORS}, summary="List reports")
def report_list(
    request: HttpRequest,
    filters: Query[schemas.ReportFilterIn],
    page: Query[PageParams],
) -> dict[str, Any]:
    """Public callers see non-confidential reports; officers their organisation's (unit
    officers their unit subtree); the national admin everything."""
    user = _user(request)
    now = timezone.now()
    qs = selectors.report_list(
        actor_user=user,
        filters=selectors.ReportFilters(**filters.model_dump()),
        now=now,
    ).prefetch_related("clocks__agency", "attachments__event")
    result = paginate(qs, page)
    actor = selectors.actor_of(user)
    cal = clock.calendar() if result["items"] else None
    result["items"] = [report_out(r, actor, now=now, cal=cal) for r in result["items"]]
    return result


@router.get(
    "/reports/{tracking_id}", response={200: schemas.ReportOut, **_ERRORS}, summary="One report"
)
def report_detail(request: HttpRequest, tracking_id: str) -> dict[str, Any]:
    """Redacted by the report's flags and the caller's rights; a guest reporter may send
    `X-Reporter-Key`. A mistyped tracking ID answers 404 `mistyped_tracking_id`."""
    report, actor = selectors.report_get_for(
        actor_user=_user(request), tracking_id=tracking_id, reporter_key=_reporter_key(request)
    )
    return report_out(report, actor)


@router.get(
    "/reports/{tracking_id}/timeline",
    response={200: list[schemas.EventOut], **_ERRORS},
    summary="A report's timeline, oldest first",
)
def report_timeline(request: HttpRequest, tracking_id: str) -> list[dict[str, Any]]:
    report, actor = selectors.report_get_for(
        actor_user=_user(request), tracking_id=tracking_id, reporter_key=_reporter_key(request)
    )
    view = ReportView(report, actor)
    return [view.event_api(e) for e in view.events]


def _make_action_view(action: str) -> Any:
    def view(request: HttpRequest, tracking_id: str) -> dict[str, Any]:
        data, files = _body_data(request)
        key = _reporter_key(request, data)
        data.pop("reporter_key", None)
        if_match = request.headers.get("If-Match", "").strip().strip('"') or None
        user = _user(request)
        report = report_act(
            action=action,
            actor_user=user,
            tracking_id=tracking_id,
            reporter_key=key,
            params=data,
            files=files,
            expected_event_hash=if_match,
        )
        report = Report.objects.select_related(*selectors.LIST_RELATED).get(pk=report.pk)
        actor = selectors.actor_of(user, holds_reporter_key=selectors.key_matches(report, key))
        return report_out(report, actor)

    view.__name__ = f"report_{action}"
    spec = ACTIONS[action]
    view.__doc__ = (
        f"{spec.label}. {spec.help} — 403 when the caller may not take it, 409 (with "
        "`allowed_actions`) when the report's status or state does not allow it now, 422 for a "
        "bad body. Send `If-Match: <last_event_hash>` to fail with 409 if someone acted first."
    )
    return view


for _action in workflow.API_ACTIONS:
    _spec = ACTIONS[_action]
    router.post(
        f"/reports/{{tracking_id}}/{_action}",
        response={200: schemas.ReportOut, **_ERRORS},
        summary=f"Action: {_action}",
        openapi_extra=_body_doc(_spec.schema, files=_spec.files),
        operation_id=f"report_action_{_action}",
    )(_make_action_view(str(_action)))


@router.post(
    "/reports/{tracking_id}/{action}",
    response={404: dict},
    summary="Unknown action",
    include_in_schema=False,
)
def report_unknown_action(request: HttpRequest, tracking_id: str, action: str) -> Any:
    raise NotFound(
        _("Aksi %(action)s tidak dikenal. Aksi yang ada: %(actions)s.")
        % {"action": action, "actions": ", ".join(workflow.API_ACTIONS)}
    )
