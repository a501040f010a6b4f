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

from lapor.deadlines import sla


class St(StrEnum):
    """Statuses of the API contract (same values as `choices.Status`)."""

    SUBMITTED = "submitted"
    DISPOSED = "disposed"
    IN_PROGRESS = "in_progress"
    RESPONDED = "responded"
    CLOSED = "closed"
    ARCHIVED = "archived"


OPEN = frozenset({St.SUBMITTED, St.DISPOSED, St.IN_PROGRESS, St.RESPONDED})
TERMINAL = frozenset({St.CLOSED, St.ARCHIVED})
ALL_STATUSES = tuple(St)
# received by an organisation and not yet answered with a final follow-up
WORKING = frozenset({St.DISPOSED, St.IN_PROGRESS})


class Official(StrEnum):
    """The official status categories LAPOR! publishes (domain.md §3)."""

    BELUM_TERVERIFIKASI = "belum_terverifikasi"
    BELUM_DITINDAKLANJUTI = "belum_ditindaklanjuti"
    PROSES = "proses"
    SELESAI = "selesai"
    TUNDA = "tunda"
    ARSIP = "arsip"


# official status -> (statuses, postponed: True / False / None = either)
OFFICIAL_STATUS_FILTER: dict[Official, tuple[frozenset[St], bool | None]] = {
    Official.BELUM_TERVERIFIKASI: (frozenset({St.SUBMITTED}), False),
    Official.BELUM_DITINDAKLANJUTI: (frozenset({St.DISPOSED}), False),
    Official.PROSES: (frozenset({St.IN_PROGRESS, St.RESPONDED}), False),
    Official.TUNDA: (OPEN, True),
    Official.SELESAI: (frozenset({St.CLOSED}), None),
    Official.ARSIP: (frozenset({St.ARCHIVED}), None),
}


def official_status(status: str, is_postponed: bool) -> Official:
    """Belum Terverifikasi / Belum Ditindaklanjuti / Proses / Selesai / Tunda / Arsip."""
    for official, (statuses, postponed) in OFFICIAL_STATUS_FILTER.items():
        if status in statuses and (postponed is None or postponed == bool(is_postponed)):
            return official
    raise ValueError(f"unknown status {status!r}")


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
    RECLASSIFY = "reclassify"
    SET_PRIVACY = "set_privacy"
    REDACT = "redact"
    # further actions of officers (also exposed under the same path)
    RESUME = "resume"
    EXTEND = "extend"
    NOTE = "note"
    ASSIGN = "assign"
    # internal: only the system takes these
    SUBMIT = "submit"
    AUTO_CLOSE = "auto_close"
    AUTO_ARCHIVE = "auto_archive"
    MARK_LATE = "mark_late"
    DEADLINE_RECOMPUTED = "deadline_recomputed"


SYSTEM_ACTIONS = frozenset(
    {Act.SUBMIT, Act.AUTO_CLOSE, Act.AUTO_ARCHIVE, Act.MARK_LATE, Act.DEADLINE_RECOMPUTED}
)
# every action a caller may take, in the order the API and the pages list them
API_ACTIONS = tuple(a for a in Act if a not in SYSTEM_ACTIONS)


# The steps of a report's clocks are the ladder's (`lapor.deadlines.sla.Step`, also pure), plus
# the reporter's time to answer a request for information; version 1's escalation is history.
Step = sla.Step
# the order steps are listed in (and ties of equal due times broken by)
STEP_ORDER = (
    Step.VERIFICATION,
    Step.FIRST_RESPONSE,
    Step.COMPLETION,
    Step.FOLLOW_UP,
    Step.CLOSING,
    Step.INFO_REQUEST,
)
# the receiving organisation's deadlines (lateness on them counts against it)
AGENCY_STEP_ORDER = (Step.FIRST_RESPONSE, Step.COMPLETION, Step.FOLLOW_UP)
AGENCY_STEPS = frozenset(AGENCY_STEP_ORDER)
# steps the late sweep marks; at the end of the other two the system acts instead
# (closing: the report is closed; info_request: it is archived as incomplete)
LATE_STEPS = frozenset({Step.VERIFICATION, *AGENCY_STEPS})


