"""API endpoints of the accounts app (mounted under /api/v1 by lapor.api.api).

`GET /me`, the caller's own API tokens (`GET/POST /tokens`, `DELETE /tokens/{id}`), and
`POST /users/{id}/tokens` for an admin issuing a developer's token. The raw token appears once,
in the answer to its creation; lists show only its prefix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from lapor.core.pagination import Page, PageParams, paginate

from .auth import api_auth_required
from .models import User
from .policy import allowed_actions
from .selectors import actor_for, api_token_get, api_token_list, user_get
from .services import api_token_create, api_token_revoke
from .tokens import IssuedToken

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    agency: str | None = Field(None, description="code of the caller's organisation")
    unit: str | None = Field(None, description="code of the caller's unit")
    unit_path: str | None = None
    is_staff: bool
    actions: list[str] = Field(
        default_factory=list,
        description="site-wide actions the caller may take (report actions depend on the report)",
    )

    @staticmethod
    def resolve_actions(obj: User) -> list[str]:
        return sorted(str(action) for action in allowed_actions(actor_for(obj)))

    @staticmethod
    def resolve_agency(obj: User) -> str | None:
        return obj.agency.code if obj.agency_id is not None and obj.agency else None

    @staticmethod
    def resolve_unit(obj: User) -> str | None:
        return obj.unit.code if obj.unit_id is not None and obj.unit else None

    @staticmethod
    def resolve_unit_path(obj: User) -> str | None:
        return actor_for(obj).unit_path


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="the first characters of the token, to recognise it")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    user_id: int
    token: str = Field(..., description="the secret: shown this once, never again")


class TokenCreateIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    expires_at: datetime | None = None


def _created(issued: IssuedToken) -> dict[str, Any]:
    token = issued.token
    return {
        "id": token.pk,
        "user_id": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "token": issued.raw,
    }


@router.get("/me", response=MeOut, auth=api_auth_required, summary="The signed-in caller")
def me(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get("/tokens", response=Page[TokenOut], auth=api_auth_required, summary="My API tokens")
def tokens_list(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    return paginate(api_token_list(user=request.auth), params)  # type: ignore[attr-defined]


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    auth=api_auth_required,
    summary="Create an API token for myself (the secret is shown once)",
)
def tokens_create(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    issued = api_token_create(
        actor=user, user=user, name=payload.name, expires_at=payload.expires_at
    )
    return Status(201, _created(issued))


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    auth=api_auth_required,
    summary="Revoke one of my API tokens",
)
def tokens_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    token = api_token_get(user=user, token_id=token_id)
    api_token_revoke(actor=user, token=token)
    return Status(204, None)


@router.post(
    "/users/{user_id}/tokens",
    response={201: TokenCreatedOut},
    auth=api_auth_required,
    summary="Create an API token for a developer account (national or agency admin)",
)
def user_tokens_create(
    request: HttpRequest, user_id: int, payload: TokenCreateIn
) -> Status[dict[str, Any]]:
    owner = user_get(user_id=user_id)
    issued = api_token_create(
        actor=request.auth,  # type: ignore[attr-defined]
        user=owner,
        name=payload.name,
        expires_at=payload.expires_at,
    )
    return Status(201, _created(issued))


@router.delete(
    "/users/{user_id}/tokens/{token_id}",
    response={204: None},
    auth=api_auth_required,
    summary="Revoke a developer account's API token (national or agency admin)",
)
def user_tokens_revoke(request: HttpRequest, user_id: int, token_id: int) -> Status[None]:
    owner = user_get(user_id=user_id)
    token = api_token_get(user=owner, token_id=token_id)
    api_token_revoke(actor=request.auth, token=token)  # type: ignore[attr-defined]
    return Status(204, None)
