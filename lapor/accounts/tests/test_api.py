"""`/api/v1/me` and the token endpoints, and the API authentication they rely on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lapor.accounts.models import ApiToken
from lapor.accounts.tests.factories import UserFactory
from lapor.accounts.tokens import token_create
from lapor.agencies.tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
TOKEN_FIELDS = {
    "id",
    "name",
    "prefix",
    "created_at",
    "last_used_at",
    "expires_at",
    "revoked_at",
}


def bearer(raw: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_unauthenticated(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith(PROBLEM)
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "not_authenticated"


# --- authentication ---------------------------------------------------------------------------


def test_a_valid_token_authenticates_and_records_its_use(client):
    # given an officer with a token never used
    agency = AgencyFactory.create(code="35.78")
    unit = UnitFactory.create(agency=agency, code="dinas")
    user = UserFactory(role="liaison_officer", agency=agency, unit=unit, full_name="Sari")
    issued = token_create(user=user, name="sync")
    assert issued.token.last_used_at is None
    # when it calls /me with the token
    response = client.get("/api/v1/me", **bearer(issued.raw))
    # then it is recognised with its organisation, and the token's last use is recorded
    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": user.email,
        "full_name": "Sari",
        "role": "liaison_officer",
        "agency": "35.78",
        "unit": "dinas",
        "unit_path": "dinas/",
        "is_staff": False,
        "actions": [],
    }
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_me_through_a_session(client):
    # given a signed-in reporter
    user = UserFactory()
    client.force_login(user)
    # when it asks who it is
    response = client.get("/api/v1/me")
    # then the session identifies it
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["agency"] is None


def test_me_lists_the_site_wide_actions_of_a_national_admin(client):
    # given a national admin
    client.force_login(UserFactory(role="national_admin"))
    # when it asks who it is
    body = client.get("/api/v1/me").json()
    # then the actions that need no particular target are listed
    assert body["actions"] == [
        "admin.site",
        "calendar.override",
        "dashboard.agency",
        "dashboard.national",
        "registry.manage",
        "report.list_all",
        "sla.manage",
        "user.manage",
    ]


def test_a_revoked_token_is_refused(client):
    # given a revoked token
    user = UserFactory()
    issued = token_create(user=user, name="old")
    ApiToken.objects.filter(pk=issued.token.pk).update(revoked_at=timezone.now())
    # when it is used
    response = client.get("/api/v1/me", **bearer(issued.raw))
    # then the caller is told to authenticate
    assert_unauthenticated(response)


def test_an_expired_token_is_refused(client):
    # given a token that expired a minute ago
    user = UserFactory()
    issued = token_create(user=user, name="short", expires_at=timezone.now() - timedelta(minutes=1))
    # when it is used
    response = client.get("/api/v1/me", **bearer(issued.raw))
    # then it is refused
    assert_unauthenticated(response)


def test_a_token_of_a_deactivated_user_is_refused(client):
    # given a token whose owner was deactivated
    user = UserFactory()
    issued = token_create(user=user, name="sync")
    user.is_active = False
    user.save()
    # when it is used
    # then it is refused
    assert_unauthenticated(client.get("/api/v1/me", **bearer(issued.raw)))


def test_a_wrong_token_is_refused_even_on_a_public_endpoint(client):
    # given a token nobody holds
    raw = "lpr_" + "x" * 43
    # when it is sent to an endpoint that visitors may use (the token list needs auth, the
    # token check happens before: a wrong token is never treated as a visitor)
    response = client.get("/api/v1/tokens", **bearer(raw))
    # then the caller learns the token is wrong
    assert_unauthenticated(response)


def test_a_missing_credential_is_refused(client):
    # given no session and no header
    # when /me is called
    # then it answers 401 problem+json
    assert_unauthenticated(client.get("/api/v1/me"))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz", "bearer", "lpr_abc"],
)
def test_a_malformed_authorization_header_is_refused(client, header):
    # given a signed-in session (the header must not fall back to it) and a malformed header
    client.force_login(UserFactory())
    # when it is sent
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    # then it is refused
    assert_unauthenticated(response)


def test_the_scheme_is_case_insensitive(client):
    # given a valid token
    issued = token_create(user=UserFactory(), name="sync")
    # when the scheme is written in lower case
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"bearer {issued.raw}")
    # then it is accepted (RFC 9110: the scheme is case-insensitive)
    assert response.status_code == 200


def test_a_session_post_needs_the_csrf_token():
    # given a signed-in user in a browser that enforces CSRF
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    # when it creates a token without, then with, the CSRF header
    refused = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    accepted = browser.post(
        "/api/v1/tokens",
        {"name": "x"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=secret,
    )
    # then the first is forbidden (problem+json) and the second creates it
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith(PROBLEM)
    assert accepted.status_code == 201
    assert ApiToken.objects.count() == 1


def test_a_bearer_post_needs_no_csrf_token():
    # given an API client with a token (no cookies)
    issued = token_create(user=UserFactory(), name="sync")
    api = Client(enforce_csrf_checks=True)
    # when it creates another token
    response = api.post(
        "/api/v1/tokens", {"name": "ci"}, content_type="application/json", **bearer(issued.raw)
    )
    # then CSRF does not apply
    assert response.status_code == 201


# --- the token endpoints ----------------------------------------------------------------------


def test_create_shows_the_secret_once_and_it_works(client):
    # given a signed-in developer
    user = UserFactory(role="developer", agency=AgencyFactory.create())
    client.force_login(user)
    expires = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    # when it creates a token
    response = client.post(
        "/api/v1/tokens",
        {"name": "integrasi", "expires_at": expires.isoformat()},
        content_type="application/json",
    )
    # then the answer carries the raw token, which authenticates, and only its hash is stored
    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    assert set(body) == TOKEN_FIELDS | {"token", "user_id"}
    assert body["name"] == "integrasi"
    assert raw.startswith(body["prefix"])
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.expires_at == expires
    assert raw not in (stored.token_hash, stored.prefix)
    me = Client().get("/api/v1/me", **bearer(raw))
    assert me.json()["id"] == user.pk


def test_create_validates_the_body(client):
    # given a signed-in user
    client.force_login(UserFactory())
    # when the name is empty, then the expiry is past
    empty = client.post("/api/v1/tokens", {"name": ""}, content_type="application/json")
    past = client.post(
        "/api/v1/tokens",
        {"name": "x", "expires_at": "2020-01-01T00:00:00+07:00"},
        content_type="application/json",
    )
    # then both are 422 with the field named
    assert empty.status_code == 422
    assert [e["field"] for e in empty.json()["errors"]] == ["name"]
    assert past.status_code == 422
    assert [e["field"] for e in past.json()["errors"]] == ["expires_at"]


def test_list_shows_own_tokens_without_secrets(client, django_assert_max_num_queries):
    # given a user with three tokens (one revoked) and another user's token
    user = UserFactory()
    mine = [token_create(user=user, name=f"t{i}") for i in range(3)]
    ApiToken.objects.filter(pk=mine[0].token.pk).update(revoked_at=timezone.now())
    other = token_create(user=UserFactory(), name="other")
    client.force_login(user)
    # when it lists its tokens
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/tokens?page_size=2")
    # then it sees its own, paginated, and never a secret or a hash
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (3, 1, 2)
    assert all(set(item) == TOKEN_FIELDS for item in body["items"])
    text = response.content.decode()
    for issued in [*mine, other]:
        assert issued.raw not in text
        assert issued.token.token_hash not in text
    assert other.token.prefix not in text
    second = client.get("/api/v1/tokens?page=2&page_size=2").json()
    ids = {item["id"] for item in body["items"] + second["items"]}
    assert ids == {issued.token.pk for issued in mine}


def test_revoke_own_token_then_it_no_longer_works(client):
    # given a user with a token
    user = UserFactory()
    issued = token_create(user=user, name="t")
    client.force_login(user)
    # when it revokes it (twice: revoking is idempotent)
    first = client.delete(f"/api/v1/tokens/{issued.token.pk}")
    second = client.delete(f"/api/v1/tokens/{issued.token.pk}")
    # then the token is refused afterwards
    assert (first.status_code, second.status_code) == (204, 204)
    assert_unauthenticated(Client().get("/api/v1/me", **bearer(issued.raw)))


def test_revoking_another_users_token_is_not_found(client):
    # given another user's token
    other = token_create(user=UserFactory(), name="t")
    client.force_login(UserFactory())
    # when a user tries to revoke it
    response = client.delete(f"/api/v1/tokens/{other.token.pk}")
    # then it does not exist for them, and stays valid
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM)
    other.token.refresh_from_db()
    assert other.token.revoked_at is None


def test_token_endpoints_need_authentication(client):
    # given a visitor
    # when it lists, creates or revokes tokens
    # then each is 401
    assert_unauthenticated(client.get("/api/v1/tokens"))
    assert_unauthenticated(
        client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    )
    assert_unauthenticated(client.delete("/api/v1/tokens/1"))


@pytest.mark.parametrize(
    ("admin_kind", "developer_kind", "status"),
    [
        ("national_admin", "developer_other", 201),
        ("agency_admin", "developer_own", 201),
        ("agency_admin", "developer_other", 403),
        ("agency_admin", "reporter", 403),
        ("unit_admin", "developer_own", 403),
        ("national_admin", "reporter", 403),
    ],
)
def test_an_admin_creates_a_developers_token(client, admin_kind, developer_kind, status):
    # given two organisations, their developers, a reporter and an admin
    own = AgencyFactory.create()
    owners = {
        "developer_own": UserFactory(role="developer", agency=own),
        "developer_other": UserFactory(role="developer", agency=AgencyFactory.create()),
        "reporter": UserFactory(),
    }
    unit = UnitFactory.create(agency=own)
    admin = UserFactory(
        role=admin_kind,
        agency=None if admin_kind == "national_admin" else own,
        unit=unit if admin_kind == "unit_admin" else None,
    )
    client.force_login(admin)
    owner = owners[developer_kind]
    # when the admin creates a token for the account
    response = client.post(
        f"/api/v1/users/{owner.pk}/tokens", {"name": "sync"}, content_type="application/json"
    )
    # then the policy decides
    assert response.status_code == status
    assert ApiToken.objects.filter(user=owner).count() == (1 if status == 201 else 0)
    if status == 201:
        assert response.json()["user_id"] == owner.pk
        assert Client().get("/api/v1/me", **bearer(response.json()["token"])).json()["id"] == (
            owner.pk
        )


def test_an_admin_revokes_a_developers_token(client):
    # given an agency admin and its developer's token
    agency = AgencyFactory.create()
    developer = UserFactory(role="developer", agency=agency)
    issued = token_create(user=developer, name="sync")
    client.force_login(UserFactory(role="agency_admin", agency=agency))
    # when the admin revokes it
    response = client.delete(f"/api/v1/users/{developer.pk}/tokens/{issued.token.pk}")
    # then it is revoked
    assert response.status_code == 204
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None


def test_creating_a_token_for_an_unknown_user_is_not_found(client):
    # given a national admin
    client.force_login(UserFactory(role="national_admin"))
    # when it names a user that does not exist
    response = client.post(
        "/api/v1/users/999999/tokens", {"name": "x"}, content_type="application/json"
    )
    # then 404 problem+json
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM)


def test_the_openapi_schema_documents_bearer_auth(client):
    # given the schema
    schema = client.get("/api/v1/openapi.json").json()
    # when its security schemes and the token paths are read
    schemes = schema["components"]["securitySchemes"]
    # then bearer auth is declared and the paths exist
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert {"/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}"} <= set(schema["paths"])
