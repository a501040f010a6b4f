"""API of saved replies and of the near-identical-answer check (mounted under /api/v1).

`GET/POST /reply-templates`, `PATCH/DELETE /reply-templates/{id}` and
`POST /responses/similarity`: a draft answer compared with the organisation's earlier answers
to other reports, for the warning shown before sending. Officers of one organisation never see
another's templates or answers (403 naming another organisation, 404 for another's template).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from lapor.accounts.auth import api_auth_required
from lapor.accounts.policy import Action
from lapor.accounts.selectors import user_can
from lapor.agencies.models import Agency, Unit
from lapor.core.errors import NotFound, ValidationFailed
from lapor.core.pagination import Page, PageParams, paginate
from lapor.reports.selectors import report_get_for, report_target

from . import selectors, services, similarity
from .models import ReplyTemplate

router = Router(tags=["reply templates"], auth=api_auth_required)

EXCERPT = 300


class ReplyTemplateOut(Schema):
    id: int
    agency: str = Field(..., description="code of the organisation")
    unit: str | None = Field(None, description="code of the unit it is meant for, if any")
    title: str
    body: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_agency(obj: ReplyTemplate) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_unit(obj: ReplyTemplate) -> str | None:
        return obj.unit.code if obj.unit_id is not None and obj.unit else None


class ReplyTemplateIn(Schema):
    agency: str = Field(..., description="code of the organisation", max_length=64)
    unit: str | None = Field(None, description="code of one of its units", max_length=64)
    title: str = Field(..., min_length=1, max_length=services.TITLE_MAX)
    body: str = Field(..., min_length=1, max_length=services.BODY_MAX)


class ReplyTemplatePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=services.TITLE_MAX)
    body: str | None = Field(None, min_length=1, max_length=services.BODY_MAX)
    unit: str | None = Field(
        None, description="unit code; an empty string makes it organisation-wide", max_length=64
    )
    is_active: bool | None = None


class TemplateFilter(Schema):
    agency: str = Field(..., description="code of the organisation")
    unit: str | None = Field(
        None,
        description="unit code: also that unit's templates and those of the units above it "
        "(default: the caller's own unit in that organisation)",
    )
    all: bool = Field(
        False,
        description="every template of the organisation, withdrawn ones included (for those "
        "who may manage them)",
    )


class SimilarityIn(Schema):
    agency: str = Field(..., description="code of the answering organisation", max_length=64)
    text: str = Field(..., min_length=1, max_length=20_000, description="the draft answer")
    report: str | None = Field(
        None, description="tracking ID of the report being answered (its answers are skipped)"
    )


class SimilarMatch(Schema):
    event_id: int
    report: str | None = Field(
        ...,
        description="tracking ID of the report that earlier answer went to (null, and the "
        "excerpt empty, for a report the caller may not view, e.g. a confidential one outside "
        "its unit)",
    )
    at: datetime
    score: float = Field(..., description="1.0: identical after normalisation")
    excerpt: str


class SimilarityOut(Schema):
    threshold: float
    is_templated: bool = Field(..., description="near-identical to at least one earlier answer")
    matches: list[SimilarMatch]


def _unit(agency: Agency, code: str | None, field: str) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(agency=agency, code=code).first()
    if unit is None:
        raise ValidationFailed(
            _("Unit kerja tidak dikenal."),
            errors=[
                {
                    "field": field,
                    "message": _("Unit kerja %(code)s tidak ada di instansi ini.") % {"code": code},
                }
            ],
        )
    return unit


def _user(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if user is None:  # pragma: no cover - api_auth_required refuses it first
        raise AuthenticationError()
    return user


@router.get(
    "/reply-templates",
    response=Page[ReplyTemplateOut],
    summary="The saved replies offered to officers of an organisation",
)
def reply_templates_list(
    request: HttpRequest, filters: Query[TemplateFilter], params: Query[PageParams]
) -> dict[str, Any]:
    user = _user(request)
    if filters.all:
        agency = selectors.agency_for_replies(
            actor=user, code=filters.agency, action=Action.REPLY_TEMPLATE_MANAGE
        )
        return paginate(selectors.reply_templates_all(agency=agency), params)
    agency = selectors.agency_for_replies(actor=user, code=filters.agency)
    if filters.unit:
        unit = _unit(agency, filters.unit, "unit")
    elif user.unit_id is not None and user.agency_id == agency.pk:
        unit = user.unit
    else:
        unit = None
    return paginate(selectors.reply_templates_for(agency=agency, unit=unit), params)


@router.post(
    "/reply-templates",
    response={201: ReplyTemplateOut},
    summary="Save a reply for an organisation (its agency or unit admin, or the national admin)",
)
def reply_templates_create(request: HttpRequest, payload: ReplyTemplateIn) -> Status[Any]:
    user = _user(request)
    agency = selectors.agency_for_replies(
        actor=user, code=payload.agency, action=Action.REPLY_TEMPLATE_MANAGE
    )
    template = services.reply_template_create(
        actor=user,
        agency=agency,
        unit=_unit(agency, payload.unit, "unit"),
        title=payload.title,
        body=payload.body,
    )
    return Status(201, template)


@router.patch(
    "/reply-templates/{template_id}",
    response=ReplyTemplateOut,
    summary="Change a saved reply",
)
def reply_templates_update(
    request: HttpRequest, template_id: int, payload: ReplyTemplatePatch
) -> ReplyTemplate:
    user = _user(request)
    template = selectors.reply_template_get(actor=user, template_id=template_id)
    given = payload.model_fields_set
    unit = _unit(template.agency, payload.unit, "unit") if "unit" in given else services.UNSET
    return services.reply_template_update(
        actor=user,
        template=template,
        title=payload.title,
        body=payload.body,
        unit=unit,
        is_active=payload.is_active,
    )


@router.delete(
    "/reply-templates/{template_id}",
    response={204: None},
    summary="Withdraw a saved reply (kept for history, no longer offered)",
)
def reply_templates_deactivate(request: HttpRequest, template_id: int) -> Status[None]:
    user = _user(request)
    template = selectors.reply_template_get(actor=user, template_id=template_id)
    services.reply_template_deactivate(actor=user, template=template)
    return Status(204, None)


@router.post(
    "/responses/similarity",
    response=SimilarityOut,
    summary="Is a draft answer near-identical to the organisation's earlier answers?",
)
def responses_similarity(request: HttpRequest, payload: SimilarityIn) -> dict[str, Any]:
    user = _user(request)
    agency = selectors.agency_for_replies(actor=user, code=payload.agency)
    report = None
    if payload.report:
        report, _actor = report_get_for(actor_user=user, tracking_id=payload.report)
        if report.agency_id != agency.pk:
            raise NotFound(_("Laporan tidak ditemukan pada instansi ini."))
    found = selectors.near_identical_responses(
        agency=agency, text=payload.text, exclude_report=report
    )
    matches = []
    for event, score in found:
        # the caller sees which report and what was said only for reports it may view
        visible = user_can(user, Action.REPORT_VIEW, report_target(event.report))
        matches.append(
            {
                "event_id": event.pk,
                "report": event.report.tracking_id if visible else None,
                "at": event.at,
                "score": round(score, 4),
                "excerpt": event.text[:EXCERPT] if visible else "",
            }
        )
    return {
        "threshold": similarity.DEFAULT_THRESHOLD,
        "is_templated": bool(found),
        "matches": matches,
    }
