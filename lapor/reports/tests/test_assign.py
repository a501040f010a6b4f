"""Assignment (`report_act(action="assign")`): only an active officer of the responsible
organisation whose unit covers the report's unit may be assigned."""

from __future__ import annotations

import pytest

from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory
from lapor.core.errors import ValidationFailed
from lapor.reports.actions.engine import report_act
from lapor.reports.models import Event
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    agency = AgencyFactory(code="pemkab-x")
    parent = UnitFactory(agency=agency, code="dinas")
    child = UnitFactory(agency=agency, code="bidang", parent=parent)
    sibling = UnitFactory(agency=agency, code="lain")
    admin = UserFactory(role="agency_admin", agency=agency)
    report = make_report("in_progress", agency=agency, unit=child)
    return {
        "agency": agency,
        "parent": parent,
        "child": child,
        "sibling": sibling,
        "admin": admin,
        "report": report,
    }


def _assign(org, user_id):
    return report_act(
        action="assign",
        actor_user=org["admin"],
        report_id=org["report"].pk,
        params={"user": user_id},
    )


@pytest.mark.parametrize("unit_key", ["child", "parent", None])
def test_an_officer_whose_unit_covers_the_report_can_be_assigned(org, unit_key) -> None:
    # given: a liaison officer of the report's unit, of its parent unit, or with no unit
    officer = UserFactory(
        role="liaison_officer", agency=org["agency"], unit=org[unit_key] if unit_key else None
    )
    # when
    report = _assign(org, officer.pk)
    # then
    assert report.assigned_to_id == officer.pk
    event = Event.objects.filter(report=report, action="assign").get()
    assert event.is_internal is True
    assert event.data["assigned_to"] == officer.pk


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda o: UserFactory(role="reporter"), id="a reporter"),
        pytest.param(lambda o: UserFactory(role="developer", agency=o["agency"]), id="a developer"),
        pytest.param(
            lambda o: UserFactory(role="agency_admin", agency=AgencyFactory()),
            id="another organisation's admin",
        ),
        pytest.param(
            lambda o: UserFactory(role="unit_admin", agency=o["agency"], unit=o["sibling"]),
            id="an officer of a sibling unit",
        ),
        pytest.param(
            lambda o: UserFactory(role="agency_admin", agency=o["agency"], is_active=False),
            id="an inactive officer",
        ),
    ],
)
def test_someone_who_is_not_a_covering_officer_cannot_be_assigned(org, make_user) -> None:
    # given
    user = make_user(org)
    # when / then
    with pytest.raises(ValidationFailed) as exc:
        _assign(org, user.pk)
    assert (exc.value.errors or [{}])[0].get("field") == "user"
    org["report"].refresh_from_db()
    assert org["report"].assigned_to_id is None
    assert not Event.objects.filter(report=org["report"], action="assign").exists()


def test_a_user_id_that_is_not_an_integer_is_refused(org) -> None:
    # when / then: true/false, a word or a fraction is never read as an id (a form's "12" is
    # the number 12: the pages and the API parse the body with the same schema)
    for raw in (True, "dua", 1.5):
        with pytest.raises(ValidationFailed) as exc:
            _assign(org, raw)
        assert (exc.value.errors or [{}])[0].get("field") == "user"
