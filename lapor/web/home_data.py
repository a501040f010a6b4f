"""Figures for the home page, read through the selectors of the reports and deadlines apps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lapor.analytics.selectors import home_counts as analytics_home_counts
from lapor.core.errors import NotFound
from lapor.deadlines.choices import SlaClass
from lapor.deadlines.selectors import sla_ladder_for


def home_counts(*, now: datetime) -> dict[str, int]:
    """Received, followed up and closed this month over public reports only (the analytics
    app's aggregate tables: confidential reports are never counted)."""
    return analytics_home_counts(month=timezone.localdate(now).replace(day=1))


def _unit(days: int, working: bool) -> str:
    if working:
        return ngettext("hari kerja", "hari kerja", days)
    return ngettext("hari", "hari", days)


def home_ladder(*, now: datetime) -> dict[str, Any] | None:
    """The steps of the SLA ladder in force, for 'how long each step may take'."""
    try:
        ruleset, ladder = sla_ladder_for(now)
    except NotFound:
        return None
    out: dict[str, Any] = {"name": ruleset.name, "completion": []}
    class_labels = dict(SlaClass.choices)
    for rule in ladder.rules:
        entry = {"days": rule.days, "unit": _unit(rule.days, rule.working_days)}
        if rule.step == "completion":
            label = str(class_labels.get(rule.sla_class, rule.sla_class)) if rule.sla_class else ""
            out["completion"].append({**entry, "label": label or _("Penyelesaian")})
        elif not rule.report_type and not rule.sla_class:
            out[str(rule.step)] = entry
    return out
