"""The report lifecycle as data: status × action (× who) → new status and clock effect.

PURE: no Django import (an import-linter contract checks it). `services.report_act` is the only
code that applies these transitions; it asks `transition_for` whether the current status allows
an action, and `policy.can` whether the caller may take it. `render_mermaid` draws the table for
`docs/workflow.md` (`manage.py render_workflow`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class St(StrEnum):
    """Statuses of the API contract (same values as `choices.Status`)."""

    SUBMITTED = "submitted"
    DISPOSED = "disposed"
    IN_PROGRESS = "in_progress"
    RESPONDED = "responded"
    CLOSED = "closed"
    ARCHIVED = "archived"
    ESCALATED = "escalated"


OPEN = frozenset({St.SUBMITTED, St.DISPOSED, St.IN_PROGRESS, St.RESPONDED})
TERMINAL = frozenset({St.CLOSED, St.ARCHIVED, St.ESCALATED})
ALL_STATUSES = tuple(St)


class Act(StrEnum):
    # the API contract's actions (`POST /reports/{tracking_id}/{action}`)
    VERIFY = "verify"
    DISPOSE = "dispose"
    FORWARD = "forward"
    POSTPONE = "postpone"
    ARCHIVE = "archive"
    RESPOND = "respond"
    REPLY = "reply"
    CLOSE = "close"
    REOPEN = "reopen"
    ESCALATE = "escalate"
    RATE = "rate"
    SUPPORT = "support"
    # further actions of officers (also exposed under the same path)
    RESUME = "resume"
    EXTEND = "extend"
    SET_FLAGS = "set_flags"
    NOTE = "note"
    ASSIGN = "assign"
    # internal: only the system takes these
    SUBMIT = "submit"
    AUTO_CLOSE = "auto_close"
    MARK_LATE = "mark_late"
    DEADLINE_RECOMPUTED = "deadline_recomputed"


CONTRACT_ACTIONS = (
    Act.VERIFY,
    Act.DISPOSE,
    Act.FORWARD,
    Act.POSTPONE,
    Act.ARCHIVE,
    Act.RESPOND,
    Act.REPLY,
    Act.CLOSE,
    Act.REOPEN,
    Act.ESCALATE,
    Act.RATE,
    Act.SUPPORT,
)
API_ACTIONS = (*CONTRACT_ACTIONS, Act.RESUME, Act.EXTEND, Act.SET_FLAGS, Act.NOTE, Act.ASSIGN)
SYSTEM_ACTIONS = frozenset({Act.SUBMIT, Act.AUTO_CLOSE, Act.MARK_LATE, Act.DEADLINE_RECOMPUTED})


class Clock(StrEnum):
    """What a transition does to the report's deadline clock."""

    START = "start"  # (re)start the clock: the deadline becomes `step` counted from now
    PAUSE = "pause"  # postponement: remember when it paused
    RESUME = "resume"  # end of postponement: push the deadline by the paused working days
    EXTEND = "extend"  # once, at most the original length, with a reason
    RECOMPUTE = "recompute"  # the calendar changed: same step, same start, new due time
    STOP = "stop"  # no deadline any more (closed, archived, escalated)
    KEEP = "keep"  # the deadline does not change


class Step(StrEnum):
    """Rungs of the SLA ladder (same values as `deadlines.choices.SlaStep`)."""

    VERIFICATION = "verification"
    FIRST_RESPONSE = "first_response"
    FOLLOW_UP = "follow_up"
    CLOSING = "closing"


class By(StrEnum):
    """Who, relative to the report, takes an action (the policy decides for a given caller)."""

    NATIONAL_ADMIN = "national_admin"
    AGENCY_ADMIN = "agency_admin"  # admin of the responsible (or, before verification, target) org
    OFFICER = "officer"  # officer of the responsible organisation or unit
    REPORTER = "reporter"  # account, or guest holding the reporter key
    SIGNED_IN = "signed_in"  # any signed-in user
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    action: Act
    sources: frozenset[St]
    target: St | None  # None: the status does not change
    clock: Clock
    step: Step | None = None  # the SLA step the deadline moves to when clock is START
    by: frozenset[By] = frozenset()
    variant: str = ""  # a transition that depends on a parameter (e.g. forward back to national)
    public: bool = True  # False: an internal note, hidden from the public timeline

    def lands_on(self, status: St) -> St:
        return self.target if self.target is not None else status


