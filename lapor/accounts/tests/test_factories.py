import pytest

from lapor.accounts.tests.factories import PASSWORD, UserFactory
from lapor.agencies.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_officer_factory_builds_a_unit_tree_and_a_usable_password():
    # given a unit with a sub-unit
    parent = UnitFactory.create(code="dinas")
    child = UnitFactory.create(agency=parent.agency, parent=parent, code="bidang")
    # when an officer of the sub-unit is made
    officer = UserFactory(role="unit_admin", agency=parent.agency, unit=child)
    # then the path follows the tree and the password works
    assert child.path == "dinas/bidang/"
    assert officer.check_password(PASSWORD)
