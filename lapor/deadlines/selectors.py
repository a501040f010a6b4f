"""Reads of the deadlines app: the working calendar with overrides, and the SLA ladder versions.

Both are cached per process:

- the calendar by (years, overrides fingerprint), where the fingerprint — the number of overrides
  and their latest ``updated_at`` — is read with one cheap aggregate query per call, so an
  override written by any process (service, admin, shell) is seen at once everywhere;
- a published ladder version by its primary key (a published version never changes).

The submission path (``report_submit``) asks for both with ``max_age`` seconds
(``LAPOR["HOT_PATH_CACHE_SECONDS"]``, default 2): then the fingerprint and the list of published
ladder versions are read at most once per ``max_age`` per process instead of on every call. Any
write of an override, a ruleset or a rule in this process (service, admin, factory) empties those
caches at once (``post_save`` / ``post_delete`` receivers below); another process sees it within
``max_age`` seconds. Every other caller (deadline recomputation, the calendar API, statistics)
keeps the exact read (``max_age=0``, the default).
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from lapor.core.errors import NotFound
from lapor.core.ttlcache import LocalTTLCache

from . import sla, workdays
from .models import HolidayOverride, SlaRule, SlaRuleSet

# Years covered by default: long enough back for imported history, a few years ahead.
FIRST_YEAR = 2014
YEARS_AHEAD = 5

_lock = threading.Lock()
_calendars: dict[tuple[int, int, Any], workdays.WorkCalendar] = {}
_ladders: dict[tuple[int, Any], sla.Ladder] = {}

# hot-path caches (see the module docstring): emptied by any write in this process
_fingerprints = LocalTTLCache("deadlines.overrides_fingerprint", max_entries=1)
_published_versions = LocalTTLCache("deadlines.published_rulesets", max_entries=1)
post_save.connect(_fingerprints.clear, sender=HolidayOverride, dispatch_uid="ttl-fp-save")
post_delete.connect(_fingerprints.clear, sender=HolidayOverride, dispatch_uid="ttl-fp-del")
for _sla_model in (SlaRuleSet, SlaRule):
    _uid = _sla_model.__name__
    post_save.connect(_published_versions.clear, sender=_sla_model, dispatch_uid=f"ttl-s-{_uid}")
    post_delete.connect(_published_versions.clear, sender=_sla_model, dispatch_uid=f"ttl-d-{_uid}")


def hot_caches_clear() -> None:
    """Forget the cached override fingerprint and ladder versions of this process."""
    _fingerprints.clear()
    _published_versions.clear()


def default_years(today: date | None = None) -> range:
    today = today or timezone.localdate()
    return range(FIRST_YEAR, today.year + YEARS_AHEAD + 1)


@lru_cache(maxsize=32)
def _base_calendar(first_year: int, last_year: int) -> workdays.WorkCalendar:
    """The holidays package's calendar for the years, without overrides (costly: cached)."""
    return workdays.WorkCalendar.from_holidays(range(first_year, last_year + 1))


def overrides_fingerprint() -> tuple[int, Any]:
    agg = HolidayOverride.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (agg["n"], agg["latest"])


def override_list() -> list[workdays.Override]:
    return [
        workdays.Override(
            day=o.date, kind=workdays.OverrideKind(o.kind), name=o.name, legal_basis=o.legal_basis
        )
        for o in HolidayOverride.objects.order_by("date")
    ]


def work_calendar_get(years: range | None = None, *, max_age: float = 0.0) -> workdays.WorkCalendar:
    """The working calendar in force: holidays + cuti bersama + administrator overrides.

    ``max_age > 0`` accepts an overrides fingerprint read up to that many seconds ago in this
    process (the submission path); the default reads it now.
    """
    years = years if years is not None and len(years) else default_years()
    first, last = years[0], years[-1]
    fingerprint = _fingerprints.get_or_load("fp", overrides_fingerprint, max_age=max_age)
    key = (first, last, fingerprint)
    cal = _calendars.get(key)
    if cal is not None:
        return cal
    cal = _base_calendar(first, last).with_overrides(override_list())
    with _lock:
        # keep only the newest fingerprint of each range
        for old in [k for k in _calendars if k[:2] == (first, last)]:
            del _calendars[old]
        _calendars[key] = cal
    return cal


