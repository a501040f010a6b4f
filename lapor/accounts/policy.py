"""Who may do what: one pure policy table, used by the API and the pages.

No Django import here (an import-linter contract checks it). Callers turn a user and a target
into the plain `Actor` / `*Target` values below and ask `can(actor, action, target)`.

The whole policy is `POLICY` below: for each action, the list of grants `(roles, relation)`. An
actor may take the action on a target when one grant names the actor's role and its relation
holds between the actor and the target. Nothing is allowed that the table does not grant:
an unknown action, an unknown role and an inactive actor are all refused. Whether the report's
*status* allows the action is not asked here: that is the workflow table's question
(`lapor.reports.workflow`).

See docs/adr/0003-policy-table.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    # reopen an archived report, or a closed one after the reopening period has passed
    REPORT_REOPEN_ANY = "report.reopen_any"
    # route (verify) a report to an organisation: target is the destination AgencyTarget
    REPORT_ROUTE_TO = "report.route_to"
    REPORT_ESCALATE = "report.escalate"
    REPORT_RATE = "report.rate"
    REPORT_SUPPORT = "report.support"
    REPORT_RECLASSIFY = "report.reclassify"
    # raise anonymity/confidentiality (anyone handling it); lower them (the reporter's alone, or
    # the national admin's with the reporter's request attached: checked by the action)
    REPORT_PRIVACY_RAISE = "report.privacy_raise"
    REPORT_PRIVACY_LOWER = "report.privacy_lower"
    REPORT_REDACT = "report.redact"
    REPORT_VIEW_REDACTED = "report.view_redacted"  # the originals of redacted text
    REPORT_NOTE = "report.note"
    REPORT_ASSIGN = "report.assign"
    # calendar, SLA, dashboards
    CALENDAR_OVERRIDE = "calendar.override"
    SLA_MANAGE = "sla.manage"
    DASHBOARD_AGENCY = "dashboard.agency"
    DASHBOARD_NATIONAL = "dashboard.national"
    # saved replies and the near-identical-answer check (lapor.routing)
    REPLY_TEMPLATE_MANAGE = "reply_template.manage"  # target: AgencyTarget
    REPLY_TEMPLATE_USE = "reply_template.use"  # read templates, check a draft; AgencyTarget


# Role values (the same strings as lapor.accounts.choices.Role, which is Django-side).
REPORTER = "reporter"
NATIONAL_ADMIN = "national_admin"
AGENCY_ADMIN = "agency_admin"
UNIT_ADMIN = "unit_admin"
LIAISON_OFFICER = "liaison_officer"
DEVELOPER = "developer"
EVALUATOR = "evaluator"
ROLES: frozenset[str] = frozenset(
    {REPORTER, NATIONAL_ADMIN, AGENCY_ADMIN, UNIT_ADMIN, LIAISON_OFFICER, DEVELOPER, EVALUATOR}
)


@dataclass(frozen=True)
class Actor:
    """The caller. `role` is None for an anonymous visitor."""

    role: str | None = None
    user_id: int | None = None
    agency_code: str | None = None
    unit_path: str | None = None  # the officer's unit materialised path ('a/b/'), if any
    is_active: bool = True
    holds_reporter_key: bool = False  # proved the reporter key of the target report


ANONYMOUS = Actor()


@dataclass(frozen=True)
class ReportTarget:
    agency_code: str | None  # organisation now responsible (None: national queue)
    unit_path: str | None  # unit now responsible, if disposed
    reporter_id: int | None
    is_confidential: bool = False
    is_anonymous: bool = False
    requested_agency_code: str | None = None  # the organisation the reporter chose
    received: bool = False  # an organisation has received it (verified or forwarded there)
    is_whistleblowing: bool = False  # handled only by the national admin and the inspectorate


@dataclass(frozen=True)
class UserTarget:
    user_id: int
    role: str
    agency_code: str | None = None


@dataclass(frozen=True)
class AgencyTarget:
    code: str


Target = ReportTarget | UserTarget | AgencyTarget | None

# --- relations: does the actor stand in the right relation to the target? -------------------

Relation = Callable[[Actor, Target], bool]


def _dir(path: str) -> str:
    return path if path.endswith("/") else path + "/"


def _under(path: str | None, root: str | None) -> bool:
    """`path` is `root` or one of its descendants (materialised paths ending in '/')."""
    return bool(path) and bool(root) and _dir(path or "").startswith(_dir(root or ""))


def anything(actor: Actor, target: Target) -> bool:
    """No relation needed (site-wide rights)."""
    return True


def any_report(actor: Actor, target: Target) -> bool:
    return isinstance(target, ReportTarget)


def public_report(actor: Actor, target: Target) -> bool:
    """A report that is not confidential (rahasia)."""
    return isinstance(target, ReportTarget) and not target.is_confidential


def reporter_of_report(actor: Actor, target: Target) -> bool:
    """The reporter: the account that filed it, or whoever proved its reporter key."""
    return isinstance(target, ReportTarget) and (
        actor.holds_reporter_key or own_account_report(actor, target)
    )


def own_account_report(actor: Actor, target: Target) -> bool:
    """The report was filed by the actor's own account (the key alone is not enough)."""
    return (
        isinstance(target, ReportTarget)
        and actor.user_id is not None
        and target.reporter_id == actor.user_id
    )


