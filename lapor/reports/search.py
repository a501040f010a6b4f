"""Full-text search over reports' title and content, per database vendor, in two indexes.

**The raw index** holds the text as typed; only callers who may read every report they search in
full (officers within their scope, the national admin) and reporters within their own reports
use it:

- PostgreSQL: `SearchVector(title, content, config="indonesian")` against a `websearch`-style
  `SearchQuery`; a GIN expression index on the same vector (migration 0002) makes it fast.
- SQLite: an FTS5 virtual table `reports_report_fts` (rowid = report id) kept in sync by
  triggers (migration 0002); the query is turned into quoted FTS5 terms.

**The public index** holds only what the public may read: the title and content masked by
`lapor.reports.masking` (NIK/KK numbers, phone numbers, e-mail addresses). Searching the raw text
on behalf of the public would make search an oracle: a masked 16-digit NIK could be rebuilt digit
by digit with prefix searches, or an exact one confirmed. Masking is Python, so the document is
written by Python:

- PostgreSQL: table `reports_report_public_search (report_id, document tsvector)` with a GIN
  index;
- SQLite: FTS5 table `reports_report_public_fts (title, content)`, rowid = report id.

`search_document_refresh(report)` writes a report's public document; call it after every change
of a report's title or content (submission does; redaction and verification edits must). As a
safety net, a trigger on each database **deletes** the public document when the title or content
change without it, so a forgotten refresh makes the report unfindable to the public (never
findable by the old text), and a deleted report takes its document with it.

Only this module knows the vendor; selectors call `filter_full_text(qs, q, raw=…)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection as default_connection

from .masking import mask_personal_data

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import QuerySet

    from .models import Report

FTS_TABLE = "reports_report_fts"  # the names are spelled out in the SQL below
PUBLIC_FTS_TABLE = "reports_report_public_fts"
PUBLIC_PG_TABLE = "reports_report_public_search"
PG_CONFIG = "indonesian"
PG_VECTOR_SQL = (
    "to_tsvector('indonesian'::regconfig, coalesce(title, '') || ' ' || coalesce(content, ''))"
)

_WORD = re.compile(r"\w+", re.UNICODE)


def _fts5_query(q: str) -> str:
    """Every word must occur (prefix match on the last one); quoted so no FTS5 syntax leaks."""
    words = _WORD.findall(q)[:20]
    if not words:
        return ""
    terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return " AND ".join(terms)


# --- the public document ---------------------------------------------------------------------


def public_text(title: str, content: str) -> tuple[str, str]:
    """The title and content as the public reads them."""
    return mask_personal_data(title or ""), mask_personal_data(content or "")


_PG_UPSERT = (
    "INSERT INTO reports_report_public_search (report_id, document) "
    "VALUES (%s, to_tsvector('indonesian'::regconfig, %s)) "
    "ON CONFLICT (report_id) DO UPDATE SET document = EXCLUDED.document"
)
_PG_INSERT = (
    "INSERT INTO reports_report_public_search (report_id, document) "
    "VALUES (%s, to_tsvector('indonesian'::regconfig, %s))"
)
_SQLITE_UPSERT = (
    "INSERT OR REPLACE INTO reports_report_public_fts (rowid, title, content) VALUES (%s, %s, %s)"
)
_SQLITE_INSERT = "INSERT INTO reports_report_public_fts (rowid, title, content) VALUES (%s, %s, %s)"


def search_documents_write(
    rows: Iterable[tuple[int, str, str]],
    *,
    new: bool = False,
    using: BaseDatabaseWrapper | None = None,
) -> int:
    """Write the public documents of ``(report id, title, content)`` rows (masked here); return
    how many. ``new=True`` for reports just inserted (a plain INSERT, no conflict check)."""
    conn = using or default_connection
    params: list[Sequence[Any]] = []
    for report_id, title, content in rows:
        shown_title, shown_content = public_text(title, content)
        if conn.vendor == "postgresql":
            params.append((report_id, f"{shown_title} {shown_content}"))
        else:
            params.append((report_id, shown_title, shown_content))
    if not params or conn.vendor not in ("postgresql", "sqlite"):
        return len(params)
    if conn.vendor == "postgresql":
        sql = _PG_INSERT if new else _PG_UPSERT
    else:
        sql = _SQLITE_INSERT if new else _SQLITE_UPSERT
    with conn.cursor() as cursor:
        if len(params) == 1:
            cursor.execute(sql, params[0])
        else:
            cursor.executemany(sql, params)
    return len(params)


def search_document_refresh(report: Report, *, new: bool = False) -> None:
    """(Re)write `report`'s public search document from its current title and content.

    Call it in the transaction that saved a new title or content (after the save: the database
    drops the document when either changes)."""
    search_documents_write([(int(report.pk), report.title, report.content)], new=new)


def search_documents_refresh(reports: Iterable[Report]) -> int:
    """The same for many reports at once (imports)."""
    return search_documents_write((int(r.pk), r.title, r.content) for r in reports)


def search_documents_rebuild(
    report_model: Any = None, *, using: BaseDatabaseWrapper | None = None, batch: int = 2000
) -> int:
    """Rewrite every report's public document (migrations, repairs); return how many."""
    if report_model is None:
        from .models import Report as report_model
    conn = using or default_connection
    done, last = 0, 0
    manager = report_model._base_manager.db_manager(conn.alias)
    while True:
        rows = list(
            manager.filter(pk__gt=last).order_by("pk").values_list("pk", "title", "content")[:batch]
        )
        if not rows:
            return done
        done += search_documents_write(rows, using=conn)
        last = rows[-1][0]