def _t(
    action: Act,
    sources: Iterable[St],
    target: St | None,
    clock: Clock,
    step: Step | None = None,
    *,
    by: Iterable[By],
    variant: str = "",
    public: bool = True,
) -> Transition:
    return Transition(
        action, frozenset(sources), target, clock, step, frozenset(by), variant, public
    )


_ADMINS = (By.NATIONAL_ADMIN, By.AGENCY_ADMIN)
_HANDLERS = (By.AGENCY_ADMIN, By.OFFICER)
_WORKING = (St.DISPOSED, St.IN_PROGRESS)

TABLE: tuple[Transition, ...] = (
    _t(Act.SUBMIT, (), St.SUBMITTED, Clock.START, Step.VERIFICATION, by=(By.REPORTER,)),
    _t(Act.VERIFY, (St.SUBMITTED,), St.DISPOSED, Clock.START, Step.FIRST_RESPONSE, by=_ADMINS),
    _t(Act.DISPOSE, _WORKING, St.IN_PROGRESS, Clock.START, Step.FOLLOW_UP, by=(By.AGENCY_ADMIN,)),
    # bukan wewenang: to another organisation (it verifies nothing again: it must respond)
    _t(
        Act.FORWARD,
        (St.SUBMITTED, *_WORKING),
        St.DISPOSED,
        Clock.START,
        Step.FIRST_RESPONSE,
        by=_ADMINS,
        variant="to_agency",
    ),
    # … or back to the national queue, which verifies and routes it again
    _t(
        Act.FORWARD,
        (St.SUBMITTED, *_WORKING),
        St.SUBMITTED,
        Clock.START,
        Step.VERIFICATION,
        by=_ADMINS,
        variant="to_national",
    ),
    _t(Act.POSTPONE, _WORKING, None, Clock.PAUSE, by=_HANDLERS),
    _t(Act.RESUME, _WORKING, None, Clock.RESUME, by=_HANDLERS),
    _t(Act.EXTEND, _WORKING, None, Clock.EXTEND, by=(By.AGENCY_ADMIN,)),
    _t(Act.ARCHIVE, (St.SUBMITTED, *_WORKING), St.ARCHIVED, Clock.STOP, by=_ADMINS),
    _t(Act.RESPOND, _WORKING, St.RESPONDED, Clock.START, Step.CLOSING, by=(By.OFFICER,)),
    # the reporter answers a response (or disputes it): back to work, the clock restarts
    _t(
        Act.REPLY,
        (St.RESPONDED,),
        St.IN_PROGRESS,
        Clock.START,
        Step.FOLLOW_UP,
        by=(By.REPORTER,),
        variant="after_response",
    ),
    # … or adds information while the report is being handled: no status change
    _t(
        Act.REPLY,
        (St.SUBMITTED, *_WORKING),
        None,
        Clock.KEEP,
        by=(By.REPORTER,),
        variant="while_open",
    ),
    _t(Act.CLOSE, (St.RESPONDED,), St.CLOSED, Clock.STOP, by=(By.REPORTER,)),
    _t(Act.AUTO_CLOSE, (St.RESPONDED,), St.CLOSED, Clock.STOP, by=(By.SYSTEM,)),
    _t(
        Act.REOPEN,
        (St.CLOSED,),
        St.IN_PROGRESS,
        Clock.START,
        Step.FOLLOW_UP,
        by=(By.REPORTER, By.NATIONAL_ADMIN),
    ),
    _t(
        Act.REOPEN,
        (St.ARCHIVED,),
        St.SUBMITTED,
        Clock.START,
        Step.VERIFICATION,
        by=(By.NATIONAL_ADMIN,),
        variant="from_archive",
    ),
    _t(Act.ESCALATE, OPEN, St.ESCALATED, Clock.STOP, by=(By.REPORTER, By.NATIONAL_ADMIN)),
    _t(Act.RATE, (St.RESPONDED, St.CLOSED), None, Clock.KEEP, by=(By.REPORTER,)),
    _t(Act.SUPPORT, ALL_STATUSES, None, Clock.KEEP, by=(By.SIGNED_IN,)),
    _t(Act.SET_FLAGS, ALL_STATUSES, None, Clock.KEEP, by=(By.REPORTER, *_ADMINS)),
    _t(Act.NOTE, ALL_STATUSES, None, Clock.KEEP, by=(*_ADMINS, By.OFFICER), public=False),
    _t(Act.ASSIGN, _WORKING, None, Clock.KEEP, by=(By.AGENCY_ADMIN,), public=False),
    _t(Act.MARK_LATE, OPEN, None, Clock.KEEP, by=(By.SYSTEM,)),
    _t(Act.DEADLINE_RECOMPUTED, OPEN, None, Clock.RECOMPUTE, by=(By.SYSTEM,)),
)


