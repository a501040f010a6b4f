"""What a benchmark prints about the machine it ran on (its figures mean nothing without it)."""

from __future__ import annotations

import contextlib
import os
import platform
from pathlib import Path


def _proc_value(path: str, prefix: str) -> str | None:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    return None


def machine() -> str:
    """CPUs, CPU model, memory, the 1-minute load average, OS and Python."""
    cpu = _proc_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"
    ram = "unknown RAM"
    mem_kb = _proc_value("/proc/meminfo", "MemTotal")
    if mem_kb:
        with contextlib.suppress(ValueError, IndexError):
            ram = f"{int(mem_kb.split()[0]) / 1024 / 1024:.1f} GiB RAM"
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"nproc {cpus}, {cpu}, {ram}, load average {load:.1f} (1 min), "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
