"""Pages benchmark: server-side render time of the main pages with 1,000,000 reports in PostgreSQL.

    .venv/bin/python bench/pages.py [--reports 1000000] [--requests 30] [--db lapor_bench_pages]

1. **Data, once.** Creates the database ``--db`` if missing, migrates it, seeds the registry
   (``seed_registry``: the regions, 38 provinces and 514 regencies/cities, the central
   organisations, Surabaya's units) and generates ``--reports`` reports with their events in
   PostgreSQL itself (``INSERT … SELECT generate_series``: no ORM loop): every report has its
   ``submit`` event; most are verified, responded and closed, some archived or escalated, the
   recent ones still open; 5 % are confidential; then ``VACUUM ANALYZE`` (what autovacuum does
   on a live system). Rerunning reuses the database when it already holds that many reports. The aggregate tables of ``lapor.analytics`` are then built by the
   real service (``daily_stats_rebuild``) over the whole range, and timed.
2. **Selectors.** Times the analytics selectors (organisation profile, organisation dashboard,
   national dashboard, home counts) over ``--requests`` calls each, and counts their queries.
3. **Pages.** Requests each page that exists at run time (the officer inbox, an officer's report
   page, the public list, the organisation profile, the organisation and national dashboards, the
   home page) ``--requests`` times with Django's test ``Client`` in-process against that database
   (DEBUG off), and prints p50/p95 of the server-side time, with PASS/FAIL against p95 < 150 ms.
   Pages whose URL name is not in ``lapor/web/urls.py`` yet are listed as not found.

Prints the database size (``pg_database_size``) and the machine. The generated data stays (the
next run reuses it); drop it with ``dropdb -h 127.0.0.1 -U postgres lapor_bench_pages``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402

LIMIT_MS = 150.0
PG = "postgres://postgres@127.0.0.1:5432"
DAYS_BACK = 730  # two years of reports


def _setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SECRET_KEY", "bench-pages-" + "x" * 50)
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    # serve static URLs without a collectstatic manifest (the render work is the same)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _ensure_database(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db}"')
            print(f"created database {db}")


# --- data generation -------------------------------------------------------------------------

REPORTS_SQL = """
WITH ag AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM agencies_agency
), un AS (
    SELECT agency_id, (array_agg(id ORDER BY id))[1] AS unit_id FROM agencies_unit GROUP BY agency_id
), cat AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM agencies_category
), src AS (
    SELECT g,
           random() AS r_status, random() AS r_agency, random() AS r_resp, random() AS r_conf,
           random() AS r_cat, random() AS r_rate,
           now() - (random() * %(days)s) * interval '1 day' AS sub
    FROM generate_series(%(start)s, %(stop)s) AS g
), shaped AS (
    SELECT s.*,
           ag.ids[1 + floor(power(s.r_agency, 2.5) * array_length(ag.ids, 1))::int] AS agency_id,
           cat.ids[1 + floor(s.r_cat * array_length(cat.ids, 1))::int] AS category_id,
           CASE
             WHEN s.sub > now() - interval '3 days' AND s.r_status < 0.6 THEN 'submitted'
             WHEN s.sub > now() - interval '20 days' AND s.r_status < 0.5 THEN 'disposed'
             WHEN s.sub > now() - interval '40 days' AND s.r_status < 0.6 THEN 'in_progress'
             WHEN s.sub > now() - interval '60 days' AND s.r_status < 0.7 THEN 'responded'
             WHEN s.r_status < 0.02 THEN 'submitted'
             WHEN s.r_status < 0.04 THEN 'in_progress'
             WHEN s.r_status < 0.12 THEN 'archived'
             WHEN s.r_status < 0.14 THEN 'escalated'
             WHEN s.r_status < 0.18 THEN 'responded'
             ELSE 'closed'
           END AS status
    FROM src s, ag, cat
)
INSERT INTO reports_report (
    created_at, updated_at, tracking_id, type, title, content, address, channel, is_anonymous,
    is_confidential, reporter_key_hash, reporter_name, reporter_email, reporter_phone, status,
    is_postponed, postpone_reason, sla_class, deadline, deadline_step, clock_started_at,
    extension_reason, submitted_at, verified_at, first_response_at, responded_at, closed_at,
    archived_at, escalated_at, archive_reason, rating, rating_comment, supports_count,
    last_event_hash, import_source, agency_id, requested_agency_id, category_id, unit_id
)
SELECT
    x.sub, x.sub,
    'BENCH' || lpad(x.g::text, 9, '0'),
    (ARRAY['pengaduan','aspirasi','permintaan_informasi'])[1 + (x.g %% 3)],
    (ARRAY['Jalan rusak di depan sekolah dasar', 'Lampu penerangan jalan padam sejak seminggu',
           'Pelayanan KTP elektronik sangat lambat', 'Sampah menumpuk di pasar tradisional',
           'Saluran air tersumbat saat hujan deras', 'Antrean puskesmas terlalu panjang'])
           [1 + (x.g %% 6)] || ' nomor ' || x.g,
    'Mohon ditindaklanjuti: masalah ini sudah berlangsung lama dan mengganggu warga sekitar. '
    || 'Kami sudah melapor ke kelurahan tetapi belum ada tanggapan. Laporan ' || x.g,
    '', 'web', x.g %% 10 = 0, x.r_conf < 0.05, '', 'Warga ' || x.g, '', '',
    x.status, false, '', 'simple',
    CASE WHEN x.status IN ('submitted','disposed','in_progress','responded')
         THEN x.sub + interval '7 days' END,
    CASE x.status WHEN 'submitted' THEN 'verification' WHEN 'disposed' THEN 'first_response'
                  WHEN 'in_progress' THEN 'follow_up' WHEN 'responded' THEN 'closing' ELSE '' END,
    x.sub, '', x.sub,
    CASE WHEN x.status NOT IN ('submitted','archived') THEN x.sub + interval '1 day' END,
    CASE WHEN x.status IN ('responded','closed')
         THEN x.sub + interval '1 day' + x.r_resp * interval '9 days' END,
    CASE WHEN x.status IN ('responded','closed')
         THEN x.sub + interval '1 day' + x.r_resp * interval '9 days' END,
    CASE WHEN x.status = 'closed' THEN x.sub + interval '12 days' + x.r_resp * interval '9 days' END,
    CASE WHEN x.status = 'archived' THEN x.sub + interval '2 days' END,
    CASE WHEN x.status = 'escalated' THEN x.sub + interval '70 days' END,
    CASE WHEN x.status = 'archived' THEN 'unclear' ELSE '' END,
    CASE WHEN x.status = 'closed' AND x.r_rate < 0.4 THEN 1 + floor(x.r_rate * 12.4)::int END,
    '', 0, '', 'bench',
    CASE WHEN x.status NOT IN ('submitted','archived') THEN x.agency_id END,
    x.agency_id, x.category_id,
    CASE WHEN x.status IN ('in_progress','responded','closed') THEN un.unit_id END
