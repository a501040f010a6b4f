"""Factories for the registry, shared by every app's tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import factory

from lapor.agencies.choices import AgencyType
from lapor.agencies.models import Agency, Category, Region, Unit


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    if TYPE_CHECKING:  # for mypy: calling the factory returns the model

        def __new__(cls, *args: Any, **kwargs: Any) -> Region: ...  # type: ignore[misc]

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{90 + n % 9}.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Contoh {n}")
    level = 2
    kind = "kabupaten"
    parent = None


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    if TYPE_CHECKING:  # for mypy: calling the factory returns the model

        def __new__(cls, *args: Any, **kwargs: Any) -> Agency: ...  # type: ignore[misc]

    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"instansi-{n}")
    name = factory.Sequence(lambda n: f"Instansi Contoh {n}")
    short_name = factory.Sequence(lambda n: f"IC{n}")
    type = AgencyType.LEMBAGA
    is_connected = True


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    """A unit; `path` follows the parent's path (pass `parent=` for a sub-unit)."""

    if TYPE_CHECKING:  # for mypy: calling the factory returns the model

        def __new__(cls, *args: Any, **kwargs: Any) -> Unit: ...  # type: ignore[misc]

    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Unit Kerja {n}")
    parent = None
    path = factory.LazyAttribute(lambda o: (o.parent.path if o.parent else "") + f"{o.code}/")


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    if TYPE_CHECKING:  # for mypy: calling the factory returns the model

        def __new__(cls, *args: Any, **kwargs: Any) -> Category: ...  # type: ignore[misc]

    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topik-{n}")
    name_id = factory.Sequence(lambda n: f"Topik {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")
