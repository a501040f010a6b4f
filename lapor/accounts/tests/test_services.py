from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.accounts.models import ApiToken
from lapor.accounts.services import api_token_create, api_token_revoke, user_create
from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory
from lapor.core.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_user_create_makes_an_officer_with_a_usable_password():
    # given an organisation and one of its units
    unit = UnitFactory.create(code="dinas")
    # when a unit admin is created
    user = user_create(
        email=" Petugas@Example.GO.ID ",
        role="unit_admin",
        agency=unit.agency,
        unit=unit,
        password="s3cret-enough-pass",
        full_name="Petugas",
    )
    # then it signs in by its lower-cased e-mail and belongs to the unit
    assert user.email == "petugas@example.go.id"
    assert user.check_password("s3cret-enough-pass")
    assert (user.agency, user.unit, user.is_staff) == (unit.agency, unit, False)


def test_user_create_without_password_cannot_sign_in():
    # given no password
    # when a reporter is created
    user = user_create(email="warga@example.id", role="reporter")
    # then the password is unusable
    assert user.has_usable_password() is False


@pytest.mark.parametrize(
    ("role", "with_agency", "unit_kind", "fields"),
    [
        ("wizard", False, None, ["role"]),
        ("agency_admin", False, None, ["agency"]),
        ("developer", False, None, ["agency"]),
        ("unit_admin", True, None, ["unit"]),
        ("unit_admin", True, "foreign", ["unit"]),
        ("reporter", True, None, ["agency"]),
        ("agency_admin", True, "own", ["unit"]),
        ("evaluator", False, "own", ["unit"]),
    ],
)
def test_user_create_refuses_inconsistent_memberships(role, with_agency, unit_kind, fields):
    # given an organisation, one of its units and a unit of another organisation
    agency = AgencyFactory.create()
    units = {"own": UnitFactory.create(agency=agency), "foreign": UnitFactory.create(), None: None}
    # when a user is created with a membership that does not fit the role
    with pytest.raises(ValidationFailed) as caught:
        user_create(
            email="x@example.id",
            role=role,
            agency=agency if with_agency else None,
            unit=units[unit_kind],
        )
    # then the offending fields are named
    assert [e["field"] for e in caught.value.errors or []] == fields


def test_user_create_refuses_a_taken_email_whatever_its_case():
    # given an existing account
    UserFactory(email="budi@example.id")
    # when the same address is used again in capitals
    # then it is a conflict
    with pytest.raises(Conflict):
        user_create(email="BUDI@example.id", role="reporter")


def test_a_user_creates_and_revokes_own_token():
    # given a reporter
    user = UserFactory()
    # when it creates a token and revokes it
    issued = api_token_create(actor=user, user=user, name="laptop")
    revoked = api_token_revoke(actor=user, token=issued.token)
    # then the token was stored hashed and is now revoked
    assert issued.raw.startswith("lpr_")
    assert issued.raw not in issued.token.token_hash
    assert revoked.revoked_at is not None


def test_an_agency_admin_manages_its_own_developers_tokens_only():
    # given two organisations, each with a developer, and the admin of the first
    own = AgencyFactory.create()
    dev = UserFactory(role="developer", agency=own)
    foreign_dev = UserFactory(role="developer", agency=AgencyFactory.create())
    admin = UserFactory(role="agency_admin", agency=own)
    # when the admin creates tokens for both
    issued = api_token_create(actor=admin, user=dev, name="sync")
    # then its own developer's works and the other is refused
    assert issued.token.user == dev
    with pytest.raises(PermissionDenied):
        api_token_create(actor=admin, user=foreign_dev, name="sync")
    # and it may revoke its developer's token, a reporter may not
    api_token_revoke(actor=admin, token=issued.token)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=UserFactory(), token=issued.token)


def test_a_national_admin_may_not_create_a_token_for_a_reporter():
    # given a national admin and a reporter
    admin = UserFactory(role="national_admin")
    reporter = UserFactory()
    # when the admin tries to create the reporter's token
    # then it is refused and nothing is stored
    with pytest.raises(PermissionDenied):
        api_token_create(actor=admin, user=reporter, name="x")
    assert ApiToken.objects.count() == 0


def test_token_create_validates_name_and_expiry():
    # given a user
    user = UserFactory()
    # when the name is blank and the expiry already past
    with pytest.raises(ValidationFailed) as caught:
        api_token_create(
            actor=user, user=user, name="  ", expires_at=timezone.now() - timedelta(minutes=1)
        )
    # then both fields are reported
    assert [e["field"] for e in caught.value.errors or []] == ["name", "expires_at"]
