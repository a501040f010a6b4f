"""Option lists for the pickers (categories, organisations, regions), read through the agencies
app's selectors. Each list is one query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from lapor.agencies.choices import AgencyType
from lapor.agencies.selectors import agency_list, category_list, region_children

Choices = list[tuple[str, Any]]


def _category_name(category: Any) -> str:
    if get_language() == "en" and category.name_en:
        return str(category.name_en)
    return str(category.name_id)


def category_choices(*, q: str | None = None, keep: str | None = None) -> Choices:
    """National topics grouped under their top-level topic (an <optgroup> each)."""
    rows = list(category_list(valid_on=timezone.localdate(), q=q or None))
    if keep and keep not in {c.code for c in rows}:
        rows += list(category_list(valid_on=timezone.localdate()).filter(code=keep))
    groups: dict[str, list[tuple[str, str]]] = {}
    order: list[str] = []
    tops: Choices = []
    for category in rows:
        if category.parent_id is None:
            tops.append((category.code, _category_name(category)))
            continue
        label = _category_name(category.parent)
        if label not in groups:
            groups[label] = []
            order.append(label)
        groups[label].append((category.code, _category_name(category)))
    return tops + [(label, groups[label]) for label in order]


def agency_choices(*, q: str | None = None, keep: str | None = None) -> Choices:
    """Connected organisations grouped by type."""
    fields = ("code", "name", "type")
    rows = list(agency_list(is_connected=True, q=q or None).values_list(*fields))
    if keep and keep not in {code for code, _, _ in rows}:
        rows += list(agency_list().filter(code=keep).values_list(*fields))
    labels = dict(AgencyType.choices)
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, kind in sorted(rows, key=lambda a: (str(a[2]), a[1])):
        groups.setdefault(str(labels.get(kind, kind)), []).append((code, name))
    return list(groups.items())


def region_choices(source: Mapping[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Provinces, then the chosen province's regencies/cities, then the chosen one's districts.

    A regency that does not belong to the chosen province (the province was changed) is
    ignored, so the lists always follow the chain."""
    province = str(source.get("province") or "")
    regency = str(source.get("regency") or "")
    out: dict[str, list[tuple[str, str]]] = {
        "province": [(r.code, r.name) for r in region_children(parent_code=None)]
    }
    if province:
        out["regency"] = [(r.code, r.name) for r in region_children(parent_code=province)]
        if regency and regency.startswith(province + "."):
            out["district"] = [(r.code, r.name) for r in region_children(parent_code=regency)]
    return out


def flatten(choices: Choices) -> list[tuple[str, str]]:
    """Grouped choices as one flat list, the group name prefixed ("Kesehatan › BPJS")."""
    flat: list[tuple[str, str]] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat += [(code, f"{value} \u203a {name}") for code, name in label]
        else:
            flat.append((value, str(label)))
    return flat
