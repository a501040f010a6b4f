"""Writes of the deadlines app: calendar overrides and new SLA ladder versions."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.policy import Action
from lapor.accounts.selectors import user_can
from lapor.core.errors import Conflict, PermissionDenied, ValidationFailed
from lapor.core.outbox import outbox_write

from . import sla, workdays
from .choices import CALENDAR_CHANGED, OverrideKind, SlaClass, SlaStep
from .models import HolidayOverride, SlaRule, SlaRuleSet
from .selectors import _base_calendar, default_years, ladder_of

logger = logging.getLogger(__name__)


def _require(actor: Any, action: Action) -> None:
    """Ask the accounts policy; raise PermissionDenied when the actor may not."""
    if not user_can(actor, action):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def holiday_override_problems(
    *, date: date, kind: str, name: str, legal_basis: str
) -> list[dict[str, str]]:
    """Field errors of a new override (also used by the admin form)."""
    errors: list[dict[str, str]] = []
    if kind not in OverrideKind.values:
        errors.append({"field": "kind", "message": _("Jenis tidak dikenal.")})
    if not name.strip():
        errors.append({"field": "name", "message": _("Nama wajib diisi.")})
    if not legal_basis.strip():
        errors.append({"field": "legal_basis", "message": _("Dasar hukum wajib diisi.")})
    years = default_years()
    if date.year not in years:
        errors.append(
            {
                "field": "date",
                "message": _("Tanggal harus antara tahun %(a)s dan %(b)s.")
                % {"a": years[0], "b": years[-1]},
            }
        )
        return errors
    if HolidayOverride.objects.filter(date=date).exists():
        errors.append({"field": "date", "message": _("Tanggal ini sudah memiliki pengecualian.")})
        return errors
    base = _base_calendar(date.year, date.year)
    if kind == OverrideKind.WORKING_DAY and workdays.is_working_day(date, base):
        errors.append({"field": "kind", "message": _("Tanggal ini sudah hari kerja.")})
    if kind == OverrideKind.DAY_OFF and date.weekday() >= 5 and date not in base.holidays:
        errors.append({"field": "kind", "message": _("Sabtu dan Minggu sudah bukan hari kerja.")})
    return errors


def _publish_calendar_change(*, reason: str, actor: Any) -> None:
    """Tell the rest of the system the calendar changed (the reports app recomputes its open
    deadlines): an outbox message in the transaction of the change."""
    outbox_write(
        topic=CALENDAR_CHANGED, payload={"reason": reason, "actor_id": getattr(actor, "pk", None)}
    )


@transaction.atomic
def holiday_override_create(
    *, actor: Any, date: date, kind: str, name: str, legal_basis: str
) -> HolidayOverride:
    """Add a day off or a working day by decree; open reports' deadlines are then recomputed."""
    _require(actor, Action.CALENDAR_OVERRIDE)
    if HolidayOverride.objects.filter(date=date).exists():
        message = _("Tanggal ini sudah memiliki pengecualian.")
        raise Conflict(message, errors=[{"field": "date", "message": message}])
    errors = holiday_override_problems(date=date, kind=kind, name=name, legal_basis=legal_basis)
    if errors:
        raise ValidationFailed(_("Pengecualian kalender tidak valid."), errors=errors)
    override = HolidayOverride.objects.create(
        date=date,
        kind=kind,
        name=name.strip(),
        legal_basis=legal_basis.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _publish_calendar_change(
        reason=f"override {kind} {date.isoformat()} ({override.legal_basis})", actor=actor
    )
    return override


@transaction.atomic
def holiday_override_delete(*, actor: Any, override: HolidayOverride) -> None:
    _require(actor, Action.CALENDAR_OVERRIDE)
    day, kind, basis = override.date, override.kind, override.legal_basis
    override.delete()
    _publish_calendar_change(
        reason=f"override removed {kind} {day.isoformat()} ({basis})", actor=actor
    )


def _rules_from_dicts(rules: list[dict[str, Any]]) -> list[sla.Rule]:
    errors: list[dict[str, str]] = []
    parsed: list[sla.Rule] = []
    for i, raw in enumerate(rules):
        prefix = f"rules.{i}"
        step = str(raw.get("step", ""))
        report_type = str(raw.get("report_type") or "")
        sla_class = str(raw.get("sla_class") or "")
        working = raw.get("working_days", True)
        days = raw.get("days")
        if step not in SlaStep.values:
            errors.append({"field": f"{prefix}.step", "message": _("Tahap tidak dikenal.")})
        if sla_class and sla_class not in SlaClass.values:
            errors.append({"field": f"{prefix}.sla_class", "message": _("Kelas tidak dikenal.")})
        if report_type and report_type not in sla.REPORT_TYPES:
            errors.append(
                {"field": f"{prefix}.report_type", "message": _("Jenis laporan tidak dikenal.")}
            )
        if not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= 365:
            errors.append({"field": f"{prefix}.days", "message": _("Hari harus 1–365.")})
        if not isinstance(working, bool):
            errors.append({"field": f"{prefix}.working_days", "message": _("Harus true/false.")})
        if not errors:
            parsed.append(
                sla.Rule(
                    step=step,
                    days=int(days),  # type: ignore[arg-type]
                    working_days=bool(working),
                    report_type=report_type,
                    sla_class=sla_class,
                )
            )
    if errors:
        raise ValidationFailed(_("Aturan SLA tidak valid."), errors=errors)
    return parsed


def _check_ladder(rules: list[sla.Rule], cutoff_hour: int) -> sla.Ladder:
    try:
        ladder = sla.Ladder(rules=tuple(rules), cutoff_hour=cutoff_hour)
    except ValueError as exc:
        raise ValidationFailed(str(exc), errors=[{"field": "rules", "message": str(exc)}]) from exc
    gaps = ladder.missing()
    if gaps:
        message = _("Tidak ada aturan untuk: %(gaps)s") % {
            "gaps": ", ".join("/".join(g) for g in gaps[:10])
        }
        raise ValidationFailed(message, errors=[{"field": "rules", "message": message}])
    return ladder


def _check_effective_from(effective_from: datetime, *, exclude_pk: int | None = None) -> None:
    if timezone.is_naive(effective_from):
        raise ValidationFailed(
            _("Tanggal berlaku harus memiliki zona waktu."),
            errors=[{"field": "effective_from", "message": _("Zona waktu wajib.")}],
        )
    published = SlaRuleSet.objects.filter(published_at__isnull=False)
    if exclude_pk is not None:
        published = published.exclude(pk=exclude_pk)
    latest = published.aggregate(m=Max("effective_from"))["m"]
    if latest is not None and effective_from <= latest:
        raise Conflict(
            _("Versi baru harus berlaku setelah versi terakhir (%(at)s).")
            % {"at": latest.isoformat()},
            errors=[{"field": "effective_from", "message": _("Terlalu awal.")}],
        )


def _next_version() -> int:
    return (SlaRuleSet.objects.aggregate(m=Max("version"))["m"] or 0) + 1


@transaction.atomic
def sla_ruleset_publish(
    *,
    actor: Any,
    name: str,
    legal_basis: str,
    effective_from: datetime,
    rules: list[dict[str, Any]],
    cutoff_hour: int | None = None,
    notes: str = "",
) -> SlaRuleSet:
    """Publish a new ladder version. Published versions are never edited; reports keep theirs.

    ``rules``: ``[{"step", "days", "working_days"=True, "report_type"="", "sla_class"=""}]``.
    ``cutoff_hour`` defaults to the previous version's.
    """
    _require(actor, Action.SLA_MANAGE)
    if not name.strip():
        raise ValidationFailed(
            _("Nama wajib diisi."), errors=[{"field": "name", "message": _("Wajib.")}]
        )
    # serialise publications: lock the current versions
    list(SlaRuleSet.objects.select_for_update().filter(published_at__isnull=False).values("pk"))
    if cutoff_hour is None:
        previous = SlaRuleSet.objects.filter(published_at__isnull=False).first()
        cutoff_hour = previous.cutoff_hour if previous else sla.DEFAULT_CUTOFF_HOUR
    parsed = _rules_from_dicts(rules)
    _check_ladder(parsed, cutoff_hour)
    _check_effective_from(effective_from)
    ruleset = SlaRuleSet.objects.create(
        version=_next_version(),
        name=name.strip(),
        legal_basis=legal_basis.strip(),
        effective_from=effective_from,
        cutoff_hour=cutoff_hour,
        notes=notes,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    SlaRule.objects.bulk_create(
        SlaRule(
            ruleset=ruleset,
            report_type=r.report_type,
            sla_class=r.sla_class,
            step=r.step,
            days=r.days,
            working_days=r.working_days,
        )
        for r in parsed
    )
    return ruleset


@transaction.atomic
def sla_ruleset_publish_draft(*, actor: Any, ruleset: SlaRuleSet) -> SlaRuleSet:
    """Publish a draft made in the admin: check it, number it, freeze it."""
    _require(actor, Action.SLA_MANAGE)
    ruleset = SlaRuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if ruleset.is_published:
        raise Conflict(_("Versi ini sudah diterbitkan."))
    list(SlaRuleSet.objects.select_for_update().filter(published_at__isnull=False).values("pk"))
    _check_ladder(list(ladder_of(ruleset).rules), ruleset.cutoff_hour)
    _check_effective_from(ruleset.effective_from, exclude_pk=ruleset.pk)
    ruleset.version = _next_version()
    ruleset.published_at = timezone.now()
    ruleset.published_by = actor if getattr(actor, "pk", None) else None
    ruleset.save(update_fields=["version", "published_at", "published_by", "updated_at"])
    return ruleset
