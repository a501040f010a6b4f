"""How pages turn a user into the policy's Actor. Decisions stay in lapor.accounts.policy."""

from __future__ import annotations

from typing import Any

from lapor.accounts.choices import OFFICER_ROLES, Role


def is_officer(user: Any) -> bool:
    """Officers and the national admin get the workspace navigation (display only, not access)."""
    role = getattr(user, "role", None)
    return bool(role in OFFICER_ROLES or role == Role.NATIONAL_ADMIN)
