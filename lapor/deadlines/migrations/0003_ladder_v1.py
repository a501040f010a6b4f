"""Ladder v1: the SLA of PermenPANRB 62/2018 (with 24/2014 and the Ombudsman's 60 days).

The values are written out here rather than imported from lapor.deadlines.sla, so that this
migration keeps meaning the same thing when the code's defaults change later.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

V1_RULES = [
    # (report_type, sla_class, step, days, working_days)
    ("", "", "verification", 3, True),
    ("", "", "first_response", 3, True),
    ("permintaan_informasi", "", "follow_up", 5, True),
    ("", "simple", "follow_up", 5, True),
    ("", "dispute", "follow_up", 14, True),
    ("", "field_check", "follow_up", 60, True),
    ("", "", "closing", 10, True),
    ("", "", "escalation", 60, False),
]


def create_v1(apps, schema_editor):
    SlaRuleSet = apps.get_model("deadlines", "SlaRuleSet")
    SlaRule = apps.get_model("deadlines", "SlaRule")
    if SlaRuleSet.objects.filter(version=1).exists():
        return
    effective = datetime(2018, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta"))
    ruleset = SlaRuleSet.objects.create(
        version=1,
        name="PermenPANRB 62/2018",
        legal_basis=(
            "PermenPANRB 24/2014; PermenPANRB 62/2018; LAPOR! FAQ; "
            "Ombudsman RI (eskalasi setelah 60 hari)"
        ),
        effective_from=effective,
        cutoff_hour=16,
        notes="Versi awal tangga SLA.",
        published_at=effective,
    )
    SlaRule.objects.bulk_create(
        SlaRule(
            ruleset=ruleset,
            report_type=report_type,
            sla_class=sla_class,
            step=step,
            days=days,
            working_days=working,
        )
        for report_type, sla_class, step, days, working in V1_RULES
    )


def delete_v1(apps, schema_editor):
    SlaRuleSet = apps.get_model("deadlines", "SlaRuleSet")
    SlaRule = apps.get_model("deadlines", "SlaRule")
    SlaRule.objects.filter(ruleset__version=1).delete()
    SlaRuleSet.objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_ruleset_drafts")]

    operations = [migrations.RunPython(create_v1, delete_v1)]
