from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from lapor.accounts.demo import DEMO_ACCOUNTS
from lapor.accounts.models import ApiToken, User
from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- create_user ------------------------------------------------------------------------------


def test_create_user_makes_an_officer_and_prints_a_working_token_last():
    # given Surabaya and one of its units
    agency = AgencyFactory.create(code="35.78")
    UnitFactory.create(agency=agency, code="sby-dsdabm")
    # when a unit admin is created with an API token
    out, _ = run(
        "create_user",
        "--email=Unit@Example.go.id",
        "--role=unit_admin",
        "--agency=35.78",
        "--unit=sby-dsdabm",
        "--password=kata-sandi-yang-panjang",
        "--full-name=Admin Unit",
        "--api-token",
    )
    # then the account exists with its membership, and the last line is its token
    user = User.objects.select_related("agency", "unit").get(email="unit@example.go.id")
    assert user.agency is not None
    assert user.unit is not None
    assert (user.role, user.agency.code, user.unit.code) == ("unit_admin", "35.78", "sby-dsdabm")
    assert user.full_name == "Admin Unit"
    assert user.check_password("kata-sandi-yang-panjang")
    raw = out.strip().splitlines()[-1]
    assert raw.startswith("lpr_")
    assert ApiToken.objects.get(user=user).prefix == raw[:12]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.json()["unit"] == "sby-dsdabm"


def test_create_user_staff_without_password():
    # given nothing
    # when a national admin is created as staff without a password
    out, _ = run("create_user", "--email=admin@example.go.id", "--role=national_admin", "--staff")
    # then it is staff and cannot sign in with a password yet
    user = User.objects.get(email="admin@example.go.id")
    assert user.is_staff is True
    assert user.has_usable_password() is False
    assert "admin@example.go.id" in out
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role=wizard"], "Unknown role 'wizard'"),
        (["--role=agency_admin"], "wajib memiliki instansi"),
        (["--role=agency_admin", "--agency=nowhere"], "No organisation with code 'nowhere'"),
        (["--role=unit_admin", "--agency=35.78"], "wajib memiliki unit kerja"),
        (["--role=unit_admin", "--unit=sby-dsdabm"], "--unit needs --agency"),
        (
            ["--role=unit_admin", "--agency=35.78", "--unit=kemenkes-unit"],
            "has no unit with code 'kemenkes-unit'",
        ),
        (["--role=reporter", "--agency=35.78"], "tidak terikat pada instansi"),
        (["--role=reporter", "--password=123"], "Password refused"),
        (["--role=reporter", "--email=taken@example.go.id"], "Sudah ada pengguna"),
    ],
)
def test_create_user_explains_what_is_wrong(args, message):
    # given Surabaya with a unit, the ministry of health with another, and a taken e-mail
    sby = AgencyFactory.create(code="35.78")
    UnitFactory.create(agency=sby, code="sby-dsdabm")
    UnitFactory.create(agency=AgencyFactory.create(code="kemenkes"), code="kemenkes-unit")
    UserFactory(email="taken@example.go.id")
    before = User.objects.count()
    email = [] if any(a.startswith("--email") for a in args) else ["--email=new@example.go.id"]
    # when create_user is run with a bad combination
    with pytest.raises(CommandError) as caught:
        run("create_user", *email, *args)
    # then it says why and creates nothing
    assert message in str(caught.value)
    assert User.objects.count() == before


# --- create_demo_accounts ---------------------------------------------------------------------


def test_demo_accounts_are_refused_when_disabled(settings):
    # given demo accounts disabled (the production default)
    settings.LAPOR = {**settings.LAPOR, "CREATE_DEMO_ACCOUNTS": False}
    # when the command runs without --force
    with pytest.raises(CommandError) as caught:
        run("create_demo_accounts")
    # then it explains and creates nothing
    assert "--force" in str(caught.value)
    assert User.objects.count() == 0


def test_demo_accounts_are_created_once_and_updated_after(settings):
    # given the demo organisation and unit, and a known demo password
    settings.LAPOR = {**settings.LAPOR, "CREATE_DEMO_ACCOUNTS": True, "DEMO_PASSWORD": "demo-pw-1"}
    agency = AgencyFactory.create(code="35.78")
    UnitFactory.create(agency=agency, code="sby-dsdabm")
    # when the command runs twice, the second time with another password
    first, _ = run("create_demo_accounts")
    settings.LAPOR = {**settings.LAPOR, "DEMO_PASSWORD": "demo-pw-2"}
    second, _ = run("create_demo_accounts")
    # then one account per role exists, each signs in with the latest password
    users = {u.email: u for u in User.objects.select_related("agency", "unit")}
    assert set(users) == {a.email for a in DEMO_ACCOUNTS}
    assert {u.role for u in users.values()} == {
        "reporter",
        "national_admin",
        "agency_admin",
        "unit_admin",
        "liaison_officer",
        "developer",
        "evaluator",
    }
    assert all(u.check_password("demo-pw-2") for u in users.values())
    assert first.count("created ") == len(DEMO_ACCOUNTS)
    assert second.count("updated ") == len(DEMO_ACCOUNTS)
    # and only the national admin may use the admin site
    staff = {u.email for u in users.values() if u.is_staff and u.is_superuser}
    assert staff == {"admin.nasional@demo.lapor.go.id"}
    unit_admin = users["unit.dsda@demo.lapor.go.id"]
    assert unit_admin.agency is not None
    assert unit_admin.unit is not None
    assert (unit_admin.agency.code, unit_admin.unit.code) == ("35.78", "sby-dsdabm")


def test_demo_officers_are_skipped_without_their_organisation(settings):
    # given an empty registry and demo accounts disabled, forced
    settings.LAPOR = {**settings.LAPOR, "CREATE_DEMO_ACCOUNTS": False}
    # when the command runs with --force
    out, err = run("create_demo_accounts", "--force")
    # then the accounts without an organisation are made and the officers skipped with a warning
    assert set(User.objects.values_list("role", flat=True)) == {
        "reporter",
        "national_admin",
        "evaluator",
    }
    assert err.count("skipped") == 4
    assert "35.78" in err
    assert "Demo password" in out


def test_a_demo_officer_is_skipped_when_its_unit_is_missing(settings):
    # given Surabaya without the demo unit
    settings.LAPOR = {**settings.LAPOR, "CREATE_DEMO_ACCOUNTS": True}
    AgencyFactory.create(code="35.78")
    # when the demo accounts are created
    _, err = run("create_demo_accounts")
    # then the organisation's admin and developer exist, the unit's officers are skipped
    assert set(User.objects.filter(agency__code="35.78").values_list("role", flat=True)) == {
        "agency_admin",
        "developer",
    }
    assert err.count("sby-dsdabm") == 2
