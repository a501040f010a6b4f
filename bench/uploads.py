"""Benchmark: what an image upload costs a worker, against the probe of issue 12.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/uploads.py

The probe sent one request with five small (flat) 6300 × 6300 PNGs and held a worker for 36 s and
310 MB. Here `attachments_prepare` (what the submission runs before its transaction) is timed in a
fresh child process per case, which reports its wall time and the growth of its peak RSS:

- the probe's five PNGs: refused from their headers (goal: under 1 s and 50 MB);
- the worst accepted request: one image at the per-image limit plus small photos within the
  per-submission budget (goal: under 10 s and 400 MB; the figure bounds what one request can
  make a worker spend on images).

Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOALS = {"probe": (1.0, 50.0), "worst_accepted": (10.0, 400.0)}


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _jpeg(width: int, height: int) -> bytes:
    import numpy as np
    from PIL import Image

    pixels = np.random.default_rng(1).integers(0, 255, (height, width, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=85)
    return out.getvalue()


def _files(case: str, folder: Path) -> list[Path]:
    """The request's files, written by the parent (making them would raise the child's peak)."""
    import django

    django.setup()
    from django.conf import settings

    limit = int(settings.LAPOR["MAX_IMAGE_PIXELS"])
    budget = int(settings.LAPOR["MAX_IMAGE_PIXELS_TOTAL"])
    if case == "probe":
        files = [_png(6300, 6300)] * 5
    else:
        side = math.isqrt(limit)
        small = _jpeg(2000, 1500)  # a 3-megapixel photo
        rest = (budget - side * side) // (2000 * 1500)
        files = [_png(side, side)] + [small] * min(4, rest)
    paths = []
    for index, data in enumerate(files):
        path = folder / f"{case}-{index}.img"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _peak_rss_kb() -> int:
    """The process's peak resident set (VmHWM), in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss_reset() -> int:
    """Reset the peak to the current resident set (Linux keeps a parent's peak across exec) and
    return it."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _peak_rss_kb()


def _child(paths: list[str]) -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lapor.core.errors import ValidationFailed
    from lapor.reports.attachments import attachments_prepare

    files = [Path(p).read_bytes() for p in paths]
    uploads = [SimpleUploadedFile(f"{i}.img", data) for i, data in enumerate(files)]
    before = _peak_rss_reset()
    started = time.perf_counter()
    try:
        prepared = attachments_prepare(uploads)
        outcome = f"accepted {len(prepared)} files"
    except ValidationFailed as exc:
        outcome = f"refused {len(exc.errors or [])} files"
    seconds = time.perf_counter() - started
    grown = (_peak_rss_kb() - before) / 1024
    print(json.dumps({"seconds": seconds, "mb": grown, "outcome": outcome, "files": len(files)}))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
        return 0
    from bench.machine import machine

    print(f"machine: {machine()}")
    failed = False
    folder = Path(tempfile.mkdtemp(prefix="lapor-bench-uploads-"))
    for case, (max_seconds, max_mb) in GOALS.items():
        paths = [str(p) for p in _files(case, folder)]
        run = subprocess.run(
            [sys.executable, __file__, "--child", *paths],
            capture_output=True,
            text=True,
            check=True,
        )
        for path in paths:
            Path(path).unlink()
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        ok = figures["seconds"] <= max_seconds and figures["mb"] <= max_mb
        failed = failed or not ok
        print(
            f"{case:15} {figures['files']} files, {figures['outcome']}: "
            f"{figures['seconds']:.2f} s (limit {max_seconds:.0f} s; the probe: 36 s), "
            f"peak RSS +{figures['mb']:.0f} MB (limit {max_mb:.0f} MB; the probe: 310 MB) "
            f"{'ok' if ok else 'MISSED'}"
        )
    folder.rmdir()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
