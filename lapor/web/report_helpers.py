"""Helpers of the report pages: the reporter keys a browser session holds, the deadline
explanation (computed by lapor.deadlines), error mapping from the submission service to form
fields. What a viewer sees of a report is the presenter's (`lapor.reports.presenter`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from lapor.core.errors import ValidationFailed
from lapor.reports.deadline_explain import DeadlineExplanation, report_deadline_explanation
from lapor.reports.selectors import hash_reporter_key, reporter_proof

SESSION_KEYS = "lapor_reporter_proofs"
NEW_KEY_COOKIE = "lapor_new_key"
NEW_KEY_SECONDS = 300


def new_key_hand_over(response: HttpResponse, *, tracking_id: str, key: str) -> None:
    """Carry a guest's new reporter key from the submission to the page that shows it once:
    in a signed, short-lived, HttpOnly cookie of the guest's own browser — the key is never
    stored on the server (the session keeps only a proof of it)."""
    response.set_signed_cookie(
        NEW_KEY_COOKIE,
        f"{tracking_id}:{key}",
        salt=NEW_KEY_COOKIE,
        max_age=NEW_KEY_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def new_key_taken(request: HttpRequest, *, tracking_id: str) -> str | None:
    """The new key handed over for this report, if this browser has it."""
    try:
        value = request.get_signed_cookie(
            NEW_KEY_COOKIE, salt=NEW_KEY_COOKIE, max_age=NEW_KEY_SECONDS
        )
    except (KeyError, signing.BadSignature):
        return None
    owner, _sep, key = str(value or "").partition(":")
    return key if owner == tracking_id and key else None


def new_key_forget(response: HttpResponse) -> None:
    response.delete_cookie(NEW_KEY_COOKIE, samesite="Strict")


def session_proof_for(request: HttpRequest, tracking_id: str) -> str | None:
    """This browser's proof of the report's reporter key, if it showed the key before."""
    proofs = request.session.get(SESSION_KEYS) or {}
    return proofs.get(tracking_id)


def session_key_remember(request: HttpRequest, tracking_id: str, key: str) -> None:
    """Remember that this browser holds the reporter key: only a keyed proof is kept in the
    session (stored server-side), never the key itself (`reporter_proof`)."""
    proofs = dict(request.session.get(SESSION_KEYS) or {})
    proofs[tracking_id] = reporter_proof(hash_reporter_key(key))
    request.session[SESSION_KEYS] = proofs


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
