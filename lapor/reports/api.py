"""API endpoints of the reports app (mounted under /api/v1 by lapor.api.api).

Contract: /work/shared/spec/api.md "Reports". Thin: parse, call a service or selector, shape.
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
from .masking import mask_personal_data
from .models import Event, Report

router = Router(tags=["reports"])

REPORTER_KEY_HEADER = "X-Reporter-Key"
ANONYMOUS_NAME = "Anonim"
_JSON = "application/json"
_MULTIPART = "multipart/form-data"


# --- shaping ---------------------------------------------------------------------------------


class _View:
    """What one caller may see of one report (computed once per report)."""

    def __init__(self, report: Report, actor: policy.Actor) -> None:
        self.target = selectors.report_target(report)
        self.actor = actor
        self.is_reporter = policy.reporter_of_report(actor, self.target)
        self.internal = policy.can(actor, policy.Action.REPORT_VIEW_INTERNAL, self.target)
        self.sees_reporter = self.is_reporter or policy.can(
            actor, policy.Action.REPORT_VIEW_REPORTER, self.target
        )
        self.masked = not (self.internal or self.is_reporter)

    def text(self, value: str) -> str:
        return mask_personal_data(value) if self.masked and value else value

    def reporter(self, report: Report) -> str | None:
        if self.sees_reporter:
            name = report.reporter_name
            if not name and report.reporter_id is not None and report.reporter is not None:
                name = report.reporter.full_name or report.reporter.email
            return name or None
        return ANONYMOUS_NAME if report.is_anonymous else None


def _local(value: datetime | None) -> datetime | None:
    """Times go out with the server's offset (Asia/Jakarta, +07:00)."""
    return timezone.localtime(value) if value is not None else None


def _code(obj: Any) -> str | None:
    return getattr(obj, "code", None) if obj is not None else None


def report_out(
    report: Report, actor: policy.Actor, *, now: datetime | None = None, cal: Any = None
) -> dict[str, Any]:
    """The API shape of a report for this caller (also used by the pages)."""
    view = _View(report, actor)
    now = now or timezone.now()
    state = None
    if report.status in workflow.OPEN and report.deadline is not None:
        state = clock.state(report, now, cal)
    return {
        "tracking_id": report.tracking_id,
        "type": report.type,
        "title": view.text(report.title),
        "content": view.text(report.content),
        "category": _code(report.category) if report.category_id else None,
        "agency": _code(report.agency) if report.agency_id else None,
        "unit": _code(report.unit) if report.unit_id else None,
        "region": report.region_id,
        "address": view.text(report.address),
        "lat": report.lat,
        "lon": report.lon,
        "event_date": report.event_date,
        "channel": report.channel,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "status": report.status,
        "deadline": _local(report.deadline),
        "sla_state": state,
        "created_at": _local(report.created_at),
        "updated_at": _local(report.updated_at),
        "supports": report.supports_count,
        "reporter": view.reporter(report),
        "sla_class": report.sla_class,
        "deadline_step": report.deadline_step,
        "is_postponed": report.is_postponed,
        "postpone_reason": view.text(report.postpone_reason),
        "postponed_until": report.postponed_until,
        "extension_reason": view.text(report.extension_reason),
        "archive_reason": report.archive_reason,
        "duplicate_of": report.duplicate_of.tracking_id if report.duplicate_of_id else None,  # type: ignore[union-attr]
        "rating": report.rating,
        "submitted_at": _local(report.submitted_at),
        "last_event_hash": report.last_event_hash,
        "allowed_actions": services.report_allowed_actions(report=report, actor=actor),
    }


def event_out(event: Event, report: Report, view: _View) -> dict[str, Any]:
    if event.actor_role == services.REPORTER_ROLE:
        actor = view.reporter(report)
    elif view.internal and event.actor is not None:
        actor = event.actor.full_name or event.actor.email
    else:
        actor = None
    return {
        "seq": event.seq,
        "action": event.action,
        "at": _local(event.at),
        "actor": actor,
        "actor_role": event.actor_role,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "from_agency": _code(event.from_agency) if event.from_agency_id else None,
        "to_agency": _code(event.to_agency) if event.to_agency_id else None,
        "from_unit": _code(event.from_unit) if event.from_unit_id else None,
        "to_unit": _code(event.to_unit) if event.to_unit_id else None,
        "reason_code": event.reason_code,
        "text": view.text(event.text),
        "deadline": _local(event.deadline),
        "sla_step": event.sla_step,
        "is_internal": event.is_internal,
        "data": event.data if (view.internal or not event.is_internal) else {},
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


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
            "deadline": _local(receipt.deadline),
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
    )
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
    view = _View(report, actor)
    return [
        event_out(e, report, view) for e in selectors.report_timeline(report=report, actor=actor)
    ]


def _make_action_view(action: str, schema: type[schemas._KeyBody]) -> Any:
    def view(request: HttpRequest, tracking_id: str) -> dict[str, Any]:
        data, files = _body_data(request)
        body = _validate(schema, data)
        params = body.model_dump(exclude={"reporter_key"})
        if files:
            params["attachments"] = files
        key = _reporter_key(request, data)
        if_match = request.headers.get("If-Match", "").strip().strip('"') or None
        user = _user(request)
        report = services.report_act(
            action=action,
            actor_user=user,
            tracking_id=tracking_id,
            reporter_key=key,
            params=params,
            expected_event_hash=if_match,
        )
        report = Report.objects.select_related(*selectors.LIST_RELATED).get(pk=report.pk)
        actor = selectors.actor_of(user, holds_reporter_key=selectors.key_matches(report, key))
        return report_out(report, actor)

    view.__name__ = f"report_{action}"
    view.__doc__ = (
        f"Lifecycle action `{action}`. 403 when the caller may not take it, 409 (with "
        "`allowed_actions`) when the status does not allow it, 422 for a bad body. Send "
        "`If-Match: <last_event_hash>` to fail with 409 if someone acted first."
    )
    return view


for _action in workflow.API_ACTIONS:
    _schema = schemas.ACTION_BODIES[_action]
    router.post(
        f"/reports/{{tracking_id}}/{_action}",
        response={200: schemas.ReportOut, **_ERRORS},
        summary=f"Action: {_action}",
        openapi_extra=_body_doc(_schema, files=_action == workflow.Act.RESPOND),
        operation_id=f"report_action_{_action}",
    )(_make_action_view(str(_action), _schema))


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
