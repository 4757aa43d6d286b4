"""Audit time and peak memory as a story grows: 1x, 4x, 16x, 64x a typical story, then
200 KB and 2 MB.

    python bench/long_story.py [--sizes 1,4,16,64] [--big 200000,2000000]

Long inputs are BBC politics stories (../shared/data/news) concatenated in a fixed
order, the headline of the first kept as the headline. Each size is audited by a fresh
``claimcheck audit --format json`` process, so the time is end to end (model loading
included: its share is the 1x point) and the peak RSS is that process's own. The growth
exponent is the slope of log(time) over log(size) from 4x up. Writes
bench/results/long_story.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from batch_speed import ARCHIVE, ROOT, cpu


def politics_stories() -> list[str]:
    with tarfile.open(ARCHIVE) as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile() and "/politics/" in m.name
                          and m.name.endswith(".txt")), key=lambda m: m.name)
        return [tar.extractfile(m).read().decode("utf-8", "replace")  # type: ignore[union-attr]
                for m in members]


def build(stories: list[str], size: int) -> str:
    """About ``size`` characters: whole stories, bodies after the first's headline."""
    parts, total, i = [], 0, 0
    while total < size:
        text = stories[i % len(stories)]
        body = text if i == 0 else text.split("\n", 1)[-1]
        parts.append(body.strip())
        total += len(body)
        i += 1
    return "\n\n".join(parts)[: max(size, 1)]


def audit(path: Path) -> dict:
    """One fresh process: seconds, peak RSS (MiB) and what the report says."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "claimcheck.cli", "audit", str(path),
                           "--format", "json", "--max-bytes", str(50_000_000)],
                          capture_output=True, text=True, env=os.environ | {
                              "OMP_WAIT_POLICY": "PASSIVE", "HF_HUB_OFFLINE": "1"})
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1):
        return {"error": done.stderr.strip().splitlines()[-1:], "seconds": seconds}
    report = json.loads(done.stdout)
    return {"seconds": round(seconds, 2),
            "peak_rss_mib": round(max(peak, before) / 1024, 1),  # the largest child so far
            "claims": len(report["claims"]), "flags": len(report["flags"]),
            "windowed": report.get("windowed")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,4,16,64")
    ap.add_argument("--big", default="200000,2000000")
    args = ap.parse_args()
    stories = politics_stories()
    typical = sorted(len(s) for s in stories)[len(stories) // 2]
    points = [(f"{m}x", m * typical) for m in map(int, args.sizes.split(","))]
    points += [(f"{b // 1000} KB", b) for b in map(int, args.big.split(",")) if b]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, size in points:
            path = Path(tmp) / f"long_{size}.txt"
            path.write_text(build(stories, size), encoding="utf-8")
            row = {"size": name, "chars": path.stat().st_size} | audit(path)
            rows.append(row)
            print(json.dumps(row), flush=True)
    fit = [(math.log(r["chars"]), math.log(r["seconds"])) for r in rows
           if "error" not in r and r["chars"] >= 4 * typical]
    slope = None
    if len(fit) >= 2:
        mx = sum(x for x, _ in fit) / len(fit)
        my = sum(y for _, y in fit) / len(fit)
        slope = sum((x - mx) * (y - my) for x, y in fit) / sum((x - mx) ** 2 for x, _ in fit)
    result = {"cpu": cpu(), "typical_story_chars": typical, "points": rows,
              "growth_exponent": round(slope, 3) if slope is not None else None}
    (ROOT / "bench" / "results" / "long_story.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({"growth_exponent": result["growth_exponent"]}))


if __name__ == "__main__":
    main()
