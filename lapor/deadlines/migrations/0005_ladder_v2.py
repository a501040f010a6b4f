"""Ladder v2: the deadlines of PermenPANRB 62/2018 (continued by PermenPANRB 5/2025) as agencies'
systems apply them — counted from the organisation's receipt, completion by class 5 / 14 / 60
working days. See docs/adr/0007-regulation-lifecycle.md.

Version 2 takes effect from the same moment as version 1: it is the corrected reading of the same
regulation, so every date is governed by it from now on (the ladder in force at a moment is the
published version with the latest `effective_from`, then the highest number). Version 1 stays
published and untouched as history; the events keep the due dates it gave.

The values are written out here rather than imported from lapor.deadlines.sla, so that this
migration keeps meaning the same thing when the code's defaults change later.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

V2_RULES = [
    # (report_type, sla_class, step, days, working_days)
    ("", "", "verification", 3, True),
    ("", "", "first_response", 5, True),
    ("", "information_request", "completion", 5, True),
    ("", "complaint", "completion", 14, True),
    ("", "misconduct", "completion", 60, True),
    ("", "", "follow_up", 5, True),
    ("", "", "closing", 10, True),
]
LEGAL_BASIS = (  # at most 300 characters (SlaRuleSet.legal_basis)
    "PermenPANRB 62/2018 (Pedoman Teknis Pengelolaan Pengaduan Pelayanan Publik Nasional), "
    "dilanjutkan PermenPANRB 5/2025; PermenPANRB 24/2014; proses LAPOR! (penutupan 10 HK). "
    "Tindak lanjut sanggahan 5 HK dan jam batas 16.00 WIB: kebijakan lokal."
)
assert len(LEGAL_BASIS) <= 300


def create_v2(apps, schema_editor):
    SlaRuleSet = apps.get_model("deadlines", "SlaRuleSet")
    SlaRule = apps.get_model("deadlines", "SlaRule")
    if SlaRuleSet.objects.filter(version=2).exists():
        return
    effective = datetime(2018, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta"))
    ruleset = SlaRuleSet.objects.create(
        version=2,
        name="PermenPANRB 62/2018 (5/2025): jam instansi sejak penerimaan, kelas 5/14/60",
        legal_basis=LEGAL_BASIS,
        effective_from=effective,
        cutoff_hour=16,
        notes=(
            "Tindak lanjut pertama 5 hari kerja dan penyelesaian menurut kelas (permintaan "
            "informasi 5, pengaduan 14, pengaduan berkadar pengawasan 60 hari kerja) dihitung sejak "
            "instansi menerima laporan; disposisi internal tidak mengulang hitungan. Jam batas "
            "16.00 adalah kebijakan lokal, bukan ketentuan peraturan."
        ),
        published_at=datetime(2026, 12, 1, tzinfo=ZoneInfo("Asia/Jakarta")),
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
        for report_type, sla_class, step, days, working in V2_RULES
    )


def delete_v2(apps, schema_editor):
    SlaRuleSet = apps.get_model("deadlines", "SlaRuleSet")
    SlaRule = apps.get_model("deadlines", "SlaRule")
    SlaRule.objects.filter(ruleset__version=2).delete()
    SlaRuleSet.objects.filter(version=2).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0004_regulation_classes")]

    operations = [migrations.RunPython(create_v2, delete_v2)]