def not_own_report(actor: Actor, target: Target) -> bool:
    """Someone other than the account that filed it (a reporter does not support their own)."""
    return isinstance(target, ReportTarget) and not own_account_report(actor, target)


def responsible_agency(actor: Actor, target: Target) -> bool:
    """The actor's organisation is the one now responsible for the report."""
    return (
        isinstance(target, ReportTarget)
        and actor.agency_code is not None
        and target.agency_code == actor.agency_code
    )


def verifying_agency(actor: Actor, target: Target) -> bool:
    """Responsible, or the report waits in the national queue and the reporter chose the actor's
    organisation (its admin may verify it there)."""
    return responsible_agency(actor, target) or (
        isinstance(target, ReportTarget)
        and target.agency_code is None
        and actor.agency_code is not None
        and target.requested_agency_code == actor.agency_code
    )


def unit_subtree(actor: Actor, target: Target) -> bool:
    """The report sits with the actor's unit or a unit below it, in the actor's organisation."""
    return (
        responsible_agency(actor, target)
        and isinstance(target, ReportTarget)
        and _under(target.unit_path, actor.unit_path)
    )


def officer_scope(actor: Actor, target: Target) -> bool:
    """The actor's unit subtree if the actor has a unit, else the whole organisation."""
    if actor.unit_path:
        return unit_subtree(actor, target)
    return responsible_agency(actor, target)


def not_anonymous(actor: Actor, target: Target) -> bool:
    return isinstance(target, ReportTarget) and not target.is_anonymous


def not_whistleblowing(actor: Actor, target: Target) -> bool:
    return isinstance(target, ReportTarget) and not target.is_whistleblowing


def not_received(actor: Actor, target: Target) -> bool:
    """No organisation has received the report yet (it waits for verification)."""
    return isinstance(target, ReportTarget) and not target.received


def officer_handles(actor: Actor, target: Target) -> bool:
    """`officer_scope`, except that a whistle-blowing report is handled only inside the unit it
    sits in (the inspectorate), never organisation-wide."""
    if isinstance(target, ReportTarget) and target.is_whistleblowing:
        return unit_subtree(actor, target)
    return officer_scope(actor, target)


def own_agency(actor: Actor, target: Target) -> bool:
    return (
        isinstance(target, AgencyTarget)
        and actor.agency_code is not None
        and target.code == actor.agency_code
    )


def an_agency(actor: Actor, target: Target) -> bool:
    """Any one organisation (never "no organisation")."""
    return isinstance(target, AgencyTarget)


def any_agency(actor: Actor, target: Target) -> bool:
    """An organisation's dashboard (`None`: the choice of organisation is still open)."""
    return target is None or isinstance(target, AgencyTarget)


def self_user(actor: Actor, target: Target) -> bool:
    return (
        isinstance(target, UserTarget)
        and actor.user_id is not None
        and target.user_id == actor.user_id
    )


def developer_user(actor: Actor, target: Target) -> bool:
    return isinstance(target, UserTarget) and target.role == DEVELOPER


def developer_of_own_agency(actor: Actor, target: Target) -> bool:
    return (
        developer_user(actor, target)
        and isinstance(target, UserTarget)
        and actor.agency_code is not None
        and target.agency_code == actor.agency_code
    )


def all_of(*relations: Relation) -> Relation:
    def relation(actor: Actor, target: Target) -> bool:
        return all(r(actor, target) for r in relations)

    relation.__name__ = " and ".join(r.__name__ for r in relations)
    return relation


# --- the table --------------------------------------------------------------------------------

ANYONE: frozenset[str | None] = frozenset({None, *ROLES})  # visitors included
SIGNED_IN: frozenset[str | None] = frozenset(ROLES)


