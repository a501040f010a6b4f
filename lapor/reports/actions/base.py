"""What an action declaration is made of: its input schema, its context and its change.

An action module (`verify.py`, `respond.py`, …) declares one `ActionSpec`: the schema its body is
parsed with (by the API, the pages, bulk work and later Open311 alike), the policy action that
guards it, the handler that turns a valid body into a `Change`, and the check that says whether
it is available now (used for the buttons and for the 409's list of allowed actions). Its clock
effect is the transition table's (`lapor.reports.workflow.TABLE`). `engine.report_act` applies
it — nothing else changes a report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from lapor.accounts import policy
from lapor.core.errors import Conflict

from .. import workflow

if TYPE_CHECKING:
    from ..clock import ClockBook
    from ..models import Event, Report

Errors = list[dict[str, str]]
TEXT_MAX = 10_000


def _not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a whole number is expected, not true/false")
    return value


# a whole number in a body: "5" from a form is fine, true/false is not
Int = Annotated[int, BeforeValidator(_not_a_bool)]


class ActionIn(Schema):
    """The body of an action. Unknown fields are refused (422), so a client cannot believe a
    field did something it does not do (e.g. privacy flags sent with `verify`)."""

    model_config = ConfigDict(extra="forbid")

    reporter_key: str | None = Field(
        None, description="a guest's reporter key (or the X-Reporter-Key header)"
    )


@dataclass
class Change:
    """What one action does, built by its handler and applied by `report_act`."""

    variant: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # report fields to set
    event: dict[str, Any] = field(default_factory=dict)  # event columns (text, reason_code, …)
    data: dict[str, Any] = field(default_factory=dict)  # event data (besides the clock facts)
    event_action: str = ""  # the event's name when it is not the action's
    extend: tuple[str, int, str] | None = None  # (step, working days, reason) for `extend`
    sla_class: str | None = None  # the class `recompute` of completion uses (reclassify)
    after: list[Callable[[Report, Event], None]] = field(default_factory=list)


@dataclass
class Ctx:
    """One attempt at an action: the locked report, the caller, the time, collected errors."""

    report: Report
    actor: policy.Actor
    user: Any
    now: datetime
    target: policy.ReportTarget
    book: ClockBook | None = None
    files: list[Any] = field(default_factory=list)
    system: bool = False
    errors: Errors = field(default_factory=list)

    def err(self, name: str, message: str | Promise) -> None:
        self.errors.append({"field": name, "message": str(message)})

    def can(self, action: policy.Action) -> bool:
        return self.system or policy.can(self.actor, action, self.target)

    @property
    def is_reporter(self) -> bool:
        return policy.reporter_of_report(self.actor, self.target)

    def conflict(self, message: str) -> Conflict:
        from .engine import allowed_for

        return Conflict(
            message, extra={"allowed_actions": allowed_for(self.report, self.actor, self.now)}
        )

    def text(self, name: str, value: str | None, *, required: bool, min_len: int = 1,
             max_len: int = TEXT_MAX) -> str:  # fmt: skip
        """A stripped text parameter with its length checked (errors collected)."""
        value = (value or "").strip()
        if not value:
            if required:
                self.err(name, _("Wajib diisi."))
            return ""
        if len(value) < min_len:
            self.err(name, _("Paling sedikit %(n)d karakter.") % {"n": min_len})
        if len(value) > max_len:
            self.err(name, _("Paling banyak %(n)d karakter.") % {"n": max_len})
        return value


def always(ctx: Ctx) -> bool:
    return True


@dataclass(frozen=True)
class ActionSpec:
    """One lifecycle action, declared once for every surface."""

    name: workflow.Act
    schema: type[ActionIn]
    policy: policy.Action
    label: str | Promise  # the button and the form's title
    handle: Callable[[Ctx, Any], Change] | None = None  # None: `direct` applies it
    available: Callable[[Ctx], bool] = always
    files: bool = False  # the body may carry uploaded files (`attachments`)
    help: str | Promise = ""
    reporter_action: bool = False  # taken by the reporter (recorded as such when they do)
    # a direct executor for actions outside the timeline (support): (report, user) -> Report
    direct: Callable[..., Report] | None = None

    @property
    def system(self) -> bool:
        return self.name in workflow.SYSTEM_ACTIONS
