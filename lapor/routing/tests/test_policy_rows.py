"""The two policy rows added for saved replies (lapor.accounts.policy)."""

from __future__ import annotations

import pytest

from lapor.accounts.policy import Action, Actor, AgencyTarget, can

SBY = AgencyTarget("35.78")
OTHER = AgencyTarget("kemenkes")
MANAGE, USE = Action.REPLY_TEMPLATE_MANAGE, Action.REPLY_TEMPLATE_USE


@pytest.mark.parametrize(
    ("actor", "manage", "use"),
    [
        (Actor(role="national_admin", user_id=1), (True, True), (True, True)),
        (Actor(role="agency_admin", user_id=2, agency_code="35.78"), (True, False), (True, False)),
        (
            Actor(role="unit_admin", user_id=3, agency_code="35.78", unit_path="dinas/"),
            (True, False),
            (True, False),
        ),
        (
            Actor(role="liaison_officer", user_id=4, agency_code="35.78"),
            (False, False),
            (True, False),
        ),
        (Actor(role="developer", user_id=5, agency_code="35.78"), (False, False), (True, False)),
        (Actor(role="evaluator", user_id=6), (False, False), (False, False)),
        (Actor(role="reporter", user_id=7), (False, False), (False, False)),
        (Actor(), (False, False), (False, False)),
        (Actor(role="national_admin", user_id=8, is_active=False), (False, False), (False, False)),
    ],
)
def test_who_may_manage_and_use_saved_replies(actor, manage, use):
    # given an actor and two organisations
    # when each action is asked on each organisation
    # then the table grants exactly: national any; admins their own; officers use their own
    assert (can(actor, MANAGE, SBY), can(actor, MANAGE, OTHER)) == manage
    assert (can(actor, USE, SBY), can(actor, USE, OTHER)) == use


def test_no_organisation_is_no_target():
    # given the national admin
    # when asked without an organisation
    # then refused (the rows need one; `/me` does not list them)
    assert can(Actor(role="national_admin", user_id=1), MANAGE, None) is False