class TransitionNotAllowed(Exception):
    def __init__(self, status: str, action: str, allowed: list[str]) -> None:
        super().__init__(f"{action} is not allowed in status {status}")
        self.status = status
        self.action = action
        self.allowed = allowed


def transitions_for(action: str) -> list[Transition]:
    return [t for t in TABLE if t.action == action]


def transition_for(status: str, action: str, *, variant: str = "") -> Transition:
    """The transition `action` takes from `status`; raises TransitionNotAllowed with the list of
    actions the status allows. `variant` picks among parameter-dependent transitions (forward
    `to_agency`/`to_national`); when empty the first matching one is returned."""
    for t in TABLE:
        if t.action != action or status not in t.sources:
            continue
        if variant and t.variant and t.variant != variant:
            continue
        return t
    raise TransitionNotAllowed(status, action, allowed_actions(status))


def allowed_actions(
    status: str, *, by: Iterable[str] | None = None, include_internal: bool = False
) -> list[str]:
    """Actions the status allows, in API order; `by` keeps those some of these relations take."""
    relations = frozenset(by) if by is not None else None
    order = list(API_ACTIONS) + ([] if not include_internal else sorted(SYSTEM_ACTIONS))
    found: list[str] = []
    for action in order:
        for t in TABLE:
            if t.action != action or status not in t.sources:
                continue
            if relations is not None and not (t.by & relations):
                continue
            found.append(str(action))
            break
    return found


def is_open(status: str) -> bool:
    return status in OPEN


# --- the diagram ---------------------------------------------------------------------------


def _label(t: Transition) -> str:
    who = ", ".join(sorted(str(b) for b in t.by))
    extra = f" [{t.variant}]" if t.variant else ""
    clock = f" / {t.clock}" + (f" {t.step}" if t.step else "")
    return f"{t.action}{extra} ({who}){clock}"


def render_mermaid() -> str:
    """`docs/workflow.md`: the state diagram and the full table, generated from TABLE."""
    lines = [
        "# Report workflow",
        "",
        "<!-- Generated by `manage.py render_workflow` from lapor/reports/workflow.py. "
        "Do not edit by hand: a test fails when this file is stale. -->",
        "",
        "Statuses and actions are those of the API contract (`/api/v1/reports/{tracking_id}/"
        "{action}`). A postponement is a flag on the open status (the clock pauses), not a status.",
        "An action the status does not allow answers 409 with `allowed_actions`; one the caller",
        "may not take answers 403 (`lapor.accounts.policy.can`).",
        "",
        "```mermaid",
        "stateDiagram-v2",
    ]
    lines.append("    [*] --> submitted: submit")
    seen: set[tuple[str, str, str]] = set()
    for t in TABLE:
        if t.action == Act.SUBMIT or t.target is None:
            continue
        for source in sorted(t.sources):
            key = (str(source), str(t.target), str(t.action))
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"    {source} --> {t.target}: {t.action}")
    lines += ["    closed --> [*]", "    archived --> [*]", "    escalated --> [*]", "```", ""]
    lines += [
        "## Transitions",
        "",
        "| action | variant | from | to | clock | SLA step | by |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in TABLE:
        sources = ", ".join(sorted(str(s) for s in t.sources)) or "—"
        target = str(t.target) if t.target is not None else "(unchanged)"
        who = ", ".join(sorted(str(b) for b in t.by))
        step = str(t.step) if t.step else ""
        lines.append(
            f"| `{t.action}` | {t.variant} | {sources} | {target} | {t.clock} | {step} | {who} |"
        )
    lines += [
        "",
        "Clock effects: `start` sets the deadline to the SLA step counted from the action "
        "(working days, with the cut-off hour); `pause`/`resume` stop the clock while postponed "
        "and push the deadline by the paused working days; `extend` once, at most the original "
        "length, with a public reason; `recompute` after a calendar override; `stop` clears it.",
        "",
    ]
    return "\n".join(lines)