# --- querying --------------------------------------------------------------------------------

_PG_PUBLIC_IDS = (
    "SELECT report_id FROM reports_report_public_search "
    "WHERE document @@ websearch_to_tsquery('indonesian'::regconfig, %s)"
)
_PG_OWN_RAW_IDS = (
    "SELECT id FROM reports_report WHERE reporter_id = %s AND "
    "to_tsvector('indonesian'::regconfig, coalesce(title, '') || ' ' || coalesce(content, '')) "
    "@@ websearch_to_tsquery('indonesian'::regconfig, %s)"
)
_FTS_MATCH_SQL = "SELECT rowid FROM reports_report_fts WHERE reports_report_fts MATCH %s"
_SQLITE_PUBLIC_IDS = (
    "SELECT rowid FROM reports_report_public_fts WHERE reports_report_public_fts MATCH %s"
)
_SQLITE_OWN_RAW_IDS = (
    "SELECT rowid FROM reports_report_fts WHERE reports_report_fts MATCH %s "
    "AND rowid IN (SELECT id FROM reports_report WHERE reporter_id = %s)"
)


def filter_full_text(
    qs: QuerySet[Report], q: str, *, raw: bool = False, own_reporter_id: int | None = None
) -> QuerySet[Report]:
    """Reports of `qs` matching `q`.

    ``raw=True``: in the text as typed (for callers who may read every report of `qs` in full).
    Otherwise in the public document, and — when ``own_reporter_id`` is given — also in the text
    as typed of that account's own reports.
    """
    q = (q or "").strip()
    if not q:
        return qs
    from django.db.models.expressions import RawSQL

    if default_connection.vendor == "postgresql":
        if raw:
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("title", "content", config=PG_CONFIG)
            return qs.annotate(_search=vector).filter(
                _search=SearchQuery(q, config=PG_CONFIG, search_type="websearch")
            )
        if own_reporter_id is None:
            return qs.filter(id__in=RawSQL(_PG_PUBLIC_IDS, [q]))  # noqa: S611
        union = f"{_PG_PUBLIC_IDS} UNION ALL {_PG_OWN_RAW_IDS}"
        return qs.filter(id__in=RawSQL(union, [q, own_reporter_id, q]))  # noqa: S611
    if default_connection.vendor == "sqlite":
        match = _fts5_query(q)
        if not match:
            return qs.none()
        # constant SQL; the user text is a bound parameter (and quoted by _fts5_query)
        if raw:
            return qs.filter(id__in=RawSQL(_FTS_MATCH_SQL, [match]))  # noqa: S611
        if own_reporter_id is None:
            return qs.filter(id__in=RawSQL(_SQLITE_PUBLIC_IDS, [match]))  # noqa: S611
        union = f"{_SQLITE_PUBLIC_IDS} UNION ALL {_SQLITE_OWN_RAW_IDS}"
        return qs.filter(id__in=RawSQL(union, [match, match, own_reporter_id]))  # noqa: S611
    # any other database: a plain case-insensitive containment (of the raw text: only for
    # callers who may read it all; the public gets nothing rather than an oracle)
    if not raw:
        return qs.none()
    from django.db.models import Q

    for word in _WORD.findall(q)[:20]:
        qs = qs.filter(Q(title__icontains=word) | Q(content__icontains=word))
    return qs


