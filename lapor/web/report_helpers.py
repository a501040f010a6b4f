"""Helpers of the report pages: the reporter keys a browser session holds, the deadline
explanation (computed by lapor.deadlines), error mapping from the submission service to form
fields. What a viewer sees of a report is the presenter's (`lapor.reports.presenter`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.http import HttpRequest

from lapor.core.errors import ValidationFailed
from lapor.reports.deadline_explain import DeadlineExplanation, report_deadline_explanation

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
