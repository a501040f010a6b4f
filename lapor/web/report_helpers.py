"""Shaping a report for the pages: who may see what (asked of the policy), the deadline
explanation (computed by lapor.deadlines), error mapping from services to form fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lapor.accounts import policy
from lapor.core.errors import ValidationFailed
from lapor.reports.deadline_explain import DeadlineExplanation, report_deadline_explanation
from lapor.reports.masking import mask_personal_data
from lapor.reports.selectors import report_target

SESSION_KEYS = "lapor_reporter_keys"
SESSION_NEW_KEY = "lapor_new_reporter_key"


def session_key_for(request: HttpRequest, tracking_id: str) -> str | None:
    keys = request.session.get(SESSION_KEYS) or {}
    return keys.get(tracking_id)


def session_key_remember(request: HttpRequest, tracking_id: str, key: str) -> None:
    keys = dict(request.session.get(SESSION_KEYS) or {})
    keys[tracking_id] = key
    request.session[SESSION_KEYS] = keys


def add_service_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Attach `ValidationFailed.errors` to the form's fields (`attachments[2]` → attachments)."""
    for error in exc.errors or [{"field": "__all__", "message": exc.detail}]:
        name = str(error.get("field", "")).split("[", 1)[0].split(".", 1)[0]
        target = name if name in form.fields else None
        if name == "region":
            target = next(
                (f for f in ("district", "regency", "province") if f in form.fields), None
            )
        form.add_error(target, str(error.get("message", "")))


def deadline_view(report: Any, now: datetime | None = None) -> DeadlineExplanation | None:
    """The current deadline, its green/yellow/red state and how it was computed (the reports
    app's `report_deadline_explanation`: clock start, skipped days, pauses, extension)."""
    return report_deadline_explanation(report=report, now=now)


def shown_text(report: Any, actor: policy.Actor) -> dict[str, str]:
    """Title and content as this viewer sees them: personal data masked for those who may not
    see the reporter (the public, and officers on an anonymous report)."""
    if policy.can(actor, policy.Action.REPORT_VIEW_REPORTER, report_target(report)):
        return {"title": report.title, "content": report.content}
    return {
        "title": mask_personal_data(report.title),
        "content": mask_personal_data(report.content),
    }


def reporter_label(report: Any, actor: policy.Actor) -> str:
    """Who reported, as this viewer may see it: the name for those allowed to see it,
    "Anonim" for an anonymous report, otherwise a neutral "not shown"."""
    if policy.can(actor, policy.Action.REPORT_VIEW_REPORTER, report_target(report)):
        if report.reporter_id and report.reporter is not None:
            return str(report.reporter)
        return report.reporter_name or _("Tamu tanpa nama")
    if report.is_anonymous:
        return _("Anonim")
    return _("Tidak ditampilkan")
