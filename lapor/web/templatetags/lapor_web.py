"""Template filters of the web pages."""

from __future__ import annotations

from django import template

from lapor.reports.masking import mask_personal_data

register = template.Library()


@register.filter
def masked(value: object) -> str:
    """Report text with phone numbers, e-mail addresses and identity numbers masked (lists)."""
    return mask_personal_data(str(value or ""))


@register.filter
def percent(value: object) -> str:
    """A share in [0, 1] as a whole percentage; "—" when unknown."""
    if value is None or value == "":
        return "—"
    try:
        return f"{round(100 * float(str(value)))}%"
    except ValueError:
        return "—"


@register.filter
def get_item(row: object, key: str) -> object:
    """`row[key]` for a mapping (tables whose columns are data)."""
    return row.get(key) if isinstance(row, dict) else None
