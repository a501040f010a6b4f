"""Overrides, ladder versions, the cached calendar and the admin/command that publish."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lapor.accounts.choices import Role
from lapor.accounts.tests.factories import UserFactory
from lapor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lapor.deadlines import sla
from lapor.deadlines.models import HolidayOverride, SlaRule, SlaRuleSet
from lapor.deadlines.selectors import (
    holiday_list_for_year,
    sla_ladder_by_version,
    sla_ladder_for,
    work_calendar_get,
)
from lapor.deadlines.services import (
    holiday_override_create,
    holiday_override_delete,
    sla_ruleset_publish,
    sla_ruleset_publish_draft,
)
from lapor.deadlines.workdays import ReasonCode, add_working_days, explain_deadline

pytestmark = pytest.mark.django_db

JAKARTA = sla.JAKARTA


def v3_rules(complaint: int = 14) -> list[dict[str, object]]:
    return [
        {"step": "verification", "days": 3},
        {"step": "first_response", "days": 5},
        {"step": "completion", "days": 5, "sla_class": "information_request"},
        {"step": "completion", "days": complaint, "sla_class": "complaint"},
        {"step": "completion", "days": 60, "sla_class": "misconduct"},
        {"step": "follow_up", "days": 5},
        {"step": "closing", "days": 10},
    ]


@pytest.fixture
def national_admin():
    return UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def recomputed(monkeypatch):
    calls: list[dict[str, object]] = []

    def fake(*, reason, actor=None, now=None):
        calls.append({"reason": reason, "actor": actor})
        return 0

    monkeypatch.setattr("lapor.reports.sweeps.reports_recompute_deadlines", fake)
    return calls


def test_migration_v2_holds_the_default_ladder_and_supersedes_v1():
    # given the migrated database / when the version in force in 2020 is read
    ruleset, ladder = sla_ladder_for(datetime(2020, 1, 1, tzinfo=JAKARTA))
    # then it is v2, the reading of PermenPANRB 62/2018 (continued by 5/2025) counted from the
    # organisation's receipt, effective 2018-01-01 like v1, equal to the default ladder
    assert ruleset.version == 2
    assert "62/2018" in ruleset.legal_basis and "5/2025" in ruleset.legal_basis
    assert "kebijakan lokal" in ruleset.legal_basis  # the cut-off hour is local policy
    assert ruleset.effective_from == datetime(2018, 1, 1, tzinfo=JAKARTA)
    assert set(ladder.rules) == set(sla.DEFAULT_LADDER.rules)
    assert ladder.cutoff_hour == 16
    # and v1 stays published and untouched, as history
    v1, old = sla_ladder_by_version(1)
    assert v1.name == "PermenPANRB 62/2018"
    assert old.rule_for("follow_up", "pengaduan", "field_check").days == 60


def test_no_ladder_before_2018():
    # given v1 and v2 from 2018 / when asked for 2017 / then not found
    with pytest.raises(NotFound):
        sla_ladder_for(datetime(2017, 12, 31, tzinfo=JAKARTA))
    with pytest.raises(NotFound):
        sla_ladder_by_version(99)


def test_publish_a_new_version_keeps_the_old_one_by_time(national_admin):
    # given v2, and v3 published from 2025-06-01 with 10 days for complaints
    v3 = sla_ruleset_publish(
        actor=national_admin,
        name="PermenPANRB 5/2025 (contoh)",
        legal_basis="PermenPANRB 5/2025",
        effective_from=datetime(2025, 6, 1, tzinfo=JAKARTA),
        rules=v3_rules(10),
    )
    # when the ladder is read at times around the change
    before = sla_ladder_for(datetime(2025, 5, 31, 23, 59, tzinfo=JAKARTA))
    after = sla_ladder_for(datetime(2025, 6, 1, tzinfo=JAKARTA))
    # then a report submitted before keeps v2 and one after gets v3
    assert v3.version == 3 and v3.published_by == national_admin
    assert v3.cutoff_hour == 16  # inherited from v2
    assert before[0].version == 2
    assert before[1].rule_for("completion", "pengaduan", "complaint").days == 14
    assert after[0].version == 3
    assert after[1].rule_for("completion", "pengaduan", "complaint").days == 10
    assert sla_ladder_by_version(2)[1].rule_for("completion", "pengaduan", "complaint").days == 14


def test_publish_refuses_bad_versions(national_admin):
    # given an incomplete ladder, an earlier date, a bad rule and a non-admin / then refused
    with pytest.raises(ValidationFailed) as incomplete:
        sla_ruleset_publish(
            actor=national_admin,
            name="x",
            legal_basis="x",
            effective_from=datetime(2026, 1, 1, tzinfo=JAKARTA),
            rules=v3_rules()[:3],
        )
    assert (incomplete.value.errors or [])[0]["field"] == "rules"
    with pytest.raises(Conflict):
        sla_ruleset_publish(
            actor=national_admin,
            name="x",
            legal_basis="x",
            effective_from=datetime(2017, 1, 1, tzinfo=JAKARTA),
            rules=v3_rules(),
        )
    with pytest.raises(ValidationFailed) as bad_rule:
        sla_ruleset_publish(
            actor=national_admin,
            name="x",
            legal_basis="x",
            effective_from=datetime(2026, 1, 1, tzinfo=JAKARTA),
            rules=[*v3_rules(), {"step": "nap", "days": -1}],
        )
    assert {e["field"] for e in bad_rule.value.errors or []} == {"rules.7.step", "rules.7.days"}
    officer = UserFactory(role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        sla_ruleset_publish(
            actor=officer,
            name="x",
            legal_basis="x",
            effective_from=datetime(2026, 1, 1, tzinfo=JAKARTA),
            rules=v3_rules(),
        )
    assert SlaRuleSet.objects.count() == 2


def test_publish_a_draft_freezes_it(national_admin):
    # given a draft made in the admin with complete rules
    draft = SlaRuleSet.objects.create(
        name="Draf 2026", effective_from=datetime(2026, 1, 1, tzinfo=JAKARTA)
    )
    SlaRule.objects.bulk_create(
        SlaRule(ruleset=draft, **{"report_type": "", "sla_class": "", **r}) for r in v3_rules(6)
    )
    assert str(draft) == "draft: Draf 2026"
    # when published
    published = sla_ruleset_publish_draft(actor=national_admin, ruleset=draft)
    # then it is numbered and in force from its date; publishing again is a conflict
    assert published.version == 3 and published.is_published
    ladder = sla_ladder_for(datetime(2026, 2, 1, tzinfo=JAKARTA))[1]
    assert ladder.rule_for("completion", "aspirasi", "complaint").days == 6
    with pytest.raises(Conflict):
        sla_ruleset_publish_draft(actor=national_admin, ruleset=published)


def test_override_changes_the_calendar_and_recomputes_open_reports(
    national_admin, recomputed, django_capture_on_commit_callbacks
):
    # given the example deadline (2025-03-27 + 3 → 2025-04-10)
    assert add_working_days(date(2025, 3, 27), 3, work_calendar_get()) == date(2025, 4, 10)
    # when an administrator adds a day off on Tuesday 2025-04-08 by decree
    with django_capture_on_commit_callbacks(execute=True):
        override = holiday_override_create(
            actor=national_admin,
            date=date(2025, 4, 8),
            kind="day_off",
            name="Libur tambahan",
            legal_basis="Keppres 99/2025",
        )
    # then the calendar of every caller sees it, with the decree as the reason
    cal = work_calendar_get()
    explanation = explain_deadline(date(2025, 3, 27), 3, cal)
    assert explanation.due == date(2025, 4, 11)
    assert explanation.skipped[-1].reason_code == ReasonCode.DECREE
    assert override.created_by == national_admin
    # and open reports' deadlines were recomputed (through the outbox's calendar.changed), with
    # the reason
    assert len(recomputed) == 1
    assert "2025-04-08" in str(recomputed[0]["reason"])
    # when it is deleted / then the calendar is back and the recomputation ran again
    with django_capture_on_commit_callbacks(execute=True):
        holiday_override_delete(actor=national_admin, override=override)
    assert add_working_days(date(2025, 3, 27), 3, work_calendar_get()) == date(2025, 4, 10)
    assert len(recomputed) == 2


def test_override_rules(national_admin, recomputed):
    # given an existing override
    holiday_override_create(
        actor=national_admin,
        date=date(2025, 4, 8),
        kind="day_off",
        name="Libur",
        legal_basis="Keppres 1/2025",
    )
    # then the same date again is a conflict
    with pytest.raises(Conflict):
        holiday_override_create(
            actor=national_admin, date=date(2025, 4, 8), kind="day_off", name="x", legal_basis="y"
        )
    # a working-day decree on a working day, a day off on a plain Saturday, no legal basis: 422
    with pytest.raises(ValidationFailed) as no_op:
        holiday_override_create(
            actor=national_admin,
            date=date(2025, 4, 9),
            kind="working_day",
            name="Masuk",
            legal_basis="SE",
        )
    assert no_op.value.errors == [{"field": "kind", "message": "Tanggal ini sudah hari kerja."}]
    with pytest.raises(ValidationFailed):
        holiday_override_create(
            actor=national_admin, date=date(2025, 4, 12), kind="day_off", name="x", legal_basis="y"
        )
    with pytest.raises(ValidationFailed) as missing:
        holiday_override_create(
            actor=national_admin, date=date(2025, 4, 9), kind="day_off", name="x", legal_basis=" "
        )
    assert (missing.value.errors or [])[0]["field"] == "legal_basis"
    # and a reporter may not
    with pytest.raises(PermissionDenied):
        holiday_override_create(
            actor=UserFactory(), date=date(2025, 4, 9), kind="day_off", name="x", legal_basis="y"
        )
    assert HolidayOverride.objects.count() == 1


def test_a_working_day_decree_on_a_holiday_is_allowed(national_admin, recomputed):
    # given cuti bersama on Monday 2025-04-07 / when a decree makes it a working day
    holiday_override_create(
        actor=national_admin,
        date=date(2025, 4, 7),
        kind="working_day",
        name="Cuti bersama dibatalkan",
        legal_basis="SKB 9/2025",
    )
    # then it counts, and the holiday list shows the decree instead of the holiday
    assert add_working_days(date(2025, 3, 27), 1, work_calendar_get()) == date(2025, 4, 7)
    listing = holiday_list_for_year(2025)
    assert date(2025, 4, 7) not in [d["date"] for d in listing["days"]]
    assert listing["working_day_overrides"] == [
        {
            "date": date(2025, 4, 7),
            "name": "Cuti bersama dibatalkan",
            "legal_basis": "SKB 9/2025",
            "replaces": "Cuti Bersama Hari Raya Idul Fitri",
        }
    ]


def test_calendar_is_cached_until_overrides_change(django_assert_max_num_queries):
    # given a first read (builds the calendar)
    first = work_calendar_get()
    # when read again / then the same object, with one fingerprint query
    with django_assert_max_num_queries(1):
        assert work_calendar_get() is first
    # when an override row changes behind the service's back / then a new calendar
    HolidayOverride.objects.create(date=date(2025, 4, 9), kind="day_off", name="x", legal_basis="y")
    assert work_calendar_get() is not first
    assert date(2025, 4, 9) in work_calendar_get().overrides


def test_publish_sla_command(national_admin, tmp_path):
    # given a rules file
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(v3_rules(8)), encoding="utf-8")
    # when the command publishes it
    call_command(
        "publish_sla",
        name="PermenPANRB 5/2025",
        legal_basis="PermenPANRB 5/2025",
        effective_from="2025-07-01T00:00:00+07:00",
        rules=str(rules),
        actor=national_admin.email,
    )
    # then v3 is in force from July 2025
    ruleset, ladder = sla_ladder_for(datetime(2025, 7, 2, tzinfo=JAKARTA))
    assert ruleset.version == 3
    assert ladder.rule_for("completion", "pengaduan", "complaint").days == 8
    # and a second run for an earlier date fails clearly
    with pytest.raises(CommandError):
        call_command(
            "publish_sla",
            name="x",
            legal_basis="x",
            effective_from="2025-01-01",
            actor=national_admin.email,
        )


def test_admin_adds_an_override_through_the_service(client, national_admin, recomputed):
    # given a signed-in national admin
    client.force_login(national_admin)
    # when the admin form adds an override
    response = client.post(
        reverse("admin:deadlines_holidayoverride_add"),
        {
            "date": "2025-04-09",
            "kind": "day_off",
            "name": "Libur tambahan",
            "legal_basis": "Keppres 5/2025",
        },
    )
    # then it is saved with its author; a bad one shows the form error
    assert response.status_code == 302
    override = HolidayOverride.objects.get(date=date(2025, 4, 9))
    assert override.created_by == national_admin
    again = client.post(
        reverse("admin:deadlines_holidayoverride_add"),
        {"date": "2025-04-12", "kind": "day_off", "name": "x", "legal_basis": "y"},
    )
    assert again.status_code == 200
    assert "Sabtu dan Minggu sudah bukan hari kerja." in again.content.decode()
    # and a published ladder version is read-only in the admin
    v1 = SlaRuleSet.objects.get(version=1)
    change = client.get(reverse("admin:deadlines_slaruleset_change", args=[v1.pk]))
    assert change.status_code == 200
    assert 'name="name"' not in change.content.decode()


def test_admin_publishes_a_draft(client, national_admin):
    # given a draft with complete rules
    draft = SlaRuleSet.objects.create(
        name="Draf", effective_from=datetime(2026, 1, 1, tzinfo=JAKARTA)
    )
    SlaRule.objects.bulk_create(
        SlaRule(ruleset=draft, **{"report_type": "", "sla_class": "", **r}) for r in v3_rules()
    )
    client.force_login(national_admin)
    # when the publish action runs
    response = client.post(
        reverse("admin:deadlines_slaruleset_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    # then it is version 3
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 3
    assert draft.published_at is not None
    assert draft.published_at - draft.effective_from < timedelta(days=3650)
