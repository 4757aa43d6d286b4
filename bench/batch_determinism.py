"""What a story-by-story NLI call costs against pooling a chunk's pairs, and why it is
paid: pooled fp32 scores move with their batch mates.

    python bench/batch_determinism.py [--stories 60] [--chunk 32] [--repeats 3]

On the same sample as bench/batch_speed.py (every k-th BBC story), prepares every story
once, then times the model alone (both directions, as the batch path reads them) in
the two ways, alternating, best of ``--repeats``:
  pooled     one length-sorted call over the pairs of a whole chunk of stories
             (claimcheck batch before the determinism fix)
  per story  one call per story, as ``claimcheck audit`` makes it (the batch path now)
It also reports how far a pair's pooled scores stray from its per-story ones, and on
how many pairs that changes a score as the report prints it (4 decimals).
Writes bench/results/batch_determinism.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from batch_speed import cpu, sample_folder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=60)
    ap.add_argument("--chunk", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    import torch

    from claimcheck.ingest import read_document
    from claimcheck.pipeline import Auditor, prepare

    auditor = Auditor()
    with tempfile.TemporaryDirectory() as tmp:
        paths = sample_folder(args.stories, Path(tmp))
        stories = [prepare(read_document(p), False, auditor.pairing).texts for p in paths]
    chunks = [stories[lo: lo + args.chunk] for lo in range(0, len(stories), args.chunk)]
    score = auditor.scorer.score_both

    def pooled() -> list:
        out = []
        for chunk in chunks:
            out += score([t for story in chunk for t in story], auditor.config.lowest_gate)
        return out

    def per_story() -> list:
        return [s for story in stories for s in score(story, auditor.config.lowest_gate)]

    best = {"pooled": float("inf"), "per_story": float("inf")}
    results = {}
    for _ in range(args.repeats):
        for name, run in (("pooled", pooled), ("per_story", per_story)):
            start = time.perf_counter()
            results[name] = run()
            best[name] = min(best[name], time.perf_counter() - start)
    pairs = len(results["per_story"])
    diffs, printed = 0.0, 0
    for (fa, ba), (fb, bb) in zip(results["pooled"], results["per_story"], strict=True):
        for x, y in ((fa, fb), (ba, bb)):
            diffs = max(diffs, *(abs(a - b) for a, b in zip(
                (x.entailment, x.neutral, x.contradiction),
                (y.entailment, y.neutral, y.contradiction), strict=True)))
            printed += x.as_dict() != y.as_dict()
    summary = {
        "stories": len(stories), "pairs": pairs, "chunk": args.chunk,
        "cpu": cpu(), "torch_threads": torch.get_num_threads(),
        "pooled_seconds": round(best["pooled"], 3),
        "per_story_seconds": round(best["per_story"], 3),
        "per_story_cost": round(best["per_story"] / best["pooled"], 3),
        "max_abs_score_difference": diffs,
        "score_readings_printed_differently": printed,
        "score_readings": 2 * pairs,
    }
    print(json.dumps(summary, indent=1))
    out = ROOT / "bench" / "results" / "batch_determinism.json"
    out.write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
