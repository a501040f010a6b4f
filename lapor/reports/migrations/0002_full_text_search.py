"""Full-text search: an FTS5 table with triggers on SQLite, a GIN expression index on PostgreSQL.

Each half runs only on its own database (see lapor/reports/search.py).
"""

from django.db import migrations

from lapor.reports import search


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return apply


forward = _run({"sqlite": search.SQLITE_SETUP, "postgresql": search.PG_SETUP})
backward = _run({"sqlite": search.SQLITE_TEARDOWN, "postgresql": search.PG_TEARDOWN})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