def _only(*roles: str) -> frozenset[str | None]:
    return frozenset(roles)


NATIONAL = _only(NATIONAL_ADMIN)
AGENCY = _only(AGENCY_ADMIN)
UNIT = _only(UNIT_ADMIN)
LIAISON = _only(LIAISON_OFFICER)
DEV = _only(DEVELOPER)
NATIONAL_AND_EVALUATOR = _only(NATIONAL_ADMIN, EVALUATOR)


@dataclass(frozen=True)
class Grant:
    roles: frozenset[str | None]
    relation: Relation = anything


_REPORTER_ONLY = (Grant(ANYONE, reporter_of_report),)
# an organisation's admin never handles a whistle-blowing report (the inspectorate does)
_AGENCY_VERIFYING = all_of(verifying_agency, not_whistleblowing)
_AGENCY_RESPONSIBLE = all_of(responsible_agency, not_whistleblowing)
# everyone who handles a report: raises its privacy, redacts, postpones, writes notes
_HANDLERS = (
    Grant(NATIONAL, any_report),
    Grant(AGENCY, _AGENCY_VERIFYING),
    Grant(UNIT, unit_subtree),
    Grant(LIAISON, officer_handles),
)

POLICY: Mapping[Action, tuple[Grant, ...]] = {
    # -- reading a report ------------------------------------------------------------------------
    Action.REPORT_VIEW: (
        Grant(ANYONE, public_report),
        Grant(ANYONE, reporter_of_report),
        Grant(NATIONAL, any_report),
        Grant(AGENCY, _AGENCY_VERIFYING),
        Grant(UNIT, unit_subtree),
        Grant(LIAISON, officer_handles),
        Grant(DEV, _AGENCY_RESPONSIBLE),
    ),
    Action.REPORT_VIEW_REPORTER: (
        Grant(SIGNED_IN, own_account_report),
        Grant(NATIONAL, any_report),  # the only ones who see an anonymous reporter
        Grant(AGENCY, all_of(_AGENCY_VERIFYING, not_anonymous)),
        Grant(UNIT, all_of(unit_subtree, not_anonymous)),
        Grant(LIAISON, all_of(officer_handles, not_anonymous)),
    ),
    Action.REPORT_VIEW_INTERNAL: (
        Grant(NATIONAL, any_report),
        Grant(AGENCY, _AGENCY_VERIFYING),
        Grant(UNIT, unit_subtree),
        Grant(LIAISON, officer_handles),
        Grant(DEV, _AGENCY_RESPONSIBLE),
    ),
    Action.REPORT_VIEW_REDACTED: (Grant(NATIONAL, any_report),),
    Action.REPORT_LIST_ALL: (Grant(NATIONAL_AND_EVALUATOR),),
    # -- officers' lifecycle actions ---------------------------------------------------------------
    Action.REPORT_VERIFY: (Grant(NATIONAL, any_report), Grant(AGENCY, _AGENCY_VERIFYING)),
    Action.REPORT_DISPOSE: (Grant(AGENCY, _AGENCY_RESPONSIBLE), Grant(UNIT, unit_subtree)),
    Action.REPORT_FORWARD: (Grant(NATIONAL, any_report), Grant(AGENCY, _AGENCY_VERIFYING)),
    # before verification: the verifying admin asks the reporter for more information; after
    # it, whoever handles the report (the status decides which: `workflow`)
    Action.REPORT_POSTPONE: (*_HANDLERS, Grant(DEV, _AGENCY_RESPONSIBLE)),
    Action.REPORT_EXTEND: (Grant(NATIONAL, any_report), Grant(AGENCY, _AGENCY_RESPONSIBLE)),
    # once an organisation has received a report, only the national admin archives it
    Action.REPORT_ARCHIVE: (
        Grant(NATIONAL, any_report),
        Grant(AGENCY, all_of(_AGENCY_VERIFYING, not_received)),
    ),
    Action.REPORT_RESPOND: (
        Grant(AGENCY, _AGENCY_RESPONSIBLE),
        Grant(UNIT, unit_subtree),
        Grant(LIAISON, officer_handles),
        Grant(DEV, _AGENCY_RESPONSIBLE),
    ),
    Action.REPORT_RECLASSIFY: (Grant(NATIONAL, any_report), Grant(AGENCY, _AGENCY_VERIFYING)),
    Action.REPORT_PRIVACY_RAISE: (*_REPORTER_ONLY, *_HANDLERS),
    Action.REPORT_PRIVACY_LOWER: (*_REPORTER_ONLY, Grant(NATIONAL, any_report)),
    Action.REPORT_REDACT: _HANDLERS,
    Action.REPORT_NOTE: _HANDLERS,
    Action.REPORT_ASSIGN: (Grant(NATIONAL, any_report), Grant(AGENCY, _AGENCY_RESPONSIBLE)),
    # -- the reporter's actions (by account, session, token or reporter key) ----------------------
    Action.REPORT_REPLY: _REPORTER_ONLY,
    Action.REPORT_CLOSE: _REPORTER_ONLY,
    Action.REPORT_RATE: _REPORTER_ONLY,
    Action.REPORT_REOPEN: (*_REPORTER_ONLY, Grant(NATIONAL, any_report)),
    Action.REPORT_REOPEN_ANY: (Grant(NATIONAL, any_report),),
    Action.REPORT_ROUTE_TO: (Grant(NATIONAL, an_agency), Grant(AGENCY, own_agency)),
    # the reporter's own request is the consent; the national admin records a referral made
    # elsewhere, with the reporter's request attached (checked by the action)
    Action.REPORT_ESCALATE: (*_REPORTER_ONLY, Grant(NATIONAL, any_report)),
    Action.REPORT_SUPPORT: (Grant(SIGNED_IN, all_of(public_report, not_own_report)),),
    # -- registry, accounts, calendar, SLA ---------------------------------------------------------
    Action.REGISTRY_MANAGE: (Grant(NATIONAL),),
    Action.USER_MANAGE: (Grant(NATIONAL),),
    Action.CALENDAR_OVERRIDE: (Grant(NATIONAL),),
    Action.SLA_MANAGE: (Grant(NATIONAL),),
    Action.ADMIN_SITE: (Grant(NATIONAL),),
    Action.TOKEN_CREATE: (
        Grant(SIGNED_IN, self_user),
        Grant(NATIONAL, developer_user),
        Grant(AGENCY, developer_of_own_agency),
    ),
    Action.TOKEN_REVOKE: (
        Grant(SIGNED_IN, self_user),
        Grant(NATIONAL, developer_user),
        Grant(AGENCY, developer_of_own_agency),
    ),
    # -- dashboards ---------------------------------------------------------------------------------
    Action.DASHBOARD_NATIONAL: (Grant(NATIONAL_AND_EVALUATOR),),
    Action.DASHBOARD_AGENCY: (
        Grant(NATIONAL_AND_EVALUATOR, any_agency),
        Grant(_only(AGENCY_ADMIN, UNIT_ADMIN, LIAISON_OFFICER), own_agency),
    ),
    # -- saved replies (lapor.routing) ------------------------------------------------------------
    Action.REPLY_TEMPLATE_MANAGE: (
        Grant(NATIONAL, an_agency),
        Grant(_only(AGENCY_ADMIN, UNIT_ADMIN), own_agency),
    ),
    Action.REPLY_TEMPLATE_USE: (
        Grant(NATIONAL, an_agency),
        Grant(_only(AGENCY_ADMIN, UNIT_ADMIN, LIAISON_OFFICER, DEVELOPER), own_agency),
    ),
}


