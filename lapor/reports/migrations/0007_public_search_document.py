"""The public search document: the masked title and content of every report, in its own index
(see lapor/reports/search.py), so that a public search can never match what the public may not
read. Existing reports get theirs here."""

from django.db import migrations

from lapor.reports import search


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": search.SQLITE_SETUP, "postgresql": search.PG_PUBLIC_SETUP}
    for sql in statements.get(vendor, []):
        schema_editor.execute(sql)
    if vendor in ("sqlite", "postgresql"):
        Report = apps.get_model("reports", "Report")
        search.search_documents_rebuild(Report, using=schema_editor.connection)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in search.PG_PUBLIC_TEARDOWN:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for sql in search.SQLITE_TEARDOWN[4:]:  # the public table and its triggers
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_attachment_metadata_removed")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
