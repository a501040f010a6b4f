"""Factories for accounts, shared by every app's tests."""

from __future__ import annotations

from typing import Any

import factory

from lapor.accounts.choices import Role
from lapor.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A reporter by default; pass `role=`, `agency=`, `unit=` for officers.

    `UserFactory(...)` returns a saved `User` (the `__new__` below only tells the type checker
    so: factory_boy's metaclass builds the object and never calls it).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    role = Role.REPORTER
    is_active = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    def __new__(cls, *args: Any, **kwargs: Any) -> User:  # type: ignore[misc]
        raise TypeError("factory_boy's metaclass creates the object")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # type: ignore[misc]
        if create:
            obj.save()
