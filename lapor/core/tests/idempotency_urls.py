"""A tiny API with idempotent endpoints, mounted only by the idempotency tests."""

from __future__ import annotations

import itertools

from django.urls import path
from ninja import File, NinjaAPI, Router, Schema, Status
from ninja.files import UploadedFile

from lapor.accounts.auth import api_auth
from lapor.api.api import on_api_error, on_service_error
from lapor.core.errors import ApiError, ServiceError, ValidationFailed
from lapor.core.idempotency import idempotent

CALLS: list[str] = []
_ids = itertools.count(1)


class ThingIn(Schema):
    name: str


class ThingOut(Schema):
    id: int
    name: str


router = Router()


@router.post("/things", response={201: ThingOut})
@idempotent
def thing_create(request, payload: ThingIn):
    if payload.name == "bad":
        raise ValidationFailed("bad", errors=[{"field": "name", "message": "bad"}])
    CALLS.append(payload.name)
    return Status(201, {"id": next(_ids), "name": payload.name})


@router.post("/plain", response=ThingOut)
@idempotent
def thing_plain(request, payload: ThingIn):
    CALLS.append(payload.name)
    return {"id": next(_ids), "name": payload.name}


@router.post("/upload", response={201: ThingOut})
@idempotent
def thing_upload(request, file: File[UploadedFile]):
    CALLS.append(file.name or "")
    return 201, {"id": next(_ids), "name": file.name or ""}  # the tuple form still works


@router.post("/users", response={201: ThingOut})
@idempotent
def user_create(request, payload: ThingIn):
    """Writes a row, then refuses the name "bad" (to show the write is rolled back)."""
    from lapor.accounts.tests.factories import UserFactory

    user = UserFactory(full_name=payload.name)
    if payload.name == "bad":
        raise ValidationFailed("bad", errors=[{"field": "name", "message": "bad"}])
    return Status(201, {"id": user.pk, "name": payload.name})


api = NinjaAPI(urls_namespace="idempotency-test", auth=api_auth)
api.add_exception_handler(ApiError, on_api_error)  # type: ignore[arg-type]
api.add_exception_handler(ServiceError, on_service_error)  # type: ignore[arg-type]
api.add_router("/", router)

urlpatterns = [path("t/", api.urls)]