class Op(StrEnum):
    """What a transition does to the report's clocks (one row per running step)."""

    START = "start"  # start the steps, counted from the action
    MEET = "meet"  # the action is the step: it is met (late or not)
    END = "end"  # the steps stop running without being met (with a reason)
    END_OTHERS = "end_others"  # every other running step stops (with a reason)
    PAUSE = "pause"  # postponement: every running step pauses
    RESUME = "resume"  # end of the postponement: due times move by the paused working days
    EXTEND = "extend"  # once per step, at most its original length, with a reason
    RECOMPUTE = "recompute"  # same start, new due time (calendar or class changed)


class End(StrEnum):
    """Why a step stopped running."""

    MET = "met"
    FORWARDED = "forwarded"  # the organisation passed it on (bukan wewenang)
    RETURNED = "returned"  # back to the national queue
    ARCHIVED = "archived"
    CLOSED = "closed"
    SUPERSEDED = "superseded"  # replaced by a later step (e.g. the reporter replied)


@dataclass(frozen=True)
class ClockOp:
    op: Op
    steps: tuple[Step, ...] = ()  # empty: every running step
    reason: End | None = None

    def __str__(self) -> str:
        if self.op == Op.END_OTHERS:
            return f"end every other step ({self.reason})"
        steps = "+".join(self.steps) if self.steps else "every step"
        return f"{self.op} {steps}" + (f" ({self.reason})" if self.reason else "")


def start(*steps: Step) -> ClockOp:
    return ClockOp(Op.START, steps)


def meet(*steps: Step) -> ClockOp:
    return ClockOp(Op.MEET, steps)


def end(*steps: Step, reason: End) -> ClockOp:
    return ClockOp(Op.END, steps, reason)


def end_others(reason: End) -> ClockOp:
    return ClockOp(Op.END_OTHERS, (), reason)


PAUSE_ALL = ClockOp(Op.PAUSE)
RESUME_ALL = ClockOp(Op.RESUME)
RECEIPT = start(Step.FIRST_RESPONSE, Step.COMPLETION)  # an organisation receives the report


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
    clock: tuple[ClockOp, ...] = ()
    by: frozenset[By] = frozenset()
    variant: str = ""  # a transition that depends on a parameter (e.g. forward back to national)
    public: bool = True  # False: an internal note, hidden from the public timeline

    def lands_on(self, status: St) -> St:
        return self.target if self.target is not None else status

    def ops(self, op: Op) -> list[ClockOp]:
        return [c for c in self.clock if c.op == op]


def _t(
    action: Act,
    sources: Iterable[St],
    target: St | None,
    clock: Iterable[ClockOp] = (),
    *,
    by: Iterable[By],
    variant: str = "",
    public: bool = True,
) -> Transition:
    return Transition(
        action, frozenset(sources), target, tuple(clock), frozenset(by), variant, public
    )


_ADMINS = (By.NATIONAL_ADMIN, By.AGENCY_ADMIN)
_HANDLERS = (By.AGENCY_ADMIN, By.OFFICER)
_HANDLING = (By.NATIONAL_ADMIN, By.AGENCY_ADMIN, By.OFFICER)

