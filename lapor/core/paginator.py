"""A paginator for very long lists: it never counts more than `cap` rows.

Counting every public report (a million and more) costs more than rendering the page; beyond the
cap a list says "more than N" and the reader narrows it with search and filters.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int = DEFAULT_CAP, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, counted up to `cap` + 1 (a bounded sub-query)."""
        # no ORDER BY inside the bounded sub-query: any cap + 1 rows tell "more than cap"
        return cast(QuerySet[Any], self.object_list).order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