FROM shaped x LEFT JOIN un ON un.agency_id = x.agency_id
"""

EVENTS_SQL = """
INSERT INTO reports_event (
    report_id, seq, action, at, actor_role, from_status, to_status, reason_code, text, deadline,
    sla_step, is_internal, data, prev_hash, hash, to_agency_id, to_unit_id
)
SELECT r.id, e.seq, e.action, e.at, e.role, e.from_status, e.to_status, '', '', e.deadline,
       e.step, false, e.data, '', md5(r.id::text || '-' || e.seq::text), e.to_agency, e.to_unit
FROM reports_report r
CROSS JOIN LATERAL (
    VALUES
      (1, 'submit', r.submitted_at, 'reporter', '', 'submitted',
       r.submitted_at + interval '3 days', 'verification', '{}'::jsonb, r.requested_agency_id,
       NULL::bigint, true),
      (2, 'verify', r.verified_at, 'agency_admin', 'submitted', 'disposed',
       r.verified_at + interval '5 days', 'first_response', '{}'::jsonb, r.agency_id, r.unit_id,
       r.verified_at IS NOT NULL),
      (2, 'archive', r.archived_at, 'national_admin', 'submitted', 'archived',
       NULL::timestamptz, '', '{}'::jsonb, NULL::bigint, NULL::bigint, r.archived_at IS NOT NULL),
      (3, 'respond', r.first_response_at, 'unit_admin', 'in_progress', 'responded',
       r.first_response_at + interval '14 days', 'closing', '{}'::jsonb, NULL::bigint,
       NULL::bigint, r.first_response_at IS NOT NULL),
      (3, 'escalate', r.escalated_at, 'reporter', 'disposed', 'escalated',
       NULL::timestamptz, '', '{"to": "ombudsman"}'::jsonb, NULL::bigint, NULL::bigint,
       r.escalated_at IS NOT NULL),
      (4, 'close', r.closed_at, 'reporter', 'responded', 'closed', NULL::timestamptz, '',
       '{}'::jsonb, NULL::bigint, NULL::bigint, r.closed_at IS NOT NULL),
      (5, 'rate', r.closed_at, 'reporter', 'closed', 'closed', NULL::timestamptz, '',
       jsonb_build_object('score', r.rating), NULL::bigint, NULL::bigint, r.rating IS NOT NULL)
) AS e(seq, action, at, role, from_status, to_status, deadline, step, data, to_agency, to_unit,
       present)
