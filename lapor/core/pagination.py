"""The list envelope of the API contract: `{"items", "count", "page", "page_size"}`."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="1-based page number")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"at most {MAX_PAGE_SIZE}"
    )


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    page_size: int


def paginate(queryset: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    """Slice a queryset for one page; `items` stays a list of model instances for the schema."""
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    items = list(queryset[start : start + params.page_size])
    return {"items": items, "count": count, "page": params.page, "page_size": params.page_size}