# --- DDL used by migrations 0002 and 0007 ----------------------------------------------------
# A migration that makes SQLite rebuild reports_report (adding a stored generated column, as
# 0003 does, or most column changes) drops every trigger below: it must run SQLITE_SETUP again
# (idempotent). test_search_index.py checks the triggers exist after all migrations.

SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS reports_report_fts USING fts5("
    "title, content, content='reports_report', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS reports_report_fts_ai AFTER INSERT ON reports_report BEGIN "
    "INSERT INTO reports_report_fts(rowid, title, content) "
    "VALUES (new.id, new.title, new.content); END",
    "CREATE TRIGGER IF NOT EXISTS reports_report_fts_ad AFTER DELETE ON reports_report BEGIN "
    "INSERT INTO reports_report_fts(reports_report_fts, rowid, title, content) "
    "VALUES ('delete', old.id, old.title, old.content); END",
    "CREATE TRIGGER IF NOT EXISTS reports_report_fts_au AFTER UPDATE OF title, content "
    "ON reports_report BEGIN "
    "INSERT INTO reports_report_fts(reports_report_fts, rowid, title, content) "
    "VALUES ('delete', old.id, old.title, old.content); "
    "INSERT INTO reports_report_fts(rowid, title, content) "
    "VALUES (new.id, new.title, new.content); END",
    "INSERT INTO reports_report_fts(reports_report_fts) VALUES ('rebuild')",
    # the public document (written by Python, dropped by the database when it goes stale)
    "CREATE VIRTUAL TABLE IF NOT EXISTS reports_report_public_fts USING fts5("
    "title, content, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS reports_report_public_fts_ad AFTER DELETE ON reports_report "
    "BEGIN DELETE FROM reports_report_public_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS reports_report_public_fts_au AFTER UPDATE OF title, content "
    "ON reports_report WHEN old.title IS NOT new.title OR old.content IS NOT new.content "
    "BEGIN DELETE FROM reports_report_public_fts WHERE rowid = old.id; END",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS reports_report_fts_ai",
    "DROP TRIGGER IF EXISTS reports_report_fts_ad",
    "DROP TRIGGER IF EXISTS reports_report_fts_au",
    "DROP TABLE IF EXISTS reports_report_fts",
    "DROP TRIGGER IF EXISTS reports_report_public_fts_ad",
    "DROP TRIGGER IF EXISTS reports_report_public_fts_au",
    "DROP TABLE IF EXISTS reports_report_public_fts",
]
SQLITE_TRIGGERS = (
    "reports_report_fts_ai",
    "reports_report_fts_ad",
    "reports_report_fts_au",
    "reports_report_public_fts_ad",
    "reports_report_public_fts_au",
)
PG_SETUP = [
    "CREATE INDEX IF NOT EXISTS reports_report_fts_gin ON reports_report "
    "USING GIN ((" + PG_VECTOR_SQL + "))"
]
PG_TEARDOWN = ["DROP INDEX IF EXISTS reports_report_fts_gin"]
# no foreign key to reports_report: Django's test flush truncates its own tables only, and a
# reference from this table would make that fail; the delete trigger keeps the two in step
PG_PUBLIC_SETUP = [
    "CREATE TABLE IF NOT EXISTS reports_report_public_search ("
    "report_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS reports_report_public_search_gin "
    "ON reports_report_public_search USING GIN (document)",
    "CREATE OR REPLACE FUNCTION reports_report_public_search_drop() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM reports_report_public_search WHERE report_id = OLD.id; RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER reports_report_public_search_au "
    "AFTER UPDATE OF title, content ON reports_report FOR EACH ROW "
    "WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.content IS DISTINCT FROM NEW.content) "
    "EXECUTE FUNCTION reports_report_public_search_drop()",
    "CREATE OR REPLACE TRIGGER reports_report_public_search_ad "
    "AFTER DELETE ON reports_report FOR EACH ROW "
    "EXECUTE FUNCTION reports_report_public_search_drop()",
]
PG_PUBLIC_TEARDOWN = [
    "DROP TRIGGER IF EXISTS reports_report_public_search_au ON reports_report",
    "DROP TRIGGER IF EXISTS reports_report_public_search_ad ON reports_report",
    "DROP FUNCTION IF EXISTS reports_report_public_search_drop()",
    "DROP TABLE IF EXISTS reports_report_public_search",
]
