"""`report_act`: the only code that changes a report after its submission.

In one transaction it locks the row, asks the policy (`policy.can`: 404 when the caller may not
see the report, 403 when it may not take the action), the workflow table (`transition_for`: 409
with the allowed actions) and the action's own "available now?" check (409), parses the body with
the action's schema and lets its handler build the change (422 with every field error), applies
the fields and the clock operations of the transition (`clock.ClockBook`), appends the
hash-chained event carrying the clock facts, saves the clock rows and the report, and writes the
outbox message whose delivery is queued on commit. Nothing is half-applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from lapor.accounts import policy
from lapor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .. import workflow
from ..clock import ClockBook, ClockError
from ..events import event_append
from ..models import Report
from ..outbox import outbox_write
from ..selectors import actor_of, key_matches, report_target, tracking_id_parse
from .base import ActionSpec, Ctx
from .registry import ACTIONS

SYSTEM_ROLE = "system"
REPORTER_ROLE = "reporter"


def spec_for(action: str) -> ActionSpec:
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound(_("Aksi tidak dikenal."))
    return spec


def _is_user(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def parse_body(spec: ActionSpec, params: Mapping[str, Any] | BaseModel | None) -> Any:
    """The action's body parsed with its schema; 422 listing every field error."""
    if isinstance(params, spec.schema):
        return params
    raw = params.model_dump() if isinstance(params, BaseModel) else dict(params or {})
    try:
        return spec.schema.model_validate(raw)
    except PydanticValidationError as exc:
        errors = [
            {
                "field": ".".join(str(p) for p in err["loc"]) or "body",
                "message": str(err["msg"]),
            }
            for err in exc.errors()
        ]
        raise ValidationFailed(_("Parameter aksi tidak sah."), errors=errors) from None


def _ctx(report: Report, actor: policy.Actor, user: Any, now: datetime, **kw: Any) -> Ctx:
    return Ctx(report=report, actor=actor, user=user, now=now, target=report_target(report), **kw)


def allowed_for(report: Report, actor: policy.Actor, now: datetime | None = None) -> list[str]:
    """Actions the caller may take on the report now (for the buttons and for 409s)."""
    ctx = _ctx(report, actor, None, now or timezone.now())
    found = []
    for action in workflow.allowed_actions(report.status):
        spec = ACTIONS.get(action)
        if spec is None or not policy.can(actor, spec.policy, ctx.target):
            continue
        if spec.available(ctx):
            found.append(str(action))
    return found


def report_allowed_actions(*, report: Report, actor: policy.Actor) -> list[str]:
    return allowed_for(report, actor)


def _role_for_event(ctx: Ctx, spec: ActionSpec) -> str:
    if ctx.system:
        return SYSTEM_ROLE
    if spec.reporter_action and ctx.is_reporter:
        return REPORTER_ROLE
    return ctx.actor.role or "public"


def _lock(report_id: int | None, tracking_id: str | None) -> Report:
    qs = Report.objects.select_for_update(of=("self",)).select_related(
        "agency", "unit", "requested_agency", "sla_ruleset"
    )
    if report_id is not None:
        report = qs.filter(pk=report_id).first()
    elif tracking_id is not None:
        report = qs.filter(tracking_id=tracking_id_parse(tracking_id)).first()
    else:
        report = None
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return report


def _find(report_id: int | None, tracking_id: str | None) -> Report:
    qs = Report.objects.select_related("agency", "unit", "requested_agency")
    if report_id is not None:
        report = qs.filter(pk=report_id).first()
    else:
        report = qs.filter(tracking_id=tracking_id_parse(tracking_id or "")).first()
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return report


