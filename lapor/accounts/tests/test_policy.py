"""The policy table, exhaustively: every actor kind × every target kind × every action.

The expectations below are written by hand from the rules in the brief and docs/adr/0003, not
derived from `lapor.accounts.policy`: each cell lists exactly the actions allowed, so every other
action of `Action` is asserted refused in the same cell.
"""

from __future__ import annotations

import pytest

from lapor.accounts.policy import (
    Action,
    Actor,
    AgencyTarget,
    ReportScope,
    ReportTarget,
    Target,
    UserTarget,
    allowed_actions,
    can,
    may_dispose_to,
    report_view_scope,
)

A = Action
SBY = "35.78"
KEMENKES = "kemenkes"
OWNER_ID = 2

# --- actors -----------------------------------------------------------------------------------
ACTORS: dict[str, Actor] = {
    "anonymous": Actor(),
    "guest_with_key": Actor(holds_reporter_key=True),
    "citizen": Actor(role="reporter", user_id=1),
    "owner": Actor(role="reporter", user_id=OWNER_ID),
    "national_admin": Actor(role="national_admin", user_id=3),
    "agency_admin": Actor(role="agency_admin", user_id=4, agency_code=SBY),
    "unit_admin": Actor(role="unit_admin", user_id=5, agency_code=SBY, unit_path="dinas/"),
    "liaison_of_unit": Actor(
        role="liaison_officer", user_id=6, agency_code=SBY, unit_path="dinas/"
    ),
    "liaison_of_agency": Actor(role="liaison_officer", user_id=7, agency_code=SBY),
    "developer": Actor(role="developer", user_id=8, agency_code=SBY),
    "evaluator": Actor(role="evaluator", user_id=9),
    "other_agency_admin": Actor(role="agency_admin", user_id=10, agency_code=KEMENKES),
    "inactive_national_admin": Actor(role="national_admin", user_id=11, is_active=False),
    "unknown_role": Actor(role="superhero", user_id=12),
}

# --- targets ----------------------------------------------------------------------------------
SELF = "self"  # a UserTarget for the actor itself, built per actor
TARGETS: dict[str, Target] = {
    # a public report of Surabaya, disposed to a sub-unit of `dinas`
    "report_in_subunit": ReportTarget(SBY, "dinas/bidang/", OWNER_ID, received=True),
    "report_confidential": ReportTarget(
        SBY, "dinas/", OWNER_ID, is_confidential=True, received=True
    ),
    "report_anonymous": ReportTarget(SBY, "dinas/", OWNER_ID, is_anonymous=True, received=True),
    "report_sibling_unit": ReportTarget(SBY, "lain/", OWNER_ID, received=True),
    # a unit whose code starts like `dinas` but is not under it
    "report_lookalike_unit": ReportTarget(SBY, "dinas-lama/", OWNER_ID, received=True),
    "report_not_disposed": ReportTarget(SBY, None, OWNER_ID, received=True),
    "report_other_agency_confidential": ReportTarget(
        KEMENKES, None, OWNER_ID, is_confidential=True, received=True
    ),
    # waits for verification; the reporter chose Surabaya (no organisation has received it)
    "report_national_queue_for_sby": ReportTarget(None, None, OWNER_ID, requested_agency_code=SBY),
    # filed by a guest (no account), confidential and anonymous
    "report_of_guest": ReportTarget(
        SBY, "dinas/", None, is_confidential=True, is_anonymous=True, received=True
    ),
    # whistle-blowing: confidential, with Surabaya's inspectorate
    "report_whistleblowing": ReportTarget(
        SBY,
        "inspektorat/",
        OWNER_ID,
        is_confidential=True,
        received=True,
        is_whistleblowing=True,
    ),
    SELF: None,
    "developer_of_sby": UserTarget(user_id=8, role="developer", agency_code=SBY),
    "developer_of_kemenkes": UserTarget(user_id=20, role="developer", agency_code=KEMENKES),
    "reporter_user": UserTarget(user_id=21, role="reporter"),
    "agency_sby": AgencyTarget(SBY),
    "agency_kemenkes": AgencyTarget(KEMENKES),
    "nothing": None,
}
REPORT_TARGETS = [name for name, t in TARGETS.items() if isinstance(t, ReportTarget)]
PUBLIC_REPORTS = [
    name
    for name in REPORT_TARGETS
    if not TARGETS[name].is_confidential  # type: ignore[union-attr]
]


