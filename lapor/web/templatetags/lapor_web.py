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


@register.filter
def official_status(report: object) -> str:
    """The official status label of a report (Belum Terverifikasi … Arsip)."""
    from lapor.reports.choices import OfficialStatus
    from lapor.reports.workflow import official_status as derive

    value = derive(getattr(report, "status", ""), bool(getattr(report, "is_postponed", False)))
    return str(OfficialStatus(value).label)


@register.filter
def label_of(value: object, choices: str) -> str:
    """The label of a value among named choices: `step|label_of:"step"`, `"class"`, `"end"`."""
    from lapor.deadlines.choices import SlaClass, SlaStep
    from lapor.reports.choices import ClockEnd

    table = {"step": SlaStep, "class": SlaClass, "end": ClockEnd}[choices]
    return str(dict(table.choices).get(str(value), value))


@register.filter
def form_for(state: object, action: str) -> object:
    """The form state of one action (what was typed and its errors after a failed attempt)."""
    return state.for_action(action)  # type: ignore[attr-defined]


@register.filter
def errors_of(state: object, name: str) -> list[str]:
    return list(getattr(state, "errors", {}).get(name, []))


@register.filter
def value_of(state: object, name: str) -> str:
    return str(getattr(state, "values", {}).get(name, ""))


@register.filter
def archive_reason_name(reason: object, language: str) -> str:
    return str(reason.name(language))  # type: ignore[attr-defined]


@register.filter
def postpone_reason(view: object) -> str:
    """The postponement's reason as the viewer may see it (masked for the public)."""
    return str(view.text(view.report.postpone_reason))  # type: ignore[attr-defined]
