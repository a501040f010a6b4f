"""`report_deadline_explanation`: how a report's nearest deadline was computed (clock start at
the organisation's receipt, allowance, skipped days, postponements, extension)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import AgencyFactory
from lapor.reports.actions.engine import report_act
from lapor.reports.deadline_explain import (
    START_AFTER_CUTOFF,
    START_NON_WORKING_DAY,
    START_SAME_DAY,
    report_deadline_explanation,
)
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 2, day, hour, 0, tzinfo=JAKARTA)


def _report_started(started_at: datetime):
    """A report received by its organisation at `started_at` (verified then, submitted a day
    before): its nearest deadline is the first follow-up, 5 working days from the receipt."""
    agency = AgencyFactory()
    report = make_report("disposed", agency=agency, now=started_at + timedelta(days=2),
                         age_days=3)  # fmt: skip
    assert report.received_at == started_at
    admin = UserFactory(role="agency_admin", agency=agency)
    return report, admin


def test_a_report_without_pause_explains_start_allowance_and_weekend() -> None:
    # given: started Monday 2 February 2026 at 10:00, before the cut-off
    report, _admin = _report_started(_at(2))
    # when
    explained = report_deadline_explanation(report=report, now=_at(3))
    # then: counted from Monday, 5 working days, the weekend of 7–8 February skipped
    assert explained is not None
    assert explained.step == "first_response"
    assert explained.clock_start == date(2026, 2, 2)
    assert explained.start_reason == START_SAME_DAY
    assert explained.working_days == 5
    assert explained.base_due == date(2026, 2, 9)
    assert [d.date for d in explained.skipped] == [date(2026, 2, 7), date(2026, 2, 8)]
    assert {d.reason_code for d in explained.skipped} == {"weekend"}
    assert explained.deadline.astimezone(JAKARTA).date() == date(2026, 2, 9)
    assert explained.pauses == []
    assert explained.extension is None
    assert explained.state == "on_time"
    assert explained.ladder_version == report.sla_ruleset.version
    assert explained.legal_basis == report.sla_ruleset.legal_basis


@pytest.mark.parametrize(
    ("started_at", "reason", "start"),
    [
        (_at(6, 17), START_AFTER_CUTOFF, date(2026, 2, 9)),  # Friday 17:00, after 16:00
        (_at(7, 9), START_NON_WORKING_DAY, date(2026, 2, 9)),  # Saturday
    ],
)
def test_the_clock_start_says_why_it_moved_to_the_next_working_day(
    started_at, reason, start
) -> None:
    # given
    report, _admin = _report_started(started_at)
    # when
    explained = report_deadline_explanation(report=report, now=started_at)
    # then
    assert explained is not None
    assert explained.start_reason == reason
    assert explained.clock_start == start
    # and: 5 working days from Monday 9 February skip the weekend and the Lunar New Year
    assert explained.base_due == date(2026, 2, 18)
    assert explained.deadline.astimezone(JAKARTA).date() == date(2026, 2, 18)
    assert any(d.reason_code == "holiday" and "Imlek" in d.name for d in explained.skipped)
    assert date(2026, 2, 14) in {d.date for d in explained.skipped}


def test_a_postponement_shows_the_pause_and_moves_the_due_date() -> None:
    # given: postponed Tuesday 3 February, resumed Thursday 5 February (2 working days)
    report, admin = _report_started(_at(2))
    report_act(
        action="postpone",
        actor_user=admin,
        report_id=report.pk,
        params={"reason": "Menunggu dokumen dari pelapor"},
        now=_at(3),
    )
    during = report_deadline_explanation(report=report.__class__.objects.get(pk=report.pk))
    report = report_act(action="resume", actor_user=admin, report_id=report.pk, now=_at(5))
    # when
    explained = report_deadline_explanation(report=report, now=_at(5, 11))
    # then: the ongoing pause was shown while it lasted
    assert during is not None and during.is_postponed
    assert during.pauses[0].ongoing
    # and: after it, one pause of 2 working days, the due date 2 working days later
    assert explained is not None
    assert len(explained.pauses) == 1
    pause = explained.pauses[0]
    assert pause.working_days == 2
    assert pause.reason == "Menunggu dokumen dari pelapor"
    assert not pause.ongoing
    assert explained.paused_working_days == 2
    assert explained.base_due == date(2026, 2, 9)
    assert explained.deadline.astimezone(JAKARTA).date() == date(2026, 2, 11)
    assert [d.date for d in explained.skipped] == [date(2026, 2, 7), date(2026, 2, 8)]


def test_an_extension_shows_its_days_and_reason() -> None:
    # given
    report, admin = _report_started(_at(2))
    # when
    report = report_act(
        action="extend",
        actor_user=admin,
        report_id=report.pk,
        params={
            "reason": "Perlu pemeriksaan lapangan",
            "working_days": 3,
            "step": "first_response",
        },
        now=_at(4),
    )
    explained = report_deadline_explanation(report=report, now=_at(4))
    # then: 9 February + 3 working days = 12 February
    assert explained is not None
    assert explained.extension is not None
    assert explained.extension.working_days == 3
    assert explained.extension.reason == "Perlu pemeriksaan lapangan"
    assert explained.deadline.astimezone(JAKARTA).date() == date(2026, 2, 12)


def test_no_deadline_no_explanation() -> None:
    report = make_report("closed", agency=AgencyFactory())
    assert report_deadline_explanation(report=report) is None
