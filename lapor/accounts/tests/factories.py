"""Factories for accounts, shared by every app's tests."""

from __future__ import annotations

import factory

from lapor.accounts.choices import Role
from lapor.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A reporter by default; pass `role=`, `agency=`, `unit=` for officers."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    role = Role.REPORTER
    is_active = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