def target_for(actor: Actor, name: str) -> Target:
    if name == SELF:
        return UserTarget(
            user_id=actor.user_id if actor.user_id is not None else 999,
            role=actor.role or "reporter",
            agency_code=actor.agency_code,
        )
    return TARGETS[name]


# --- expected sets, from the rules --------------------------------------------------------------
NONE: frozenset[Action] = frozenset()
VIEW = frozenset({A.REPORT_VIEW})
SIGNED_IN_PUBLIC = frozenset({A.REPORT_VIEW, A.REPORT_SUPPORT})
TOKENS = frozenset({A.TOKEN_CREATE, A.TOKEN_REVOKE})
# the reporter: reply, close, reopen, ask for the referral, rate, raise and lower the privacy
REPORTER_ACTIONS = frozenset(
    {
        A.REPORT_VIEW,
        A.REPORT_REPLY,
        A.REPORT_CLOSE,
        A.REPORT_REOPEN,
        A.REPORT_ESCALATE,
        A.REPORT_RATE,
        A.REPORT_PRIVACY_RAISE,
        A.REPORT_PRIVACY_LOWER,
    }
)
# a reporter does not support their own report
OWNER_PUBLIC = REPORTER_ACTIONS | {A.REPORT_VIEW_REPORTER}
OWNER_CONFIDENTIAL = REPORTER_ACTIONS | {A.REPORT_VIEW_REPORTER}
NATIONAL_SITE = frozenset(
    {
        A.REGISTRY_MANAGE,
        A.USER_MANAGE,
        A.CALENDAR_OVERRIDE,
        A.SLA_MANAGE,
        A.ADMIN_SITE,
        A.REPORT_LIST_ALL,
        A.DASHBOARD_NATIONAL,
    }
)
NATIONAL_ON_REPORT = frozenset(
    {
        A.REPORT_VIEW,
        A.REPORT_VIEW_REPORTER,
        A.REPORT_VIEW_INTERNAL,
        A.REPORT_VIEW_REDACTED,
        A.REPORT_VERIFY,
        A.REPORT_FORWARD,
        A.REPORT_POSTPONE,
        A.REPORT_EXTEND,
        A.REPORT_ARCHIVE,
        A.REPORT_REOPEN,
        A.REPORT_REOPEN_ANY,
        A.REPORT_ESCALATE,
        A.REPORT_RECLASSIFY,
        A.REPORT_PRIVACY_RAISE,
        A.REPORT_PRIVACY_LOWER,
        A.REPORT_REDACT,
        A.REPORT_NOTE,
        A.REPORT_ASSIGN,
    }
)
# received by the organisation: only the national admin archives it now
AGENCY_ADMIN_ON_OWN = frozenset(
    {
        A.REPORT_VERIFY,
        A.REPORT_DISPOSE,
        A.REPORT_FORWARD,
        A.REPORT_POSTPONE,
        A.REPORT_EXTEND,
        A.REPORT_RESPOND,
        A.REPORT_RECLASSIFY,
        A.REPORT_PRIVACY_RAISE,
        A.REPORT_REDACT,
        A.REPORT_NOTE,
        A.REPORT_ASSIGN,
        A.REPORT_VIEW,
        A.REPORT_VIEW_INTERNAL,
        A.REPORT_VIEW_REPORTER,
    }
)
# waiting for verification in the organisation's queue: verify, ask for information, archive,
# forward elsewhere, protect the reporter
AGENCY_ADMIN_ON_QUEUE = frozenset(
    {
        A.REPORT_VERIFY,
        A.REPORT_FORWARD,
        A.REPORT_POSTPONE,
        A.REPORT_ARCHIVE,
        A.REPORT_RECLASSIFY,
        A.REPORT_PRIVACY_RAISE,
        A.REPORT_REDACT,
        A.REPORT_NOTE,
        A.REPORT_VIEW,
        A.REPORT_VIEW_INTERNAL,
        A.REPORT_VIEW_REPORTER,
    }
)
UNIT_ON_SUBTREE = frozenset(
    {
        A.REPORT_DISPOSE,
        A.REPORT_POSTPONE,
        A.REPORT_RESPOND,
        A.REPORT_PRIVACY_RAISE,
        A.REPORT_REDACT,
        A.REPORT_NOTE,
        A.REPORT_VIEW,
        A.REPORT_VIEW_INTERNAL,
        A.REPORT_VIEW_REPORTER,
    }
)
LIAISON_ON_SCOPE = frozenset(
    {
        A.REPORT_RESPOND,
        A.REPORT_POSTPONE,
        A.REPORT_PRIVACY_RAISE,
        A.REPORT_REDACT,
        A.REPORT_NOTE,
        A.REPORT_VIEW,
        A.REPORT_VIEW_INTERNAL,
        A.REPORT_VIEW_REPORTER,
    }
)
DEVELOPER_ON_OWN = frozenset(
    {A.REPORT_VIEW, A.REPORT_VIEW_INTERNAL, A.REPORT_RESPOND, A.REPORT_POSTPONE}
)
EVALUATOR_SITE = frozenset({A.REPORT_LIST_ALL, A.DASHBOARD_NATIONAL})
DASH = frozenset({A.DASHBOARD_AGENCY})
# saved replies (lapor.routing): manage, or only use them while answering
REPLY_USE = frozenset({A.REPLY_TEMPLATE_USE})
REPLIES = REPLY_USE | {A.REPLY_TEMPLATE_MANAGE}
ROUTE = frozenset({A.REPORT_ROUTE_TO})  # may route (verify) a report to this organisation
SUPPORT = frozenset({A.REPORT_SUPPORT})
NO_REPORTER = frozenset({A.REPORT_VIEW_REPORTER})

