"""`Attachment.metadata_removed`: images stored before were re-encoded (EXIF dropped); every
other file was kept byte for byte, so it is marked as still carrying its metadata."""

from django.db import migrations, models


def mark_existing(apps, schema_editor):
    Attachment = apps.get_model("reports", "Attachment")
    Attachment.objects.filter(content_type__startswith="image/").update(metadata_removed=True)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_regulation_clocks")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="metadata_removed",
            field=models.BooleanField(
                default=False,
                help_text="the file's metadata (author, GPS, …) was removed; when False, an "
                "anonymous report's attachment is never shown to the organisation",
            ),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
    ]
