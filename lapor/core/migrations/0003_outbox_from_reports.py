"""The outbox moved from the reports app to the core app (several subscribers per topic, one
delivery record each): messages the reports outbox had not delivered yet are carried over."""

from django.db import migrations


def carry_over(apps, schema_editor):
    Old = apps.get_model("reports", "OutboxMessage")
    New = apps.get_model("core", "OutboxMessage")
    New.objects.bulk_create(
        New(topic=m.topic, payload=m.payload, created_at=m.created_at)
        for m in Old.objects.filter(processed_at__isnull=True).order_by("id")
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_per_subscriber"), ("reports", "0003_desk_agency")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
