"""Full-text search over reports' title and content, per database vendor.

- PostgreSQL: `SearchVector(title, content, config="indonesian")` against a
  `websearch`-style `SearchQuery`; a GIN expression index on the same vector (migration 0002,
  PostgreSQL only) makes it fast.
- SQLite: an FTS5 virtual table `reports_report_fts` (rowid = report id) kept in sync by
  triggers (migration 0002, SQLite only); the query is turned into quoted FTS5 terms.

Only this module knows the vendor; selectors call `filter_full_text(qs, q)`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Report

FTS_TABLE = "reports_report_fts"  # the name is spelled out in the SQL below
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


def filter_full_text(qs: QuerySet[Report], q: str) -> QuerySet[Report]:
    q = (q or "").strip()
    if not q:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("title", "content", config=PG_CONFIG)
        return qs.annotate(_search=vector).filter(
            _search=SearchQuery(q, config=PG_CONFIG, search_type="websearch")
        )
    if connection.vendor == "sqlite":
        match = _fts5_query(q)
        if not match:
            return qs.none()
        from django.db.models.expressions import RawSQL

        # constant SQL; the user text is a bound parameter (and quoted by _fts5_query)
        return qs.filter(id__in=RawSQL(_FTS_MATCH_SQL, [match]))  # noqa: S611
    # any other database: a plain case-insensitive containment
    from django.db.models import Q

    for word in _WORD.findall(q)[:20]:
        qs = qs.filter(Q(title__icontains=word) | Q(content__icontains=word))
    return qs


# --- DDL used by migration 0002 -------------------------------------------------------------
# A migration that makes SQLite rebuild reports_report (e.g. adding a stored generated column,
# as 0003 does) drops these triggers: it must run SQLITE_SETUP again (it is idempotent).

_FTS_MATCH_SQL = "SELECT rowid FROM reports_report_fts WHERE reports_report_fts MATCH %s"

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
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS reports_report_fts_ai",
    "DROP TRIGGER IF EXISTS reports_report_fts_ad",
    "DROP TRIGGER IF EXISTS reports_report_fts_au",
    "DROP TABLE IF EXISTS reports_report_fts",
]
PG_SETUP = [
    "CREATE INDEX IF NOT EXISTS reports_report_fts_gin ON reports_report "
    "USING GIN ((" + PG_VECTOR_SQL + "))"
]
PG_TEARDOWN = ["DROP INDEX IF EXISTS reports_report_fts_gin"]