def ladder_of(ruleset: SlaRuleSet) -> sla.Ladder:
    """The pure ladder of a ruleset (cached per published version)."""
    # keyed by row and publication time: a published version never changes
    key = (ruleset.pk, ruleset.published_at)
    if ruleset.pk is not None and ruleset.is_published:
        cached = _ladders.get(key)
        if cached is not None:
            return cached
    ladder = sla.Ladder(
        rules=tuple(
            sla.Rule(
                step=r.step,
                days=r.days,
                working_days=r.working_days,
                report_type=r.report_type,
                sla_class=r.sla_class,
            )
            for r in ruleset.rules.all()
        ),
        cutoff_hour=ruleset.cutoff_hour,
    )
    if ruleset.pk is not None and ruleset.is_published:
        _ladders[key] = ladder
    return ladder


def _published() -> Any:
    return SlaRuleSet.objects.filter(published_at__isnull=False).prefetch_related("rules")


# the version in force at a moment: the latest effective_from, then the highest version (a
# corrected reading of the same regulation supersedes the earlier version from the same date)
_NEWEST_FIRST = ("-effective_from", "-version")


def _published_newest_first() -> list[SlaRuleSet]:
    return list(_published().order_by(*_NEWEST_FIRST))


def sla_ladder_for(at: datetime, *, max_age: float = 0.0) -> tuple[SlaRuleSet, sla.Ladder]:
    """The published ladder version in force at ``at`` (the latest with effective_from ≤ at).

    ``max_age > 0`` picks it from the list of published versions read up to that many seconds
    ago in this process (the submission path); the default asks the database now.
    """
    if max_age > 0:
        versions = _published_versions.get_or_load(
            "published", _published_newest_first, max_age=max_age
        )
        ruleset = next((r for r in versions if r.effective_from <= at), None)
    else:
        ruleset = _published().filter(effective_from__lte=at).order_by(*_NEWEST_FIRST).first()
    if ruleset is None:
        raise NotFound(f"No SLA ladder is in force at {at.isoformat()}.")
    return ruleset, ladder_of(ruleset)


def sla_ladder_by_version(version: int) -> tuple[SlaRuleSet, sla.Ladder]:
    ruleset = _published().filter(version=version).first()
    if ruleset is None:
        raise NotFound(f"SLA ladder version {version} does not exist.")
    return ruleset, ladder_of(ruleset)


def sla_ruleset_list() -> list[SlaRuleSet]:
    """Every published version, newest first."""
    return list(_published().order_by(*_NEWEST_FIRST))


def holiday_list_for_year(year: int) -> dict[str, Any]:
    """The non-working days of a year other than plain weekends, and working-day overrides."""
    cal = work_calendar_get(range(year, year + 1))
    days: list[dict[str, Any]] = []
    working_overrides: list[dict[str, Any]] = []
    for override in cal.overrides.values():
        if override.day.year == year and override.kind == workdays.OverrideKind.WORKING_DAY:
            working_overrides.append(
                {
                    "date": override.day,
                    "name": override.name,
                    "legal_basis": override.legal_basis,
                    "replaces": getattr(cal.holidays.get(override.day), "name", ""),
                }
            )
    candidates = sorted(
        {d for d in cal.holidays if d.year == year}
        | {
            d
            for d, o in cal.overrides.items()
            if d.year == year and o.kind == workdays.OverrideKind.DAY_OFF
        }
    )
    for day in candidates:
        reason = workdays.non_working_reason(day, cal)
        if reason is None:
            continue
        day_override = cal.overrides.get(day)
        days.append(
            {
                "date": day,
                "kind": str(reason.reason_code),
                "name": reason.name,
                "legal_basis": day_override.legal_basis if day_override else "",
                "is_weekend": day.weekday() >= 5,
            }
        )
    return {"year": year, "days": days, "working_day_overrides": working_overrides}
