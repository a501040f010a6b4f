"""`user_create(email_verified_at=…)`: the registration link proves the address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lapor.accounts.services import user_create

pytestmark = pytest.mark.django_db


def test_user_create_records_when_the_address_was_verified() -> None:
    # given
    at = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    # when
    verified = user_create(email="a@example.id", role="reporter", email_verified_at=at)
    unverified = user_create(email="b@example.id", role="reporter")
    # then
    verified.refresh_from_db()
    assert verified.email_verified_at == at
    assert unverified.email_verified_at is None
