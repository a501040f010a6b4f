"""Saved inbox views (services and selector) and the officers offered for assignment."""

from __future__ import annotations

import pytest

from lapor.accounts.models import SavedInboxView
from lapor.accounts.selectors import officers_for_assignment, saved_views_for
from lapor.accounts.services import saved_view_create, saved_view_delete, saved_view_query_clean
from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory
from lapor.core.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_query_keeps_only_the_inbox_filters_in_a_fixed_order() -> None:
    # when
    cleaned = saved_view_query_clean("?page=3&q=jalan+rusak&evil=1&status=open&saya=1&status=x")
    # then: page and unknown keys dropped, the first value kept
    assert cleaned == "status=open&q=jalan+rusak&saya=1"
    assert saved_view_query_clean("") == ""
    assert saved_view_query_clean("q=" + "x" * 500) == ""


def test_create_saves_the_cleaned_query_and_lists_by_name() -> None:
    # given
    user = UserFactory(role="agency_admin", agency=AgencyFactory())
    # when
    late = saved_view_create(user=user, name="  Terlambat   saja ", query="overdue=1&page=2")
    mine = saved_view_create(user=user, name="Milik saya", query="saya=1&foo=bar")
    # then
    assert late.name == "Terlambat saja"
    assert late.query == "overdue=1"
    assert mine.query == "saya=1"
    assert list(saved_views_for(user=user)) == [mine, late]
    assert list(saved_views_for(user=UserFactory())) == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_create_refuses_a_missing_or_too_long_name(name: str) -> None:
    user = UserFactory()
    with pytest.raises(ValidationFailed) as exc:
        saved_view_create(user=user, name=name, query="q=a")
    assert (exc.value.errors or [{}])[0].get("field") == "name"
    assert not SavedInboxView.objects.exists()


def test_names_are_unique_per_user_whatever_the_case() -> None:
    # given
    user, other = UserFactory(), UserFactory()
    saved_view_create(user=user, name="Baru", query="status=submitted")
    # when / then
    with pytest.raises(Conflict):
        saved_view_create(user=user, name="baru", query="")
    assert saved_view_create(user=other, name="Baru", query="").user == other
    assert saved_view_create(user=user, name="x" * 60, query="").name == "x" * 60


def test_delete_only_ones_own_view() -> None:
    # given
    owner, intruder = UserFactory(), UserFactory()
    view = saved_view_create(user=owner, name="Baru", query="status=submitted")
    # when / then
    with pytest.raises(NotFound):
        saved_view_delete(user=intruder, view=view)
    assert SavedInboxView.objects.filter(pk=view.pk).exists()
    saved_view_delete(user=owner, view=view)
    assert not SavedInboxView.objects.filter(pk=view.pk).exists()


def test_officers_for_assignment_cover_the_reports_unit() -> None:
    # given: a unit tree dinas → bidang, and a sibling unit
    agency = AgencyFactory()
    parent = UnitFactory(agency=agency, code="dinas")
    child = UnitFactory(agency=agency, code="bidang", parent=parent)
    sibling = UnitFactory(agency=agency, code="lain")
    admin = UserFactory(role="agency_admin", agency=agency)
    parent_admin = UserFactory(role="unit_admin", agency=agency, unit=parent)
    child_officer = UserFactory(role="liaison_officer", agency=agency, unit=child)
    sibling_admin = UserFactory(role="unit_admin", agency=agency, unit=sibling)
    UserFactory(role="agency_admin", agency=agency, is_active=False)
    UserFactory(role="developer", agency=agency)
    UserFactory(role="agency_admin", agency=AgencyFactory())
    # when / then
    assert set(officers_for_assignment(agency=agency, unit=child)) == {
        admin,
        parent_admin,
        child_officer,
    }
    assert set(officers_for_assignment(agency=agency, unit=parent)) == {admin, parent_admin}
    assert set(officers_for_assignment(agency=agency)) == {admin}
    assert set(officers_for_assignment(agency=agency, include_subunits=True)) == {
        admin,
        parent_admin,
        child_officer,
        sibling_admin,
    }
    assert set(officers_for_assignment(agency=agency, unit=parent, include_subunits=True)) == {
        admin,
        parent_admin,
        child_officer,
    }
    assert list(officers_for_assignment(agency=None)) == []