TABLE: tuple[Transition, ...] = (
    _t(Act.SUBMIT, (), St.SUBMITTED, [start(Step.VERIFICATION)], by=(By.REPORTER,)),
    # verification routes it to an organisation, which receives it: its two clocks start
    _t(
        Act.VERIFY,
        (St.SUBMITTED,),
        St.DISPOSED,
        [meet(Step.VERIFICATION), end_others(End.SUPERSEDED), RECEIPT],
        by=_ADMINS,
    ),
    # disposition down the unit tree is internal: no clock moves
    _t(Act.DISPOSE, WORKING, St.IN_PROGRESS, by=(By.AGENCY_ADMIN,)),
    # bukan wewenang: to another organisation, which receives it (its clocks start anew) …
    _t(
        Act.FORWARD,
        (St.SUBMITTED, *WORKING),
        St.DISPOSED,
        [meet(Step.VERIFICATION), end_others(End.FORWARDED), RECEIPT],
        by=_ADMINS,
        variant="to_agency",
    ),
    # … or back to the national queue: before receipt the verification clock runs on …
    _t(Act.FORWARD, (St.SUBMITTED,), St.SUBMITTED, by=_ADMINS, variant="to_national"),
    # … after it, the organisation's clocks stop and verification starts again
    _t(
        Act.FORWARD,
        WORKING,
        St.SUBMITTED,
        [end_others(End.RETURNED), start(Step.VERIFICATION)],
        by=_ADMINS,
        variant="to_national",
    ),
    # tunda before verification: more information is asked of the reporter
    _t(
        Act.POSTPONE,
        (St.SUBMITTED,),
        None,
        [PAUSE_ALL, start(Step.INFO_REQUEST)],
        by=_ADMINS,
        variant="request_info",
    ),
    _t(Act.POSTPONE, WORKING, None, [PAUSE_ALL], by=_HANDLERS),
    _t(
        Act.RESUME,
        (St.SUBMITTED, *WORKING),
        None,
        [RESUME_ALL, end(Step.INFO_REQUEST, reason=End.SUPERSEDED)],
        by=_HANDLING,
    ),
    _t(Act.EXTEND, WORKING, None, [ClockOp(Op.EXTEND, AGENCY_STEP_ORDER)], by=_ADMINS),
    # archiving before receipt is a verification decision; after it only the national admin
    _t(
        Act.ARCHIVE,
        (St.SUBMITTED, *WORKING),
        St.ARCHIVED,
        [meet(Step.VERIFICATION), end_others(End.ARCHIVED)],
        by=_ADMINS,
    ),
    # the reporter did not give the information asked for in time: archived as incomplete
    _t(
        Act.AUTO_ARCHIVE,
        (St.SUBMITTED,),
        St.ARCHIVED,
        [RESUME_ALL, end_others(End.ARCHIVED)],
        by=(By.SYSTEM,),
    ),
    # a first answer while the work goes on …
    _t(
        Act.RESPOND,
        WORKING,
        St.IN_PROGRESS,
        [meet(Step.FIRST_RESPONSE)],
        by=(By.OFFICER,),
        variant="interim",
    ),
    # … or the follow-up that completes it: the reporter then has the closing period to react
    _t(
        Act.RESPOND,
        WORKING,
        St.RESPONDED,
        [meet(Step.FIRST_RESPONSE, Step.COMPLETION, Step.FOLLOW_UP), start(Step.CLOSING)],
        by=(By.OFFICER,),
        variant="final",
    ),
    # the reporter answers a follow-up (or disputes it): a further follow-up step; the earlier
    # deadlines and their lateness stay on the record
    _t(
        Act.REPLY,
        (St.RESPONDED,),
        St.IN_PROGRESS,
        [end(Step.CLOSING, reason=End.SUPERSEDED), start(Step.FOLLOW_UP)],
        by=(By.REPORTER,),
        variant="after_response",
    ),
    # … gives the information asked for before verification: the clock resumes
    _t(
        Act.REPLY,
        (St.SUBMITTED,),
        None,
        [meet(Step.INFO_REQUEST), RESUME_ALL],
        by=(By.REPORTER,),
        variant="provides_info",
    ),
    # … or adds information while the report is being handled: no clock moves
    _t(Act.REPLY, (St.SUBMITTED, *WORKING), None, by=(By.REPORTER,), variant="while_open"),
    _t(
        Act.CLOSE,
        (St.RESPONDED,),
        St.CLOSED,
        [meet(Step.CLOSING), end_others(End.CLOSED)],
        by=(By.REPORTER,),
    ),
    _t(
        Act.AUTO_CLOSE,
        (St.RESPONDED,),
        St.CLOSED,
        [meet(Step.CLOSING), end_others(End.CLOSED)],
        by=(By.SYSTEM,),
    ),
    _t(
        Act.REOPEN,
        (St.CLOSED,),
        St.IN_PROGRESS,
        [start(Step.FOLLOW_UP)],
        by=(By.REPORTER, By.NATIONAL_ADMIN),
    ),
    _t(
        Act.REOPEN,
        (St.ARCHIVED,),
        St.SUBMITTED,
        [start(Step.VERIFICATION)],
        by=(By.NATIONAL_ADMIN,),
        variant="from_archive",
    ),
    # referral to the Ombudsman: a recorded step; the report stays open and the organisation's
    _t(Act.ESCALATE, OPEN, None, by=(By.REPORTER, By.NATIONAL_ADMIN)),
    _t(Act.RATE, (St.RESPONDED, St.CLOSED), None, by=(By.REPORTER,)),
    _t(Act.SUPPORT, ALL_STATUSES, None, by=(By.SIGNED_IN,)),
    _t(
        Act.RECLASSIFY,
        (St.SUBMITTED, *WORKING, St.RESPONDED),
        None,
        [ClockOp(Op.RECOMPUTE, (Step.COMPLETION,))],
        by=_ADMINS,
    ),
    _t(Act.SET_PRIVACY, ALL_STATUSES, None, by=(By.REPORTER, *_HANDLING)),
    # what was redacted and why is for those handling it (the original: national admin only)
    _t(Act.REDACT, ALL_STATUSES, None, by=_HANDLING, public=False),
    _t(Act.NOTE, ALL_STATUSES, None, by=_HANDLING, public=False),
    _t(Act.ASSIGN, WORKING, None, by=_ADMINS, public=False),
    _t(Act.MARK_LATE, OPEN, None, by=(By.SYSTEM,)),
    _t(Act.DEADLINE_RECOMPUTED, OPEN, None, [ClockOp(Op.RECOMPUTE)], by=(By.SYSTEM,)),
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
    `to_agency`/`to_national`, respond `interim`/`final`, …); when empty the first matching one
    is returned."""
    for t in TABLE:
        if t.action != action or status not in t.sources:
            continue
        if variant and t.variant != variant:
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


def render_mermaid() -> str:
    """`docs/workflow.md`: the state diagram and the full table, generated from TABLE."""
    lines = [
        "# Report workflow",
        "",
        "<!-- Generated by `manage.py render_workflow` from lapor/reports/workflow.py. "
        "Do not edit by hand: a test fails when this file is stale. -->",
        "",
        "Statuses and actions are those of the API contract (`/api/v1/reports/{tracking_id}/"
        "{action}`). A postponement is a flag on the open status (official status *Tunda*) and a",
        "referral to the Ombudsman a recorded step on an open report: neither is a status. An",
        "action the status does not allow answers 409 with `allowed_actions`; one the caller may",
        "not take answers 403 (`lapor.accounts.policy.can`). The clocks are explained in",
        "`docs/sla.md` and ADR 0007.",
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
            if key in seen or source == t.target:
                continue
            seen.add(key)
            lines.append(f"    {source} --> {t.target}: {t.action}")
    lines += ["    closed --> [*]", "    archived --> [*]", "```", ""]
    lines += [
        "## Official statuses",
        "",
        "| official status | statuses | postponed |",
        "|---|---|---|",
    ]
    for official, (statuses, postponed) in OFFICIAL_STATUS_FILTER.items():
        flag = "either" if postponed is None else ("yes" if postponed else "no")
        lines.append(f"| `{official}` | {', '.join(sorted(statuses))} | {flag} |")
    lines += [
        "",
        "## Transitions",
        "",
        "| action | variant | from | to | clocks | by |",
        "|---|---|---|---|---|---|",
    ]
    for t in TABLE:
        sources = ", ".join(sorted(str(s) for s in t.sources)) or "—"
        target = str(t.target) if t.target is not None else "(unchanged)"
        who = ", ".join(sorted(str(b) for b in t.by))
        clocks = "; ".join(str(c) for c in t.clock) or "—"
        lines.append(f"| `{t.action}` | {t.variant} | {sources} | {target} | {clocks} | {who} |")
    lines += [
        "",
        "Clock operations: `start` starts the steps counted from the action (working days, with",
        "the cut-off hour); `meet` records that the action is the step (late or not); `end`",
        "and `end_others` stop steps without meeting them, with the reason; `pause`/`resume`",
        "stop the clocks while postponed and move the due times by the paused working days;",
        "`extend` once per step, at most its original length, with a public reason;",
        "`recompute` keeps the start and computes the due time again (calendar or class changed).",
        "A step is late once its due time passed without it, whatever happens later.",
        "",
    ]
    return "\n".join(lines)