WHERE e.present AND r.id BETWEEN %(lo)s AND %(hi)s
"""


def generate(total: int) -> None:
    from django.db import connection

    from lapor.reports.models import Report

    have = Report.objects.count()
    if have >= total:
        print(f"reusing {have:,} reports")
        return
    step = 100_000
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.42)")
        for start in range(have + 1, total + 1, step):
            stop = min(total, start + step - 1)
            cur.execute(REPORTS_SQL, {"start": start, "stop": stop, "days": DAYS_BACK})
            print(f"  reports {stop:,} ({time.perf_counter() - t0:.0f} s)", flush=True)
        cur.execute("SELECT min(id), max(id) FROM reports_report WHERE import_source = 'bench'")
        lo, hi = cur.fetchone()
        cur.execute("SELECT coalesce(max(report_id), 0) FROM reports_event")
        done = cur.fetchone()[0]
        for a in range(max(lo, done + 1), hi + 1, step):
            cur.execute(EVENTS_SQL, {"lo": a, "hi": min(hi, a + step - 1)})
            print(f"  events up to report {min(hi, a + step - 1):,}", flush=True)
        # what autovacuum does on a live system: statistics and the visibility map (index-only
        # scans need it)
        cur.execute("VACUUM ANALYZE reports_report")
        cur.execute("VACUUM ANALYZE reports_event")
    print(f"generated {total - have:,} reports with events in {time.perf_counter() - t0:.0f} s")


def build_aggregates() -> None:
    from django.utils import timezone

    from lapor.analytics.models import DailyAgencyStat
    from lapor.analytics.services import daily_stats_rebuild

    if DailyAgencyStat.objects.exists():
        print("reusing the aggregate tables")
        return
    today = timezone.localdate()
    t0 = time.perf_counter()
    rows = daily_stats_rebuild(day_from=today - timedelta(days=DAYS_BACK + 2), day_to=today)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE analytics_dailyagencystat")
        cur.execute("VACUUM ANALYZE analytics_monthlyagencystat")
    print(
        f"daily_stats_rebuild over {DAYS_BACK} days: {rows:,} daily rows in "
        f"{time.perf_counter() - t0:.0f} s"
    )


def fixtures() -> dict[str, Any]:
    """An agency admin of the busiest organisation, a national admin, valid tracking IDs."""
    from django.db.models import Count

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.reports.models import Report
    from lapor.reports.tracking import new_tracking_id

    busiest = (
        Report.objects.filter(agency__isnull=False)
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("the benchmark database has no routed reports")
    agency = Agency.objects.get(pk=busiest["agency_id"])
    officer = User.objects.filter(email="bench-officer@example.id").first()
    if officer is None:
        officer = User.objects.create_user(
            "bench-officer@example.id", "bench-pass-123", role="agency_admin", agency=agency
        )
    national = User.objects.filter(email="bench-national@example.id").first()
    if national is None:
        national = User.objects.create_user(
            "bench-national@example.id", "bench-pass-123", role="national_admin"
        )
    picked = list(
        Report.objects.filter(agency=agency, is_confidential=False)
        .order_by("-submitted_at")
        .values_list("id", "tracking_id")[:20]
    )
    ids = []
    for pk, tid in picked:
        if tid.startswith("BENCH"):
            tid = new_tracking_id()
            Report.objects.filter(pk=pk).update(tracking_id=tid)
        ids.append(tid)
    return {"agency": agency, "officer": officer, "national": national, "tracking_ids": ids}


# --- measuring -------------------------------------------------------------------------------


def _pcts(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95


def time_calls(label: str, fn: Callable[[int], Any], n: int) -> tuple[float, float]:
    from django.db import connection

    fn(0)  # warm-up (connection, caches)
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn(0)
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t0) * 1000)
    p50, p95 = _pcts(samples)
    verdict = "PASS" if p95 < LIMIT_MS else "FAIL"
    print(
        f"  {label:<34} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {len(queries):3d} queries  {verdict}"
    )
    return p50, p95


def bench_selectors(fx: dict[str, Any], n: int) -> None:
    from django.utils import timezone

    from lapor.analytics import selectors

    agency, officer = fx["agency"], fx["officer"]
    today = timezone.localdate()
    print(f"selectors (limit p95 < {LIMIT_MS:.0f} ms), organisation {agency.code}:")
    time_calls(
        "agency_public_profile(12 months)",
        lambda i: selectors.agency_public_profile(agency=agency, months=12),
        n,
    )
    time_calls(
        "agency_dashboard(last 3 months)",
        lambda i: selectors.agency_dashboard(
            agency=agency, actor_user=officer, period=selectors.Period.last_months(3, today)
        ),
        n,
    )
    time_calls(
        "national_dashboard(12 months)",
        lambda i: selectors.national_dashboard(period=selectors.Period.last_months(12, today)),
        n,
    )
    time_calls("home_counts(this month)", lambda i: selectors.home_counts(month=today), n)


PAGES: list[tuple[str, tuple[str, ...], str]] = [
    # label, candidate URL names (first that exists wins), who
    ("officer inbox", ("web:inbox",), "officer"),
    ("report page (officer)", ("web:officer_report",), "officer"),
    ("public list", ("web:public_list",), "anonymous"),
    ("organisation profile", ("web:agency_profile",), "anonymous"),
    (
        "organisation dashboard",
        ("web:agency_dashboard", "web:dashboard_agency", "web:dashboard"),
        "officer",
    ),
    (
        "national dashboard",
        ("web:national_dashboard", "web:dashboard_national"),
        "national",
    ),
    ("home", ("web:home",), "anonymous"),
]


def _url_for(names: tuple[str, ...], fx: dict[str, Any]) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in names:
        for kwargs in ({}, {"code": fx["agency"].code}, {"tracking_id": fx["tracking_ids"][0]}):
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
    return None


def bench_pages(fx: dict[str, Any], n: int) -> list[str]:
    from django.test import Client

    clients = {"anonymous": Client()}
    for who in ("officer", "national"):
        c = Client()
        c.force_login(fx[who])
        clients[who] = c
    missing = []
    print(
        f"pages (server-side render, Django test Client in-process; limit p95 < {LIMIT_MS:.0f} ms):"
    )
    for label, names, who in PAGES:
        url = _url_for(names, fx)
        if url is None:
            missing.append(f"{label} ({' / '.join(names)})")
            continue
        client = clients[who]
        ids = fx["tracking_ids"]

        def get(
            i: int, url: str = url, client: Any = client, ids: list[str] = ids, label: str = label
        ) -> None:
            target = url
            if ids[0] in url:
                target = url.replace(ids[0], ids[i % len(ids)])
            response = client.get(target, secure=True)
            if response.status_code != 200:
                raise SystemExit(f"{label}: GET {target} answered {response.status_code}")

        time_calls(f"{label} {url}", get, n)
    if missing:
        print("pages not found (no such URL name yet): " + "; ".join(missing))
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="lapor_bench_pages")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args()

    _ensure_database(args.db)
    _setup_django(args.db)
    from django.core.management import call_command
    from django.db import connection

    from lapor.agencies.models import Agency

    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    if Agency.objects.count() < 500:
        call_command("seed_registry", verbosity=0)
    generate(args.reports)
    build_aggregates()
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM reports_report")
        reports = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM reports_event")
        events = cur.fetchone()[0]
    print(
        f"database {args.db}: {reports:,} reports, {events:,} events, "
        f"{Agency.objects.count()} organisations, size {size}"
    )
    fx = fixtures()
    bench_selectors(fx, args.requests)
    if not args.skip_pages:
        bench_pages(fx, args.requests)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"limit: p95 < {LIMIT_MS:.0f} ms per page; date {date.today().isoformat()}; "
        f"load average {load} (the machine is shared: p95 suffers first)"
    )


if __name__ == "__main__":
    main()
