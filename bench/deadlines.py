"""Benchmark: due dates of 1,000,000 reports on the Indonesian working-day calendar.

    .venv/bin/python bench/deadlines.py [--reports 1000000] [--loop-sample 20000]

Random clock-start days in 2022–2026 and a number of working days drawn from the default SLA
ladder's working-day rules. The vectorised path (`workdays.add_working_days_many`:
`numpy.busday_offset`, weekmask Mon–Fri and the holiday list) is timed on all reports (best of 5);
the plain per-report loop (`workdays.add_working_days`) is timed on a sample and extrapolated.
The two are checked to agree on the sample and on a random sample of the rest. Pure: no Django.
Exit status 1 when the goal is missed or the results disagree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine
from lapor.deadlines.sla import DEFAULT_LADDER
from lapor.deadlines.workdays import (
    WorkCalendar,
    add_working_days,
    add_working_days_many,
)

GOAL_PER_SECOND = 1_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--loop-sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20250327)
    args = parser.parse_args()

    built = time.perf_counter()
    cal = WorkCalendar.from_holidays(range(2022, 2028))
    built = time.perf_counter() - built

    rng = np.random.default_rng(args.seed)
    first = np.datetime64("2022-01-01", "D")
    span = int((np.datetime64("2026-12-31", "D") - first).astype(int)) + 1
    starts = first + rng.integers(0, span, size=args.reports).astype("timedelta64[D]")
    ladder_days = np.array([r.days for r in DEFAULT_LADDER.rules if r.working_days])
    n = rng.choice(ladder_days, size=args.reports)

    add_working_days_many(starts[:1000], n[:1000], cal)  # warm-up
    timings = []
    due = np.empty(0, dtype="datetime64[D]")
    for _ in range(5):
        t0 = time.perf_counter()
        due = add_working_days_many(starts, n, cal)
        timings.append(time.perf_counter() - t0)
    vec_seconds = min(timings)
    vec_rate = args.reports / vec_seconds

    sample = min(args.loop_sample, args.reports)
    sample_starts = [d.item() for d in starts[:sample]]
    sample_n = [int(k) for k in n[:sample]]
    t0 = time.perf_counter()
    loop_due = [add_working_days(s, k, cal) for s, k in zip(sample_starts, sample_n, strict=True)]
    loop_seconds = time.perf_counter() - t0
    loop_rate = sample / loop_seconds

    agree = [d.item() for d in due[:sample]] == loop_due
    extra = rng.integers(0, args.reports, size=min(2_000, args.reports))
    agree_extra = all(
        due[i].item() == add_working_days(starts[i].item(), int(n[i]), cal) for i in extra
    )

    passed = vec_rate >= GOAL_PER_SECOND and agree and agree_extra
    print("bench/deadlines.py — due dates on the Indonesian working-day calendar")
    print(f"machine:    {machine()}, numpy {np.__version__}")
    print(
        f"calendar:   2022–2027, {len(cal.holidays)} holidays and cuti bersama "
        f"(built in {built * 1000:.0f} ms)"
    )
    print(
        f"workload:   {args.reports:,} reports, starts 2022–2026, working days from the ladder "
        f"{sorted(set(ladder_days.tolist()))}"
    )
    print(
        f"vectorised: {vec_rate:>14,.0f} reports/s  ({vec_seconds * 1000:.1f} ms for "
        f"{args.reports:,}, best of 5; numpy.busday_offset)"
    )
    print(
        f"plain loop: {loop_rate:>14,.0f} reports/s  (timed on {sample:,} reports in "
        f"{loop_seconds:.2f} s, extrapolated: {args.reports / loop_rate:.1f} s for "
        f"{args.reports:,})"
    )
    print(f"speed-up:   {vec_rate / loop_rate:,.0f}×")
    print(
        f"agreement:  {'yes' if agree else 'NO'} on the {sample:,} looped reports, "
        f"{'yes' if agree_extra else 'NO'} on {len(extra):,} random others"
    )
    print(f"limit:      {GOAL_PER_SECOND:,} reports/s (vectorised)")
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
