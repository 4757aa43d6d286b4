"""Warm audit time with torch's OpenMP threads spinning while they wait (libgomp's default)
or sleeping (``OMP_WAIT_POLICY=PASSIVE``, which claimcheck sets unless the user has set
it), on an idle machine and beside one busy process.

    python bench/omp_wait.py [--stories 4] [--rounds 2]

OpenMP reads the policy once, when torch loads, so each setting runs in a fresh process;
the settings take turns, ``rounds`` times, so that the machine's drift falls on both. The
busy load is one Python process spinning on one core (another job on a shared 2-core
machine). Each process loads the default auditor, warms it on one story, then audits
``stories`` typical BBC stories (25-35 claims, bench/audit_speed.py) twice each. Writes
bench/results/omp_wait.json: the median seconds per audit of each setting and the ratio
of the default policy's time to PASSIVE's (above 1: PASSIVE is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "" is not a policy libgomp knows, so it keeps its default (spin, then sleep); claimcheck
# leaves a value the user set alone, so "" also stops it setting PASSIVE
POLICIES = {"default": "", "passive": "PASSIVE"}


def worker(n: int) -> None:
    from audit_speed import timed, typical_stories

    from claimcheck.pipeline import Auditor

    stories = typical_stories(n)
    auditor = Auditor()
    timed(auditor, stories[0])
    runs = [timed(auditor, s)[0] for s in stories for _ in range(2)]
    print(json.dumps({"policy": os.environ.get("OMP_WAIT_POLICY"), "seconds": runs}))


def measure(policy: str, n: int) -> list[float]:
    env = os.environ | {"OMP_WAIT_POLICY": policy, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, __file__, "--worker", "--stories", str(n)],
                         env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.stories)
        return
    from batch_speed import cpu

    times: dict[str, list[float]] = {}
    for load in ("idle", "busy"):
        burner = (subprocess.Popen([sys.executable, "-c", "while True: pass"])
                  if load == "busy" else None)
        try:
            for _ in range(args.rounds):
                for name, policy in POLICIES.items():
                    times.setdefault(f"{load}_{name}", []).extend(measure(policy, args.stories))
        finally:
            if burner:
                burner.kill()
                burner.wait()
    result: dict[str, object] = {"cpu": cpu(), "cores": os.cpu_count(),
                                 "audits_per_setting": len(times["idle_default"])}
    for key, runs in times.items():
        result[f"{key}_median_seconds"] = round(statistics.median(runs), 3)
    for load in ("idle", "busy"):
        default, passive = (statistics.median(times[f"{load}_{p}"]) for p in POLICIES)
        result[f"{load}_default_over_passive"] = round(default / passive, 2)
    out = ROOT / "bench" / "results" / "omp_wait.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
