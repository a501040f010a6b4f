"""Idempotency records per client, holding no secret: the records written before held the raw
key, the caller's scope in clear and the first response in clear (with a guest's reporter key),
so they are deleted (a retry within 24 h of the upgrade may create its object again)."""

from django.db import migrations, models


def forget_records_in_clear(apps, schema_editor):
    apps.get_model("core", "IdempotencyRecord").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_outbox_from_reports")]

    operations = [
        migrations.RunPython(forget_records_in_clear, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="idempotencyrecord", name="uniq_idempotency_scope_key"),
        migrations.RemoveField(model_name="idempotencyrecord", name="key"),
        migrations.RemoveField(model_name="idempotencyrecord", name="scope"),
        migrations.RemoveField(model_name="idempotencyrecord", name="body_hash"),
        migrations.RemoveField(model_name="idempotencyrecord", name="response_body"),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="scope_hash",
            field=models.CharField(default="", help_text="HMAC of the operation and client", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="key_hash",
            field=models.CharField(default="", help_text="HMAC of the scope and the raw key", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="fingerprint",
            field=models.CharField(default="", help_text="SHA-256 of the request", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="sealed_response",
            field=models.TextField(default="", help_text="the response, AES-GCM with a key from the raw key"),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="idempotencyrecord",
            constraint=models.UniqueConstraint(fields=("scope_hash", "key_hash"), name="uniq_idempotency_scope_key"),
        ),
    ]
