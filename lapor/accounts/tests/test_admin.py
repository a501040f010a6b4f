from __future__ import annotations

import pytest

from lapor.accounts.models import ApiToken, TrainingRecord, User
from lapor.accounts.tests.factories import PASSWORD, UserFactory
from lapor.accounts.tokens import token_create
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(role="national_admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_user_list_searches_and_filters(admin_client, django_assert_max_num_queries):
    # given officers of an organisation and a reporter
    agency = AgencyFactory.create(name="Pemerintah Kota Surabaya")
    for i in range(5):
        UserFactory(role="agency_admin", agency=agency, full_name=f"Petugas {i}")
    UserFactory(email="warga@example.id", full_name="Budi Warga")
    # when the list is searched by name and filtered by role and organisation
    with django_assert_max_num_queries(12):
        by_name = admin_client.get("/admin/accounts/user/", {"q": "Budi"})
    by_role = admin_client.get(
        "/admin/accounts/user/", {"role__exact": "agency_admin", "agency__id__exact": agency.pk}
    )
    # then each shows the right people
    assert by_name.status_code == 200
    assert "warga@example.id" in by_name.content.decode()
    assert by_role.context["cl"].result_count == 5


def test_admin_adds_an_officer_with_email_and_password(admin_client):
    # given an organisation and its unit
    unit = UnitFactory.create()
    # when the add form is filled in
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Baru@Example.go.id",
            "full_name": "Petugas Baru",
            "role": "unit_admin",
            "agency": unit.agency.pk,
            "unit": unit.pk,
            "usable_password": "true",
            "password1": "kata-sandi-panjang-sekali",
            "password2": "kata-sandi-panjang-sekali",
        },
    )
    # then the user exists and signs in with that password
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="baru@example.go.id")
    assert (user.role, user.unit) == ("unit_admin", unit)
    assert user.check_password("kata-sandi-panjang-sekali")


def test_admin_refuses_a_unit_of_another_organisation(admin_client):
    # given a unit of another organisation
    agency = AgencyFactory.create()
    foreign_unit = UnitFactory.create()
    # when an officer is added with it
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "x@example.go.id",
            "role": "unit_admin",
            "agency": agency.pk,
            "unit": foreign_unit.pk,
            "usable_password": "true",
            "password1": "kata-sandi-panjang-sekali",
            "password2": "kata-sandi-panjang-sekali",
        },
    )
    # then the form says why, and nobody is created
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="x@example.go.id").exists()


def test_admin_edits_a_user(admin_client):
    # given a reporter
    user = UserFactory(full_name="Lama")
    # when the change page is opened and saved with a new name
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {"email": user.email, "full_name": "Baru", "role": "reporter", "is_active": "on"},
    )
    # then the change is saved and the password is untouched
    assert page.status_code == 200
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Baru"
    assert user.check_password(PASSWORD)


def test_tokens_are_read_only_and_revocable(admin_client):
    # given two tokens
    first = token_create(user=UserFactory(), name="a")
    second = token_create(user=UserFactory(), name="b")
    # when the list and add pages are opened and the revoke action is run on the first
    listing = admin_client.get("/admin/accounts/apitoken/")
    add = admin_client.get("/admin/accounts/apitoken/add/")
    detail = admin_client.get(f"/admin/accounts/apitoken/{first.token.pk}/change/")
    admin_client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [first.token.pk]},
    )
    # then tokens are listed by prefix, cannot be added here, the hash is read-only,
    # and only the selected token is revoked
    assert listing.status_code == 200
    assert first.token.prefix in listing.content.decode()
    assert add.status_code == 403
    assert 'name="token_hash"' not in detail.content.decode()
    assert first.raw not in detail.content.decode()
    revoked = set(ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True))
    assert revoked == {first.token.pk}
    assert second.token.pk not in revoked


def test_training_records_are_listed(admin_client):
    # given a training record
    TrainingRecord.objects.create(
        user=UserFactory(), title="Pelatihan pengelolaan pengaduan", completed_on="2026-03-01"
    )
    # when the list is opened
    response = admin_client.get("/admin/accounts/trainingrecord/")
    # then it is shown
    assert response.status_code == 200
    assert "Pelatihan pengelolaan pengaduan" in response.content.decode()