def _as_action(action: Action | str) -> Action | None:
    try:
        return Action(action)
    except ValueError:
        return None


def can(actor: Actor, action: Action | str, target: Target = None) -> bool:
    """May `actor` take `action` on `target`? Refuses whatever the table does not grant."""
    known = _as_action(action)
    if known is None or not actor.is_active:
        return False
    if actor.role is not None and actor.role not in ROLES:
        return False
    return any(
        actor.role in grant.roles and grant.relation(actor, target)
        for grant in POLICY.get(known, ())
    )


def allowed_actions(actor: Actor, target: Target = None) -> frozenset[Action]:
    """Every action `actor` may take on `target` (for showing buttons and `/me`)."""
    return frozenset(action for action in Action if can(actor, action, target))


def _any_unit(actor: Actor, unit_path: str) -> bool:
    return True


def _strictly_below_own_unit(actor: Actor, unit_path: str) -> bool:
    return _under(unit_path, actor.unit_path) and _dir(unit_path) != _dir(actor.unit_path or "")


# Where each role that may dispose may send a report (the destination unit's path).
DISPOSE_DESTINATIONS: Mapping[str, Callable[[Actor, str], bool]] = {
    AGENCY_ADMIN: _any_unit,  # any unit of the responsible organisation
    UNIT_ADMIN: _strictly_below_own_unit,  # only further down its own subtree
}


