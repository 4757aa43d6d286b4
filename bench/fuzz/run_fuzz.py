"""Fuzz claimcheck's input stages at length: the properties of tests/fuzzing.py (which
the test suite runs with a small budget), here with thousands of examples each.

    python bench/fuzz/run_fuzz.py [--examples 10000] [--seed 1] [--only text json ...]

The budget is split over the properties in proportion to WEIGHTS. Each property counts
the inputs it was given and the failures hypothesis reports (distinct bugs, each shrunk
to a smallest example). Prints a table and writes bench/results/fuzz.json.
Exit code 1 when any property failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from tests.fuzzing import PROPERTIES, run_property  # noqa: E402

# Share of the budget: the cheap stages get more examples, the report (which runs the
# pairing encoder) fewer.
WEIGHTS = {"values": 3, "sentences": 2, "file": 2, "html": 1, "json": 1, "text": 1}


def fuzz(name: str, examples: int, seed: int) -> dict:
    """Run one property; the inputs it saw, its failures, and the time it took."""
    _, check = PROPERTIES[name]
    calls = 0

    def counted(*args: object) -> None:
        nonlocal calls
        calls += 1
        check(*args)

    started = time.time()
    failures: list[str] = []
    try:
        run_property(name, examples, check=counted, seed=seed, database=None)
    except Exception as err:  # hypothesis raises the (grouped) shrunk failures
        errors = getattr(err, "exceptions", None) or [err]
        failures = ["".join(traceback.format_exception_only(type(e), e)).strip()[:2000]
                    for e in errors]
    return {"property": name, "budget": examples, "inputs_run": calls,
            "failures": failures, "seconds": round(time.time() - started, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=10_000, help="total over all properties")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="*", choices=sorted(PROPERTIES), default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fuzz.json")
    args = ap.parse_args()

    names = args.only or [n for n in WEIGHTS if n in PROPERTIES]
    total_weight = sum(WEIGHTS.get(n, 1) for n in names)
    results = []
    for name in names:
        budget = max(1, args.examples * WEIGHTS.get(name, 1) // total_weight)
        result = fuzz(name, budget, args.seed)
        results.append(result)
        status = "ok" if not result["failures"] else f"{len(result['failures'])} FAILED"
        print(f"{name:10} {result['inputs_run']:>7} inputs  {result['seconds']:>8.1f} s  "
              f"{status}", flush=True)
        for failure in result["failures"]:
            print("    " + failure.replace("\n", "\n    ")[:1500], flush=True)
    summary = {
        "examples_budget": args.examples, "seed": args.seed,
        "inputs_run": sum(r["inputs_run"] for r in results),
        "failures": sum(len(r["failures"]) for r in results),
        "seconds": round(sum(r["seconds"] for r in results), 1),
        "python": platform.python_version(), "machine": platform.machine(),
        "properties": results,
    }
    print(f"total      {summary['inputs_run']:>7} inputs  {summary['seconds']:>8.1f} s  "
          f"{summary['failures']} failure(s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
