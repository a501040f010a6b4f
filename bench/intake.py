"""Intake benchmark: report submissions over HTTP against a production-like server.

    .venv/bin/python bench/intake.py [--duration 15] [--connections 4] [--keep-db]

What it does (and undoes), all on this machine, traffic only to 127.0.0.1:

1. creates a fresh PostgreSQL database ``lapor_bench`` (``--pg`` URL of the server, default
   ``postgres://postgres@127.0.0.1:5432``), starts a private ``redis-server`` on a free port when
   one is installed (cache + task queue, as in production; otherwise the database cache and the
   SQLite task queue), migrates and seeds one region, agency and category;
2. starts ``gunicorn config.wsgi -w 2`` (DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   SECURE_SSL_REDIRECT=0, the submission rate limits raised through
   ``LAPOR_RATE_LIMIT_SUBMIT_PER_IP`` / ``…_PER_ACCOUNT``);
3. **maximum**: ``wrk`` (Debian's package; installed with apt-get if missing and we are root)
   with a Lua script POSTing distinct JSON reports to ``/api/v1/reports`` over ``--connections``
   keep-alive connections for ``--duration`` seconds (closed loop: as fast as the server answers);
   without wrk, the same with Python client processes. Prints reports/s and p50/p95/p99, and the
   CPU time per report of the gunicorn processes and of this database's PostgreSQL backends
   (from ``/proc/<pid>/stat``; the only figure that does not depend on what else the machine
   is running);
4. **the limit**, in the same run: single-row ``INSERT`` + ``COMMIT`` per second through psycopg
   into a table as wide as ``reports_report`` on the same database, with the same number of
   concurrent connections;
5. **half load**: two Python client processes starting requests at a *fixed arrival rate* of
   half the measured maximum, each request on a thread and connection of its own whether or not
   earlier ones were answered (open loop), its latency counted from its *scheduled* time — so a
   slow server cannot hide behind a waiting client (no coordinated omission). wrk2, which does
   this natively, is not packaged in Debian; plain ``wrk`` with fewer connections would still be a
   closed loop whose rate adapts to the server, so it cannot hold a given rate;
6. stops gunicorn and redis (their whole process groups) and drops the database.

Goal (issue 3): reports/s ≥ 0.2 × the insert limit, and p99 < 100 ms at half the maximum.
The bench stops by itself: every phase is bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
HOST = "127.0.0.1"
DB_NAME = "lapor_bench"
PATH = "/api/v1/reports"

LUA = r"""
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"type":"pengaduan","title":"Jalan berlubang nomor %d-%d di Kelurahan Contoh",' ..
    '"content":"Jalan di depan pasar berlubang besar sejak tiga bulan lalu dan sudah ' ..
    'menyebabkan beberapa pengendara motor jatuh. Mohon segera diperbaiki. Laporan %d-%d.",' ..
    '"agency":"bench-kota","category":"bench-infrastruktur","region":"99.01","channel":"web"}',
    thread_id, counter, thread_id, counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local out = {
    requests = summary.requests,
    duration_us = summary.duration,
    non2xx = summary.errors.status,
    connect_errors = summary.errors.connect,
    read_errors = summary.errors.read,
    write_errors = summary.errors.write,
    timeouts = summary.errors.timeout,
    p50_us = latency:percentile(50),
    p95_us = latency:percentile(95),
    p99_us = latency:percentile(99),
    max_us = latency.max,
  }
  local parts = {}
  for k, v in pairs(out) do table.insert(parts, string.format('"%s": %s', k, tostring(v))) end
  io.write("WRK_JSON {" .. table.concat(parts, ", ") .. "}\n")