EXPECTED: dict[str, dict[str, frozenset[Action]]] = {
    "anonymous": {
        "report_in_subunit": VIEW,
        "report_confidential": NONE,
        "report_anonymous": VIEW,
        "report_sibling_unit": VIEW,
        "report_lookalike_unit": VIEW,
        "report_not_disposed": VIEW,
        "report_other_agency_confidential": NONE,
        "report_national_queue_for_sby": VIEW,
        "report_of_guest": NONE,
        "report_whistleblowing": NONE,
        SELF: NONE,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": NONE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    # the key proves being the reporter of the report asked about, confidential or not
    "guest_with_key": {
        "report_in_subunit": REPORTER_ACTIONS,
        "report_confidential": REPORTER_ACTIONS,
        "report_anonymous": REPORTER_ACTIONS,
        "report_sibling_unit": REPORTER_ACTIONS,
        "report_lookalike_unit": REPORTER_ACTIONS,
        "report_not_disposed": REPORTER_ACTIONS,
        "report_other_agency_confidential": REPORTER_ACTIONS,
        "report_national_queue_for_sby": REPORTER_ACTIONS,
        "report_of_guest": REPORTER_ACTIONS,
        "report_whistleblowing": REPORTER_ACTIONS,
        SELF: NONE,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": NONE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    "citizen": {
        "report_in_subunit": SIGNED_IN_PUBLIC,
        "report_confidential": NONE,
        "report_anonymous": SIGNED_IN_PUBLIC,
        "report_sibling_unit": SIGNED_IN_PUBLIC,
        "report_lookalike_unit": SIGNED_IN_PUBLIC,
        "report_not_disposed": SIGNED_IN_PUBLIC,
        "report_other_agency_confidential": NONE,
        "report_national_queue_for_sby": SIGNED_IN_PUBLIC,
        "report_of_guest": NONE,
        "report_whistleblowing": NONE,
        SELF: TOKENS,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": NONE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    "owner": {
        "report_in_subunit": OWNER_PUBLIC,
        "report_confidential": OWNER_CONFIDENTIAL,
        "report_anonymous": OWNER_PUBLIC,
        "report_sibling_unit": OWNER_PUBLIC,
        "report_lookalike_unit": OWNER_PUBLIC,
        "report_not_disposed": OWNER_PUBLIC,
        "report_other_agency_confidential": OWNER_CONFIDENTIAL,
        "report_national_queue_for_sby": OWNER_PUBLIC,
        "report_of_guest": NONE,
        "report_whistleblowing": OWNER_CONFIDENTIAL,
        SELF: TOKENS,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": NONE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    "national_admin": {
        "report_in_subunit": NATIONAL_SITE | NATIONAL_ON_REPORT | SUPPORT,
        "report_confidential": NATIONAL_SITE | NATIONAL_ON_REPORT,
        "report_anonymous": NATIONAL_SITE | NATIONAL_ON_REPORT | SUPPORT,
        "report_sibling_unit": NATIONAL_SITE | NATIONAL_ON_REPORT | SUPPORT,
        "report_lookalike_unit": NATIONAL_SITE | NATIONAL_ON_REPORT | SUPPORT,
        "report_not_disposed": NATIONAL_SITE | NATIONAL_ON_REPORT | SUPPORT,
        "report_other_agency_confidential": NATIONAL_SITE | NATIONAL_ON_REPORT,
        "report_national_queue_for_sby": NATIONAL_SITE | NATIONAL_ON_REPORT | SUPPORT,
        "report_of_guest": NATIONAL_SITE | NATIONAL_ON_REPORT,
        "report_whistleblowing": NATIONAL_SITE | NATIONAL_ON_REPORT,
        SELF: NATIONAL_SITE | TOKENS,
        "developer_of_sby": NATIONAL_SITE | TOKENS,
        "developer_of_kemenkes": NATIONAL_SITE | TOKENS,
        "reporter_user": NATIONAL_SITE,
        "agency_sby": NATIONAL_SITE | DASH | REPLIES | ROUTE,
        "agency_kemenkes": NATIONAL_SITE | DASH | REPLIES | ROUTE,
        "nothing": NATIONAL_SITE | DASH,
    },
    "agency_admin": {
        "report_in_subunit": AGENCY_ADMIN_ON_OWN | SUPPORT,
        "report_confidential": AGENCY_ADMIN_ON_OWN,
        "report_anonymous": (AGENCY_ADMIN_ON_OWN - NO_REPORTER) | SUPPORT,
        "report_sibling_unit": AGENCY_ADMIN_ON_OWN | SUPPORT,
        "report_lookalike_unit": AGENCY_ADMIN_ON_OWN | SUPPORT,
        "report_not_disposed": AGENCY_ADMIN_ON_OWN | SUPPORT,
        "report_other_agency_confidential": NONE,
        "report_national_queue_for_sby": AGENCY_ADMIN_ON_QUEUE | SUPPORT,
        "report_of_guest": AGENCY_ADMIN_ON_OWN - NO_REPORTER,
        "report_whistleblowing": NONE,
        SELF: TOKENS,
        "developer_of_sby": TOKENS,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": DASH | REPLIES | ROUTE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    "other_agency_admin": {
        "report_in_subunit": SIGNED_IN_PUBLIC,
        "report_confidential": NONE,
        "report_anonymous": SIGNED_IN_PUBLIC,
        "report_sibling_unit": SIGNED_IN_PUBLIC,
        "report_lookalike_unit": SIGNED_IN_PUBLIC,
        "report_not_disposed": SIGNED_IN_PUBLIC,
        "report_other_agency_confidential": AGENCY_ADMIN_ON_OWN,
        "report_national_queue_for_sby": SIGNED_IN_PUBLIC,
        "report_of_guest": NONE,
        "report_whistleblowing": NONE,
        SELF: TOKENS,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": TOKENS,
        "reporter_user": NONE,
        "agency_sby": NONE,
        "agency_kemenkes": DASH | REPLIES | ROUTE,
        "nothing": NONE,
    },
    "unit_admin": {
        "report_in_subunit": UNIT_ON_SUBTREE | SUPPORT,
        "report_confidential": UNIT_ON_SUBTREE,
        "report_anonymous": (UNIT_ON_SUBTREE - NO_REPORTER) | SUPPORT,
        "report_sibling_unit": SIGNED_IN_PUBLIC,
        "report_lookalike_unit": SIGNED_IN_PUBLIC,
        "report_not_disposed": SIGNED_IN_PUBLIC,
        "report_other_agency_confidential": NONE,
        "report_national_queue_for_sby": SIGNED_IN_PUBLIC,
        "report_of_guest": UNIT_ON_SUBTREE - NO_REPORTER,
        "report_whistleblowing": NONE,
        SELF: TOKENS,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": DASH | REPLIES,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    "liaison_of_unit": {
        "report_in_subunit": LIAISON_ON_SCOPE | SUPPORT,
        "report_confidential": LIAISON_ON_SCOPE,
        "report_anonymous": (LIAISON_ON_SCOPE - NO_REPORTER) | SUPPORT,
        "report_sibling_unit": SIGNED_IN_PUBLIC,
        "report_lookalike_unit": SIGNED_IN_PUBLIC,
        "report_not_disposed": SIGNED_IN_PUBLIC,
        "report_other_agency_confidential": NONE,
        "report_national_queue_for_sby": SIGNED_IN_PUBLIC,
        "report_of_guest": LIAISON_ON_SCOPE - NO_REPORTER,
        "report_whistleblowing": NONE,
        SELF: TOKENS,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": DASH | REPLY_USE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    # without a unit, a liaison officer covers the whole organisation
    "liaison_of_agency": {
        "report_in_subunit": LIAISON_ON_SCOPE | SUPPORT,
        "report_confidential": LIAISON_ON_SCOPE,
        "report_anonymous": (LIAISON_ON_SCOPE - NO_REPORTER) | SUPPORT,
        "report_sibling_unit": LIAISON_ON_SCOPE | SUPPORT,
        "report_lookalike_unit": LIAISON_ON_SCOPE | SUPPORT,
        "report_not_disposed": LIAISON_ON_SCOPE | SUPPORT,
        "report_other_agency_confidential": NONE,
        "report_national_queue_for_sby": SIGNED_IN_PUBLIC,
        "report_of_guest": LIAISON_ON_SCOPE - NO_REPORTER,
        "report_whistleblowing": NONE,
        SELF: TOKENS,
        "developer_of_sby": NONE,
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": DASH | REPLY_USE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    "developer": {
        "report_in_subunit": DEVELOPER_ON_OWN | SUPPORT,
        "report_confidential": DEVELOPER_ON_OWN,
        "report_anonymous": DEVELOPER_ON_OWN | SUPPORT,
        "report_sibling_unit": DEVELOPER_ON_OWN | SUPPORT,
        "report_lookalike_unit": DEVELOPER_ON_OWN | SUPPORT,
        "report_not_disposed": DEVELOPER_ON_OWN | SUPPORT,
        "report_other_agency_confidential": NONE,
        "report_national_queue_for_sby": SIGNED_IN_PUBLIC,
        "report_of_guest": DEVELOPER_ON_OWN,
        "report_whistleblowing": NONE,
        SELF: TOKENS,
        "developer_of_sby": TOKENS,  # that is the developer itself (user 8)
        "developer_of_kemenkes": NONE,
        "reporter_user": NONE,
        "agency_sby": REPLY_USE,
        "agency_kemenkes": NONE,
        "nothing": NONE,
    },
    "evaluator": {
        "report_in_subunit": EVALUATOR_SITE | SIGNED_IN_PUBLIC,
        "report_confidential": EVALUATOR_SITE,
        "report_anonymous": EVALUATOR_SITE | SIGNED_IN_PUBLIC,
        "report_sibling_unit": EVALUATOR_SITE | SIGNED_IN_PUBLIC,
        "report_lookalike_unit": EVALUATOR_SITE | SIGNED_IN_PUBLIC,
        "report_not_disposed": EVALUATOR_SITE | SIGNED_IN_PUBLIC,
        "report_other_agency_confidential": EVALUATOR_SITE,
        "report_national_queue_for_sby": EVALUATOR_SITE | SIGNED_IN_PUBLIC,
        "report_of_guest": EVALUATOR_SITE,
        "report_whistleblowing": EVALUATOR_SITE,
        SELF: EVALUATOR_SITE | TOKENS,
        "developer_of_sby": EVALUATOR_SITE,
        "developer_of_kemenkes": EVALUATOR_SITE,
        "reporter_user": EVALUATOR_SITE,
        "agency_sby": EVALUATOR_SITE | DASH,
        "agency_kemenkes": EVALUATOR_SITE | DASH,
        "nothing": EVALUATOR_SITE | DASH,
    },
    "inactive_national_admin": dict.fromkeys(TARGETS, NONE),
    "unknown_role": dict.fromkeys(TARGETS, NONE),
}

CASES = [
    (actor_name, target_name)
    for actor_name in ACTORS
    for target_name in TARGETS
    if target_name in EXPECTED.get(actor_name, {})
]


def test_the_expectations_cover_every_actor_and_target():
    # given the hand-written table
    # when it is compared with the actors and targets
    missing = [(a, t) for a in ACTORS for t in TARGETS if t not in EXPECTED.get(a, {})]
    # then no cell is left out
    assert missing == []
    assert len(CASES) == len(ACTORS) * len(TARGETS)


@pytest.mark.parametrize(("actor_name", "target_name"), CASES)
def test_every_action_for_actor_on_target(actor_name: str, target_name: str):
    # given an actor and a target
    actor = ACTORS[actor_name]
    target = target_for(actor, target_name)
    expected = EXPECTED[actor_name][target_name]
    # when every action is asked
    allowed = {action for action in Action if can(actor, action, target)}
    # then exactly the expected ones are allowed (and every other action refused)
    assert sorted(allowed - expected) == [], "allowed but should be refused"
    assert sorted(expected - allowed) == [], "refused but should be allowed"
    assert allowed_actions(actor, target) == expected


@pytest.mark.parametrize("action", ["report.explode", "", "REPORT_VIEW", "report.view "])
def test_unknown_action_is_refused_even_for_a_national_admin(action: str):
    # given the most powerful actor
    actor = ACTORS["national_admin"]
    # when an action the table does not know is asked
    # then it is refused
    assert can(actor, action, TARGETS["report_in_subunit"]) is False


def test_an_action_may_be_given_as_its_string_value():
    # given an agency admin and a confidential report of its organisation
    actor = ACTORS["agency_admin"]
    target = TARGETS["report_confidential"]
    # when actions are named by their API values
    # then they are decided like the enum members
    assert can(actor, "report.verify", target) is True
    assert can(ACTORS["citizen"], "report.view", target) is False


def test_every_action_has_a_row_in_the_table():
    # given the table
    from lapor.accounts.policy import POLICY

    # when compared with the list of actions
    # then no action is left without a row (an action without a row would be refused to all)
    assert set(POLICY) == set(Action)


@pytest.mark.parametrize(
    ("actor_name", "report_unit", "destination", "expected"),
    [
        # an agency admin sends its organisation's report to any unit
        ("agency_admin", None, "dinas/", True),
        ("agency_admin", "dinas/", "lain/", True),
        # a unit admin only further down its own subtree
        ("unit_admin", "dinas/", "dinas/bidang/", True),
        ("unit_admin", "dinas/bidang/", "dinas/bidang/seksi/", True),
        ("unit_admin", "dinas/", "dinas/", False),
        ("unit_admin", "dinas/", "lain/", False),
        ("unit_admin", "dinas/", "dinas-lama/", False),
        ("unit_admin", "lain/", "lain/sub/", False),  # the report is not in its subtree
        # others may not dispose at all
        ("liaison_of_unit", "dinas/", "dinas/bidang/", False),
        ("national_admin", None, "dinas/", False),
        ("developer", None, "dinas/", False),
        ("other_agency_admin", None, "dinas/", False),
    ],
)
def test_dispose_destinations(actor_name, report_unit, destination, expected):
    # given a report of Surabaya at `report_unit`
    target = ReportTarget(SBY, report_unit, OWNER_ID)
    # when the actor asks to dispose it to `destination`
    # then the answer follows the role's reach
    assert may_dispose_to(ACTORS[actor_name], target, destination) is expected


def test_unit_paths_without_trailing_slash_are_compared_as_paths():
    # given an officer whose unit path was stored without the final slash
    actor = Actor(role="unit_admin", user_id=5, agency_code=SBY, unit_path="dinas")
    # when asked about a report in its unit and one in a look-alike unit
    # then only its own subtree counts
    assert can(actor, A.REPORT_RESPOND, ReportTarget(SBY, "dinas/", None)) is True
    assert can(actor, A.REPORT_RESPOND, ReportTarget(SBY, "dinas-lama/", None)) is False


def test_a_unit_admin_without_a_unit_has_no_report_rights():
    # given a misconfigured unit admin with no unit
    actor = Actor(role="unit_admin", user_id=5, agency_code=SBY)
    # when asked about its organisation's report
    target = ReportTarget(SBY, "dinas/", None, is_confidential=True)
    # then it is not treated as covering the whole organisation
    assert allowed_actions(actor, target) == NONE


def test_the_key_does_not_reveal_an_anonymous_reporter():
    # given a guest who proved the key of an anonymous report
    actor = ACTORS["guest_with_key"]
    # when asked for the reporter's identity or internal notes
    target = TARGETS["report_of_guest"]
    # then both are refused
    assert can(actor, A.REPORT_VIEW_REPORTER, target) is False
    assert can(actor, A.REPORT_VIEW_INTERNAL, target) is False


@pytest.mark.parametrize("actor_name", [name for name in ACTORS if name != "guest_with_key"])
def test_the_list_scope_agrees_with_the_view_rule(actor_name: str):
    # given an actor without a reporter key (a key opens one report, never a list)
    actor = ACTORS[actor_name]
    scope = report_view_scope(actor)
    # when the scope and the table decide every report target
    disagreements = [
        name
        for name in REPORT_TARGETS
        if scope.matches(TARGETS[name]) != can(actor, A.REPORT_VIEW, TARGETS[name])  # type: ignore[arg-type]
    ]
    # then they agree everywhere
    assert disagreements == []


def test_list_scopes_of_the_main_roles():
    # given the actors of the matrix
    # when their list scopes are built
    # then each names exactly its clauses
    assert report_view_scope(ACTORS["anonymous"]) == ReportScope()
    assert report_view_scope(ACTORS["owner"]) == ReportScope(reporter_id=OWNER_ID)
    assert report_view_scope(ACTORS["evaluator"]) == ReportScope(reporter_id=9)
    assert report_view_scope(ACTORS["national_admin"]) == ReportScope(everything=True)
    # organisation-wide roles never list whistle-blowing reports (the inspectorate does)
    assert report_view_scope(ACTORS["agency_admin"]) == ReportScope(
        reporter_id=4, agency_code=SBY, queue_for_agency=SBY, hide_whistleblowing=True
    )
    assert report_view_scope(ACTORS["unit_admin"]) == ReportScope(
        reporter_id=5, agency_code=SBY, unit_path="dinas/"
    )
    assert report_view_scope(ACTORS["liaison_of_agency"]) == ReportScope(
        reporter_id=7, agency_code=SBY, hide_whistleblowing=True
    )
    assert report_view_scope(ACTORS["inactive_national_admin"]) == ReportScope(public=False)
    assert report_view_scope(ACTORS["unknown_role"]) == ReportScope(public=False)


def test_the_inspectorate_handles_whistle_blowing_reports():
    # given an officer of Surabaya's inspectorate and a whistle-blowing report sitting there
    inspector = Actor(role="unit_admin", user_id=30, agency_code=SBY, unit_path="inspektorat/")
    report = TARGETS["report_whistleblowing"]
    # then the inspectorate sees and answers it, and lists it; the organisation's admin neither
    assert can(inspector, A.REPORT_VIEW, report) and can(inspector, A.REPORT_RESPOND, report)
    assert report_view_scope(inspector).matches(report)  # type: ignore[arg-type]
    admin = ACTORS["agency_admin"]
    assert not can(admin, A.REPORT_VIEW, report)
    assert not report_view_scope(admin).matches(report)  # type: ignore[arg-type]


def test_only_the_reporter_or_the_national_admin_lowers_privacy():
    # given a report of Surabaya
    report = TARGETS["report_anonymous"]
    # then everyone handling it may raise its privacy, only the reporter may lower it (and the
    # national admin, who must attach the reporter's request: checked by the action)
    for name in ("agency_admin", "unit_admin", "liaison_of_unit", "national_admin", "owner"):
        assert can(ACTORS[name], A.REPORT_PRIVACY_RAISE, report), name
    for name in ("agency_admin", "unit_admin", "liaison_of_unit", "developer", "evaluator"):
        assert not can(ACTORS[name], A.REPORT_PRIVACY_LOWER, report), name
    assert can(ACTORS["owner"], A.REPORT_PRIVACY_LOWER, report)
    assert can(ACTORS["guest_with_key"], A.REPORT_PRIVACY_LOWER, report)
    assert can(ACTORS["national_admin"], A.REPORT_PRIVACY_LOWER, report)


def test_after_receipt_only_the_national_admin_archives():
    queue = TARGETS["report_national_queue_for_sby"]
    received = TARGETS["report_not_disposed"]
    assert can(ACTORS["agency_admin"], A.REPORT_ARCHIVE, queue)
    assert not can(ACTORS["agency_admin"], A.REPORT_ARCHIVE, received)
    assert can(ACTORS["national_admin"], A.REPORT_ARCHIVE, received)
