import pytest

from lapor.agencies.models import Category
from lapor.core.paginator import CappedPaginator

pytestmark = pytest.mark.django_db


def _categories(n: int) -> None:
    Category.objects.bulk_create(Category(code=f"c{i:03d}", name_id=f"Topik {i}") for i in range(n))


def test_counts_exactly_below_the_cap():
    # given 7 rows and a cap of 10
    _categories(7)
    # when
    paginator = CappedPaginator(Category.objects.order_by("code"), 3, cap=10)
    # then
    assert paginator.count == 7 and not paginator.is_capped
    assert paginator.num_pages == 3
    assert [c.code for c in paginator.page(3)] == ["c006"]


def test_stops_counting_past_the_cap(django_assert_num_queries):
    # given more rows than the cap
    _categories(25)
    paginator = CappedPaginator(Category.objects.order_by("code"), 5, cap=10)
    # when the count is asked for, one bounded query answers
    with django_assert_num_queries(1) as ctx:
        count = paginator.count
    # then
    assert count == 11 and paginator.is_capped
    assert "LIMIT 11" in ctx.captured_queries[0]["sql"].upper()
    assert paginator.num_pages == 3