def report_act(
    *,
    action: str,
    actor_user: Any,
    report_id: int | None = None,
    tracking_id: str | None = None,
    reporter_key: str | None = None,
    reporter_proof: str | None = None,
    params: Mapping[str, Any] | BaseModel | None = None,
    files: list[Any] | None = None,
    now: datetime | None = None,
    expected_event_hash: str | None = None,
    system: bool = False,
) -> Report:
    """Take one lifecycle action. The only code that changes a report after its submission.

    404 when the caller may not view the report, 403 when the caller may not take the action,
    409 (with `allowed_actions`) when the status or the report's state does not allow it or
    `expected_event_hash` is no longer the head of the timeline (someone acted first), 422 for a
    bad body. A guest reporter proves the report's key with `reporter_key` (or a browser
    session's `reporter_proof`). `system=True` is for scheduled tasks (no caller).
    """
    now = now or timezone.now()
    spec = spec_for(action)
    if spec.system and not system:
        raise NotFound(_("Aksi tidak dikenal."))
    user = actor_user if _is_user(actor_user) else None
    if spec.direct is not None:
        report = _find(report_id, tracking_id)
        holds = key_matches(report, reporter_key, proof=reporter_proof)
        actor = actor_of(user, holds_reporter_key=holds)
        if not policy.can(actor, policy.Action.REPORT_VIEW, report_target(report)):
            raise NotFound(_("Laporan tidak ditemukan."))
        parse_body(spec, params)
        return spec.direct(report=report, user=user, actor=actor)

    with transaction.atomic():
        report = _lock(report_id, tracking_id)
        if system:
            actor = policy.Actor(role=None)
        else:
            holds = key_matches(report, reporter_key, proof=reporter_proof)
            actor = actor_of(user, holds_reporter_key=holds)
            target = report_target(report)
            if not policy.can(actor, policy.Action.REPORT_VIEW, target):
                raise NotFound(_("Laporan tidak ditemukan."))
            if not policy.can(actor, spec.policy, target):
                raise PermissionDenied(
                    _("Anda tidak berwenang melakukan aksi %(action)s pada laporan ini.")
                    % {"action": action}
                )
        ctx = _ctx(report, actor, user, now, files=list(files or ()), system=system)
        if expected_event_hash is not None and expected_event_hash != report.last_event_hash:
            raise ctx.conflict(_("Laporan telah diubah oleh orang lain; muat ulang dan coba lagi."))
        try:
            workflow.transition_for(report.status, action)
        except workflow.TransitionNotAllowed:
            raise ctx.conflict(
                _("Aksi %(action)s tidak dapat dilakukan pada status %(status)s.")
                % {"action": action, "status": report.status}
            ) from None
        if not spec.available(ctx):
            raise ctx.conflict(
                _("Aksi %(action)s tidak tersedia untuk laporan ini sekarang.") % {"action": action}
            )
        body = parse_body(spec, params)
        ctx.book = ClockBook(report, now)
        assert spec.handle is not None
        change = spec.handle(ctx, body)
        if ctx.errors:
            raise ValidationFailed(_("Parameter aksi tidak sah."), errors=ctx.errors)
        transition = workflow.transition_for(report.status, action, variant=change.variant)
        _apply(ctx, spec, change, transition)
    return report


def _apply(ctx: Ctx, spec: ActionSpec, change: Any, transition: workflow.Transition) -> None:
    report, book = ctx.report, ctx.book
    assert book is not None
    from_status, from_agency, from_unit = report.status, report.agency, report.unit
    for name, value in change.fields.items():
        setattr(report, name, value)
    report.status = transition.lands_on(workflow.St(report.status))
    try:
        facts = book.apply(
            transition.clock, agency=report.agency, extend=change.extend, sla_class=change.sla_class
        )
    except ClockError as exc:
        raise Conflict(str(exc)) from None
    book.summarise()
    data = {**change.data, **facts.as_data()}
    event_kwargs: dict[str, Any] = {
        "from_status": from_status,
        "to_status": report.status,
        "deadline": report.deadline,
        "sla_step": report.deadline_step,
        "is_internal": not transition.public,
        "data": data,
    }
    if report.agency_id != (from_agency.pk if from_agency else None) or spec.name in (
        workflow.Act.VERIFY,
        workflow.Act.FORWARD,
    ):
        event_kwargs.update(from_agency=from_agency, to_agency=report.agency)
    if report.unit_id != (from_unit.pk if from_unit else None):
        event_kwargs.update(from_unit=from_unit, to_unit=report.unit)
    event_kwargs.update(change.event)
    event = event_append(
        report=report,
        action=change.event_action or str(spec.name),
        at=ctx.now,
        actor=None if ctx.system else ctx.user,
        actor_role=_role_for_event(ctx, spec),
        **event_kwargs,
    )
    book.save(event.seq)
    report.save()
    for step in change.after:
        step(report, event)
    outbox_write(report=report, event=event)
