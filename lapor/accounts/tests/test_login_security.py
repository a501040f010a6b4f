"""Lockout after repeated failed logins (django-axes) and the password hasher settings."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import Argon2PasswordHasher

from lapor.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_FORMS = {
    "web": "/masuk/",
    "admin": "/admin/login/",
}


def attempt(client, url: str, email: str, password: str):
    return client.post(url, {"username": email, "password": password, "next": "/admin/"})


@pytest.mark.parametrize("form", sorted(LOGIN_FORMS))
def test_the_right_password_signs_in(client, form):
    # given a staff account (so the admin accepts it too)
    user = UserFactory(is_staff=True, role="national_admin")
    # when it signs in with the right password
    response = attempt(client, LOGIN_FORMS[form], user.email, PASSWORD)
    # then it is signed in
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize("form", sorted(LOGIN_FORMS))
def test_five_failures_lock_the_account_even_for_the_right_password(client, form):
    # given a staff account and the configured limit of five
    user = UserFactory(is_staff=True, role="national_admin")
    url = LOGIN_FORMS[form]
    assert settings.AXES_FAILURE_LIMIT == 5
    # when four wrong passwords are tried, the account still works afterwards...
    for _ in range(4):
        assert attempt(client, url, user.email, "wrong-password").status_code == 200
    # ...but a fifth failure locks it
    fifth = attempt(client, url, user.email, "wrong-password")
    locked = attempt(client, url, user.email, PASSWORD)
    # then even the right password is refused and nobody is signed in
    assert fifth.status_code == 429
    assert locked.status_code == 429
    assert SESSION_KEY not in client.session


def test_a_lockout_is_per_account(client):
    # given one account locked out by failures
    locked = UserFactory()
    other = UserFactory()
    for _ in range(5):
        attempt(client, "/masuk/", locked.email, "wrong-password")
    # when another account signs in from the same address
    response = attempt(client, "/masuk/", other.email, PASSWORD)
    # then it is not affected
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_base_settings_hash_passwords_with_argon2_first():
    # given the production settings module (the tests use MD5 only for speed)
    from config.settings import base

    # when its hashers are read and the first one is used
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("rahasia", hasher.salt())
    # then Argon2 is the default, its library is installed and it verifies what it hashed
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("rahasia", encoded)
    assert not hasher.verify("salah", encoded)
