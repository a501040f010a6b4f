from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from lapor.accounts.models import User
from lapor.accounts.policy import Action, Actor, AgencyTarget, ReportTarget
from lapor.accounts.selectors import actor_for, user_can
from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_the_anonymous_actor():
    # given a visitor who is not signed in
    visitor = AnonymousUser()
    # when turned into an actor, with and without the reporter key
    plain = actor_for(visitor)
    with_key = actor_for(visitor, holds_reporter_key=True)
    # then it has no role and only the key flag differs
    assert plain == Actor()
    assert with_key == Actor(holds_reporter_key=True)
    assert actor_for(None) == Actor()


def test_an_officer_carries_agency_code_and_unit_path_without_extra_queries(
    django_assert_num_queries,
):
    # given a unit admin of a sub-unit, loaded with its organisation and unit
    agency = AgencyFactory.create(code="35.78")
    parent = UnitFactory.create(agency=agency, code="dinas")
    child = UnitFactory.create(agency=agency, parent=parent, code="bidang")
    officer = UserFactory(role="unit_admin", agency=agency, unit=child)
    loaded = User.objects.select_related("agency", "unit").get(pk=officer.pk)
    # when turned into an actor
    with django_assert_num_queries(0):
        actor = actor_for(loaded)
    # then the policy sees its role, organisation code and unit path
    assert actor == Actor(
        role="unit_admin", user_id=officer.pk, agency_code="35.78", unit_path="dinas/bidang/"
    )


def test_a_reporter_without_organisation_needs_no_query(django_assert_num_queries):
    # given a reporter
    reporter = UserFactory()
    # when turned into an actor
    with django_assert_num_queries(0):
        actor = actor_for(reporter)
    # then only the role and id are set
    assert actor == Actor(role="reporter", user_id=reporter.pk)


def test_an_inactive_user_is_an_inactive_actor():
    # given a deactivated national admin
    admin = UserFactory(role="national_admin", is_active=False)
    # when asked what it may do
    # then nothing is allowed
    assert actor_for(admin).is_active is False
    assert user_can(admin, Action.REGISTRY_MANAGE) is False


def test_user_can_asks_the_policy_for_a_django_user():
    # given an agency admin of Surabaya
    agency = AgencyFactory.create(code="35.78")
    admin = UserFactory(role="agency_admin", agency=agency)
    report = ReportTarget("35.78", None, None, is_confidential=True)
    # when asking about its organisation and another
    # then its own is allowed and the other refused
    assert user_can(admin, Action.REPORT_VERIFY, report) is True
    assert user_can(admin, Action.DASHBOARD_AGENCY, AgencyTarget("35.78")) is True
    assert user_can(admin, Action.DASHBOARD_AGENCY, AgencyTarget("kemenkes")) is False
    # and a visitor holding the key may reply, one without it may not even see it
    assert user_can(AnonymousUser(), "report.reply", report, holds_reporter_key=True) is True
    assert user_can(AnonymousUser(), "report.view", report) is False
