"""The pages' adapter over the declared actions (`lapor.reports.actions`).

A form posts the fields of the action's schema; `form_params` turns the POST into the body the
API would send (empty fields dropped, checkboxes as booleans), and `act_from_form` calls the one
service. Each action's form is the template `web/actions/<action>.html`; a failed attempt keeps
what was typed (`FormState`) so nothing is lost on an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, QueryDict

from lapor.core.errors import ValidationFailed
from lapor.reports.actions.base import ActionSpec
from lapor.reports.actions.engine import report_act
from lapor.reports.actions.registry import ACTIONS
from lapor.reports.models import Report

# actions a reporter takes on the report page; officers' actions are on the workspace page
REPORTER_PAGE_ACTIONS = ("reply", "rate", "close", "reopen", "escalate", "set_privacy")
OFFICER_PAGE_ACTIONS = tuple(
    str(a) for a in ACTIONS if a not in ("reply", "rate", "close", "support")
    and not ACTIONS[a].system
)  # fmt: skip
BULK_ACTIONS = ("verify", "dispose", "assign")


@dataclass
class FormState:
    """What was typed in one action's form and what the service said about it."""

    action: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""

    def for_action(self, action: str) -> FormState:
        return self if self.action == action else FormState(action=action)


def _is_bool(spec: ActionSpec, name: str) -> bool:
    annotation = spec.schema.model_fields[name].annotation
    return annotation is bool or annotation == (bool | None)


def form_params(spec: ActionSpec, post: QueryDict) -> dict[str, Any]:
    """The action's body from a form: only the schema's fields, empty ones left out; a checkbox
    (`1`, `on`, `true`) is true and a posted `0`/`false` is false."""
    params: dict[str, Any] = {}
    for name in spec.schema.model_fields:
        if name == "reporter_key" or name not in post:
            continue
        value = post.get(name, "").strip()
        if _is_bool(spec, name):
            if value in ("1", "on", "true"):
                params[name] = True
            elif value in ("0", "false"):
                params[name] = False
            continue
        if value != "":
            params[name] = value
    return params


def act_from_form(
    request: HttpRequest, *, tracking_id: str, action: str, reporter_proof: str | None = None
) -> tuple[Report | None, FormState]:
    """Take the action from its form. Returns the report, or the form's state with the errors
    (NotFound, PermissionDenied and Conflict propagate to the caller)."""
    spec = ACTIONS[action]
    params = form_params(spec, request.POST)
    files = request.FILES.getlist("attachments") if spec.files else []
    try:
        report = report_act(
            action=action,
            actor_user=request.user,
            tracking_id=tracking_id,
            reporter_proof=reporter_proof,
            params=params,
            files=files,
        )
    except ValidationFailed as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors or []:
            errors.setdefault(str(error.get("field", "")), []).append(str(error.get("message")))
        values = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        return None, FormState(action=action, values=values, errors=errors, message=exc.detail)
    return report, FormState()