end
"""

SEED = textwrap.dedent(
    """
    from lapor.agencies.models import Agency, Category, Region
    region, _ = Region.objects.get_or_create(
        code="99.01", defaults={"name": "Kota Bench", "level": 2, "kind": "kota"})
    Agency.objects.get_or_create(
        code="bench-kota", defaults={"name": "Pemerintah Kota Bench", "type": "kota",
                                     "region": region})
    Category.objects.get_or_create(code="bench-infrastruktur", defaults={"name_id": "Infrastruktur"})
    """
)


# --- helpers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: apt-get install -y wrk …", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, timeout=300)
        found = shutil.which("wrk")
    return found


def pg_admin(pg: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@contextlib.contextmanager
def process_group(
    cmd: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    handle = log.open("wb")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        handle.close()


def _cpu_seconds(pid: int) -> float:
    """utime + stime of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU time of the gunicorn master and workers, and of this database's PostgreSQL backends
    (read from /proc, so only where the database runs on this machine)."""

    def __init__(self, master: int, dsn: str) -> None:
        self.master = master
        self.dsn = dsn

    def _backends(self) -> list[int]:
        import psycopg

        with contextlib.suppress(Exception), psycopg.connect(self.dsn, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ).fetchall()
            return [int(r[0]) for r in rows]
        return []

    def sample(self) -> tuple[float, float]:
        server = sum(_cpu_seconds(p) for p in [self.master, *_children(self.master)])
        database = sum(_cpu_seconds(p) for p in self._backends())
        return server, database


def show_cpu(label: str, before: tuple[float, float], after: tuple[float, float], n: int) -> None:
    if n <= 0:
        return
    server = (after[0] - before[0]) / n * 1000
    database = (after[1] - before[1]) / n * 1000
    print(
        f"{'':<34} CPU per report ({label}): gunicorn {server:.2f} ms, "
        f"PostgreSQL backends {database:.2f} ms",
        flush=True,
    )


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url} within {timeout:.0f} s")


def body(tag: str, n: int) -> bytes:
    return json.dumps(
        {
            "type": "pengaduan",
            "title": f"Jalan berlubang nomor {tag}-{n} di Kelurahan Contoh",
            "content": "Jalan di depan pasar berlubang besar sejak tiga bulan lalu dan sudah "
            "menyebabkan beberapa pengendara motor jatuh. Mohon segera diperbaiki. "
            f"Laporan {tag}-{n}.",
            "agency": "bench-kota",
            "category": "bench-infrastruktur",
            "region": "99.01",
            "channel": "web",
        }
    ).encode()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- load generators -------------------------------------------------------------------------


def run_wrk(wrk: str, port: int, connections: int, duration: int, workdir: Path) -> dict:
    script = workdir / "post.lua"
    script.write_text(LUA)
    threads = max(1, min(2, connections))
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://{HOST}:{port}{PATH}",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    seconds = data["duration_us"] / 1e6
    ok = data["requests"] - data["non2xx"]
    return {
        "generator": f"wrk {threads} threads, {connections} connections (closed loop)",
        "ok": ok,
        "errors": data["non2xx"] + data["timeouts"] + data["read_errors"] + data["write_errors"],
        "seconds": seconds,
        "rate": ok / seconds,
        "p50": data["p50_us"] / 1000,
        "p95": data["p95_us"] / 1000,
        "p99": data["p99_us"] / 1000,
    }


_barrier = None


def _init_worker(barrier: object) -> None:
    global _barrier
    _barrier = barrier


def _synchronised_start(seconds: float) -> tuple[float, float]:
    """Wait until every process of the pool is up, then agree on a common start."""
    if _barrier is not None:
        _barrier.wait()  # type: ignore[attr-defined]
    start_at = time.time() + 0.2
    return start_at, start_at + seconds


def _one_request(port: int, payload: bytes) -> tuple[bool, float]:
    """POST once on a fresh connection; ``(ok, time it was sent)``."""
    conn = HTTPConnection(HOST, port, timeout=10)
    sent = time.time()
    try:
        conn.request("POST", PATH, body=payload, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return 200 <= response.status < 300, sent
    except OSError:
        return False, sent
    finally:
        conn.close()


def _client(
    args: tuple[int, int, float, float, int],
) -> tuple[list[float], int, int, list[float]]:
    """One client process for ``seconds``.

    ``rate == 0``: closed loop, one request at a time. ``rate > 0``: open loop — each request is
    started at its scheduled time on a thread of its own, whether or not earlier ones have been
    answered, and its latency is counted from that scheduled time.
    """
    worker, port, rate, seconds, cap = args
    start_at, stop_at = _synchronised_start(seconds)
    latencies: list[float] = []
    service: list[float] = []  # from the moment the request was really sent
    errors = 0
    n = 0
    while time.time() < start_at:
        time.sleep(min(0.01, max(0.0, start_at - time.time())))
    if rate <= 0:
        while n < cap and time.time() < stop_at:
            ok, sent = _one_request(port, body(f"p{worker}", n))
            done = time.time()
            if ok:
                latencies.append((done - sent) * 1000)
                service.append((done - sent) * 1000)
            else:
                errors += 1
            n += 1
        return latencies, errors, n, service

    def timed(index: int, scheduled: float) -> tuple[bool, float, float]:
        ok, sent = _one_request(port, body(f"p{worker}", index))
        done = time.time()
        return ok, (done - scheduled) * 1000, (done - sent) * 1000

    futures = []
    with ThreadPoolExecutor(max_workers=64) as pool:
        while n < cap:
            scheduled = start_at + n / rate
            if scheduled >= stop_at:
                break
            wait = scheduled - time.time()
            if wait > 0:
                time.sleep(wait)
            futures.append(pool.submit(timed, n, scheduled))
            n += 1
        for future in futures:
            ok, latency, from_send = future.result()
            if ok:
                latencies.append(latency)
                service.append(from_send)
            else:
                errors += 1
    return latencies, errors, n, service


def run_python_clients(port: int, processes: int, duration: int, total_rate: float) -> dict:
    per = total_rate / processes if total_rate > 0 else 0.0
    cap = int(per * duration) + 1 if per > 0 else 10**9
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes)
    with ctx.Pool(processes, initializer=_init_worker, initargs=(barrier,)) as pool:
        results = pool.map(
            _client, [(i, port, per, float(duration), cap) for i in range(processes)], chunksize=1
        )
    latencies = [x for lat, _e, _n, _s in results for x in lat]
    service = [x for _l, _e, _n, srv in results for x in srv]
    errors = sum(e for _l, e, _n, _s in results)
    loop = (
        f"fixed arrival rate {total_rate:.0f}/s (open loop, a thread per request)"
        if total_rate
        else "closed loop"
    )
    return {
        "generator": f"{processes} Python client processes, {loop}",
        "ok": len(latencies),
        "errors": errors,
        "seconds": float(duration),
        "rate": len(latencies) / duration,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "p99_from_send": pct(service, 99),
    }


# --- the limit -------------------------------------------------------------------------------

LIMIT_TABLE = """
CREATE TABLE IF NOT EXISTS bench_insert_limit (
  id bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  tracking_id varchar(16) NOT NULL UNIQUE, type varchar(32) NOT NULL,
  title varchar(150) NOT NULL, content text NOT NULL,
  category_id bigint, agency_id bigint, unit_id bigint, requested_agency_id bigint,
  region_id varchar(13), address varchar(500) NOT NULL, lat double precision,
  lon double precision, event_date date, channel varchar(16) NOT NULL,
  is_anonymous boolean NOT NULL, is_confidential boolean NOT NULL, reporter_id bigint,
  reporter_key_hash varchar(64) NOT NULL, reporter_name varchar(200) NOT NULL,
  reporter_email varchar(254) NOT NULL, reporter_phone varchar(32) NOT NULL,
  status varchar(16) NOT NULL, is_postponed boolean NOT NULL, deadline timestamptz,
  submitted_at timestamptz NOT NULL, last_event_hash varchar(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS bench_insert_limit_status ON bench_insert_limit (status, deadline);
"""
LIMIT_INSERT = """
INSERT INTO bench_insert_limit (created_at, updated_at, tracking_id, type, title, content,
  agency_id, region_id, address, channel, is_anonymous, is_confidential, reporter_key_hash,
  reporter_name, reporter_email, reporter_phone, status, is_postponed, deadline, submitted_at,
  last_event_hash)
VALUES (now(), now(), %s, 'pengaduan', %s, %s, 1, '99.01', '', 'web', false, false, %s, '', '',
  '', 'submitted', false, now() + interval '3 days', now(), %s)
"""


def _inserter(args: tuple[str, int, float]) -> int:
    import psycopg

    dsn, worker, seconds = args
    count = 0
    text = body("limit", worker).decode()
    with psycopg.connect(dsn, autocommit=True) as conn:
        start_at, stop_at = _synchronised_start(seconds)
        while time.time() < start_at:
            time.sleep(0.005)
        while time.time() < stop_at:
            conn.execute(
                LIMIT_INSERT,  # type: ignore[arg-type]
                (f"L{worker}-{count}", f"Judul laporan {worker}-{count}", text, "0" * 64, "0" * 64),
            )
            count += 1
    return count


def insert_limit(dsn: str, concurrency: int, duration: int) -> float:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in LIMIT_TABLE.split(";"):
            if statement.strip():
                conn.execute(statement)  # type: ignore[arg-type]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(concurrency)
    with ctx.Pool(concurrency, initializer=_init_worker, initargs=(barrier,)) as pool:
        counts = pool.map(
            _inserter, [(dsn, i, float(duration)) for i in range(concurrency)], chunksize=1
        )
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE bench_insert_limit")
    return sum(counts) / duration


# --- main ------------------------------------------------------------------------------------


def show(label: str, result: dict) -> None:
    print(
        f"{label:<34} {result['rate']:8.1f} reports/s   p50 {result['p50']:7.1f} ms   "
        f"p95 {result['p95']:7.1f} ms   p99 {result['p99']:7.1f} ms   "
        f"({result['ok']} ok, {result['errors']} errors; {result['generator']})",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per phase")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--python-clients", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--half-clients",
        type=int,
        default=0,
        help="client processes of the half-load pass (default 2; each starts requests on threads)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the lapor_bench database")
    args = parser.parse_args()
    duration = max(3, min(args.duration, 120))
    dsn = f"{args.pg}/{DB_NAME}"
    print(f"machine: {machine()}", flush=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    pg_admin(args.pg, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    pg_admin(args.pg, f"CREATE DATABASE {DB_NAME}")
    workdir = Path(tempfile.mkdtemp(prefix="lapor-bench-"))
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=dsn,
        LAPOR_VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        LAPOR_RATE_LIMIT_SUBMIT_PER_IP="100000000",
        LAPOR_RATE_LIMIT_SUBMIT_PER_ACCOUNT="100000000",
        LAPOR_CREATE_DEMO_ACCOUNTS="0",
        LOG_LEVEL="WARNING",
        PORT=str(port),
        HOST=HOST,
    )
    wrk = None if args.python_clients else ensure_wrk()
    status = 1
    try:
        status = run(args, env, dsn, workdir, port, duration, wrk)
    finally:
        if not args.keep_db:
            pg_admin(args.pg, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    if status == 0:
        shutil.rmtree(workdir, ignore_errors=True)
    return status


def run(
    args: argparse.Namespace,
    env: dict[str, str],
    dsn: str,
    workdir: Path,
    port: int,
    duration: int,
    wrk: str | None,
) -> int:
    status = 0
    with contextlib.ExitStack() as stack:
        if shutil.which("redis-server"):
            redis_port = free_port()
            stack.enter_context(
                process_group(
                    [
                        "redis-server",
                        "--bind",
                        HOST,
                        "--port",
                        str(redis_port),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                    env,
                    workdir / "redis.log",
                )
            )
            env["REDIS_URL"] = f"redis://{HOST}:{redis_port}/0"
            time.sleep(0.5)
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True)
        gunicorn = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(args.workers),
            "--threads",
            "1",
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ]
        server = stack.enter_context(process_group(gunicorn, env, workdir / "gunicorn.log"))
        wait_http(f"http://{HOST}:{port}/healthz", 30)
        meter = CpuMeter(server.pid, dsn)
        print(
            f"server: gunicorn config.wsgi -w {args.workers} (sync workers), DEBUG=0, "
            f"PostgreSQL database {DB_NAME}, "
            f"{'Redis cache and queue' if 'REDIS_URL' in env else 'database cache, SQLite queue'}",
            flush=True,
        )
        # warm-up (connections, imports, caches), then the service time of one request alone
        run_python_clients(port, 2, 2, 0)
        cpu0 = meter.sample()
        alone = run_python_clients(port, 1, min(duration, 5), 0)
        cpu1 = meter.sample()
        show("one client, one at a time", alone)
        show_cpu("one at a time", cpu0, cpu1, alone["ok"] + alone["errors"])

        cpu0 = meter.sample()
        if wrk:
            peak = run_wrk(wrk, port, args.connections, duration, workdir)
        else:
            peak = run_python_clients(port, args.connections, duration, 0)
        cpu1 = meter.sample()
        show("maximum (closed loop)", peak)
        show_cpu("maximum", cpu0, cpu1, peak["ok"] + peak["errors"])

        half_rate = peak["rate"] / 2
        # open loop: requests start on schedule, each on its own thread and connection
        half_clients = args.half_clients or 2
        half = run_python_clients(port, half_clients, duration, half_rate)
        show(f"half of maximum ({half_rate:.0f}/s)", half)
        print(
            f"{'':<34} (p99 counted from the actual send instead of the scheduled time: "
            f"{half['p99_from_send']:.1f} ms; the difference is the time the client waited "
            "for a CPU before it could send)",
            flush=True,
        )

        # last, so that its write load (WAL, checkpoints) does not disturb the HTTP passes
        limit = insert_limit(dsn, args.connections, duration)
        print(
            f"{'limit: INSERT+COMMIT via psycopg':<34} {limit:8.1f} rows/s      "
            f"({args.connections} connections, table as wide as reports_report)",
            flush=True,
        )

        ratio = peak["rate"] / limit if limit else 0.0
        print(
            f"result: {peak['rate']:.1f} reports/s = {ratio:.2f} × the insert limit "
            f"(goal ≥ 0.20: {'met' if ratio >= 0.2 else 'NOT met'}); p99 at half load "
            f"{half['p99']:.1f} ms (goal < 100 ms: {'met' if half['p99'] < 100 else 'NOT met'})",
            flush=True,
        )
        status = 0 if peak["errors"] == 0 and half["errors"] == 0 else 1
        if status:
            print(f"errors seen; server log: {workdir / 'gunicorn.log'}", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
