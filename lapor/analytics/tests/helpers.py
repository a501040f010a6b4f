"""Reports driven through the real lifecycle service at chosen times (Asia/Jakarta)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lapor.reports import services
from lapor.reports.actions.engine import report_act
from lapor.reports.models import Report

JAKARTA = ZoneInfo("Asia/Jakarta")


def jkt(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=JAKARTA)


def submit(world: Any, at: datetime, *, confidential: bool = False) -> tuple[Report, str]:
    """A guest's report to the world's organisation; returns it with the reporter key."""
    result = services.report_submit(
        actor_user=None,
        data=services.ReportSubmission(
            type="pengaduan",
            title="Sampah menumpuk di pasar besar",
            content="Sampah di Pasar Besar tidak diangkut selama seminggu, baunya menyengat.",
            agency=world.agency.code,
            is_confidential=confidential,
        ),
        now=at,
    )
    return result.report, result.reporter_key or ""


def act(
    report: Report, action: str, user: Any, at: datetime, key: str | None = None, **params: Any
) -> Report:
    return report_act(
        action=action,
        actor_user=user,
        report_id=report.pk,
        reporter_key=key,
        params=params,
        now=at,
    )


def full_path(world: Any, *, confidential: bool = False, late: bool = False) -> Report:
    """Submitted Mon 2 Nov 2026 09:00, verified and disposed the same day, answered on Wed 4 Nov
    (or, when ``late``, on Wed 25 Nov), rated 4 and closed by the reporter the day after."""
    u = world.users
    report, key = submit(world, jkt(2026, 11, 2, 9), confidential=confidential)
    act(report, "verify", u["agency_admin"], jkt(2026, 11, 2, 10), sla_class="complaint")
    act(report, "dispose", u["agency_admin"], jkt(2026, 11, 2, 11), unit=world.unit.code)
    day = 25 if late else 4
    act(
        report, "respond", u["unit_admin"], jkt(2026, 11, day, 10), content="Sampah sudah diangkut."
    )
    act(report, "rate", None, jkt(2026, 11, day + 1, 9), key, score=4, comment="Cepat")
    act(report, "close", None, jkt(2026, 11, day + 1, 10), key)
    report.refresh_from_db()
    return report
