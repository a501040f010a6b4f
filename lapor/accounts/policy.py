"""Who may do what: one pure policy table, used by the API and the pages.

No Django import here (an import-linter contract checks it). Callers turn a user and a target
into the plain `Actor` / `*Target` values below and ask `can(actor, action, target)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    # registry and accounts
    REGISTRY_MANAGE = "registry.manage"
    USER_MANAGE = "user.manage"
    TOKEN_CREATE = "token.create"  # target: UserTarget (self, or a developer by an admin)
    TOKEN_REVOKE = "token.revoke"
    ADMIN_SITE = "admin.site"
    # reports: reading
    REPORT_VIEW = "report.view"
    REPORT_VIEW_REPORTER = "report.view_reporter"  # see an anonymous reporter's identity
    REPORT_VIEW_INTERNAL = "report.view_internal"  # internal notes, assignment
    REPORT_LIST_ALL = "report.list_all"  # every organisation's queue
    # reports: lifecycle actions (names of the API contract)
    REPORT_VERIFY = "report.verify"
    REPORT_DISPOSE = "report.dispose"
    REPORT_FORWARD = "report.forward"
    REPORT_POSTPONE = "report.postpone"
    REPORT_EXTEND = "report.extend"
    REPORT_ARCHIVE = "report.archive"
    REPORT_RESPOND = "report.respond"
    REPORT_REPLY = "report.reply"
    REPORT_CLOSE = "report.close"
    REPORT_REOPEN = "report.reopen"
    REPORT_ESCALATE = "report.escalate"
    REPORT_RATE = "report.rate"
    REPORT_SUPPORT = "report.support"
    REPORT_SET_FLAGS = "report.set_flags"
    REPORT_NOTE = "report.note"
    REPORT_ASSIGN = "report.assign"
    # calendar, SLA, dashboards
    CALENDAR_OVERRIDE = "calendar.override"
    SLA_MANAGE = "sla.manage"
    DASHBOARD_AGENCY = "dashboard.agency"
    DASHBOARD_NATIONAL = "dashboard.national"


@dataclass(frozen=True)
class Actor:
    """The caller. `role` is None for an anonymous visitor."""

    role: str | None = None
    user_id: int | None = None
    agency_code: str | None = None
    unit_path: str | None = None  # the officer's unit materialised path ('a/b/'), if any
    is_active: bool = True
    holds_reporter_key: bool = False  # a guest who proved the reporter key of the target


ANONYMOUS = Actor()


@dataclass(frozen=True)
class ReportTarget:
    agency_code: str | None  # organisation now responsible (None: national queue)
    unit_path: str | None  # unit now responsible, if disposed
    reporter_id: int | None
    is_confidential: bool = False
    is_anonymous: bool = False
    requested_agency_code: str | None = None  # the organisation the reporter chose


@dataclass(frozen=True)
class UserTarget:
    user_id: int
    role: str
    agency_code: str | None = None


@dataclass(frozen=True)
class AgencyTarget:
    code: str


Target = ReportTarget | UserTarget | AgencyTarget | None