def may_dispose_to(actor: Actor, target: ReportTarget, unit_path: str) -> bool:
    """May `actor` dispose `target` down to the unit at `unit_path`?

    `can(actor, REPORT_DISPOSE, target)` must hold and the destination must be one the actor's
    role may reach (`DISPOSE_DESTINATIONS`). The caller checks that the unit belongs to the
    responsible organisation.
    """
    destination = DISPOSE_DESTINATIONS.get(actor.role or "")
    return (
        destination is not None
        and can(actor, Action.REPORT_DISPOSE, target)
        and destination(actor, unit_path)
    )


# --- list scopes: the REPORT_VIEW rows above, as clauses a list query can use -----------------


@dataclass(frozen=True)
class ReportScope:
    """Which reports an actor may view, as clauses OR-ed together (for list queries).

    A selector turns each set clause into a filter; `matches(target)` is the same decision for
    one report and equals `can(actor, REPORT_VIEW, target)` for an actor without a reporter key
    (a key opens one report, never a list). Tested against the table.
    """

    everything: bool = False  # every report, confidential included
    public: bool = True  # every non-confidential report
    reporter_id: int | None = None  # reports filed by this account
    agency_code: str | None = None  # reports now with this organisation …
    unit_path: str | None = None  # … and, if set, with this unit or one below it
    queue_for_agency: str | None = None  # national-queue reports whose reporter chose this org
    # the two clauses above leave out whistle-blowing reports (organisation-wide roles)
    hide_whistleblowing: bool = False

    def matches(self, target: ReportTarget) -> bool:
        hidden = self.hide_whistleblowing and target.is_whistleblowing
        return (
            self.everything
            or (self.public and not target.is_confidential)
            or (self.reporter_id is not None and target.reporter_id == self.reporter_id)
            or (
                self.agency_code is not None
                and not hidden
                and target.agency_code == self.agency_code
                and (self.unit_path is None or _under(target.unit_path, self.unit_path))
            )
            or (
                self.queue_for_agency is not None
                and not hidden
                and target.agency_code is None
                and target.requested_agency_code == self.queue_for_agency
            )
        )


def _scope_national(actor: Actor) -> ReportScope:
    return ReportScope(everything=True)


def _scope_agency_admin(actor: Actor) -> ReportScope:
    return ReportScope(
        reporter_id=actor.user_id,
        agency_code=actor.agency_code,
        queue_for_agency=actor.agency_code,
        hide_whistleblowing=True,
    )


def _scope_unit_admin(actor: Actor) -> ReportScope:
    # no unit: no organisation-wide fallback (see `unit_subtree`)
    return ReportScope(
        reporter_id=actor.user_id,
        agency_code=actor.agency_code if actor.unit_path else None,
        unit_path=_dir(actor.unit_path) if actor.unit_path else None,
    )


def _scope_liaison(actor: Actor) -> ReportScope:
    return ReportScope(
        reporter_id=actor.user_id,
        agency_code=actor.agency_code,
        unit_path=_dir(actor.unit_path) if actor.unit_path else None,
        hide_whistleblowing=not actor.unit_path,
    )


def _scope_developer(actor: Actor) -> ReportScope:
    return ReportScope(
        reporter_id=actor.user_id, agency_code=actor.agency_code, hide_whistleblowing=True
    )


def _scope_public_and_own(actor: Actor) -> ReportScope:
    return ReportScope(reporter_id=actor.user_id)


# One entry per role, mirroring the REPORT_VIEW row of POLICY (the test checks they agree).
REPORT_VIEW_SCOPES: Mapping[str | None, Callable[[Actor], ReportScope]] = {
    None: _scope_public_and_own,
    REPORTER: _scope_public_and_own,
    EVALUATOR: _scope_public_and_own,  # lists all organisations, but never a confidential one
    NATIONAL_ADMIN: _scope_national,
    AGENCY_ADMIN: _scope_agency_admin,
    UNIT_ADMIN: _scope_unit_admin,
    LIAISON_OFFICER: _scope_liaison,
    DEVELOPER: _scope_developer,
}

_NOTHING = ReportScope(public=False)


def report_view_scope(actor: Actor) -> ReportScope:
    """The reports `actor` may see in lists (see `ReportScope`)."""
    if not actor.is_active:
        return _NOTHING
    build = REPORT_VIEW_SCOPES.get(actor.role)
    return build(actor) if build is not None else _NOTHING
