"""Warm audit time of one typical story (about 30 claims), against the same audit in fp32
(``--precision fp32``), --all-pairs and the small model alone (no cascade), in one run.

    python bench/audit_speed.py [--stories 12]

Stories are BBC stories (../shared/data/news) with 25-35 checkable claims, every k-th
of the sorted archive. The auditor is loaded and warmed once; each story is then timed
end to end (claims, pairing with its embeddings, NLI, flags), and the time split into
the stages before the model and the model itself. Writes bench/results/audit_speed.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tarfile
import time

import torch
from batch_speed import ARCHIVE, ROOT, cpu

from claimcheck.ingest import make_document
from claimcheck.loading import pick_precision
from claimcheck.pipeline import Auditor, prepare


def typical_stories(n: int) -> list[str]:
    out = []
    with tarfile.open(ARCHIVE) as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")),
                         key=lambda m: m.name)
        for m in members[::7]:
            text = tar.extractfile(m).read().decode("utf-8", "replace")  # type: ignore[union-attr]
            claims = prepare(make_document(text), all_pairs=True).claims
            if 25 <= sum(c.checkable for c in claims) <= 35:
                out.append(text)
            if len(out) == n:
                break
    return out


def timed(auditor: Auditor, text: str) -> tuple[float, float, int]:
    """(total seconds, seconds before the model, pairs read)."""
    started = time.perf_counter()
    prepared = prepare(make_document(text), auditor.all_pairs, auditor.pairing)
    before = time.perf_counter() - started
    auditor.finish(prepared, auditor.score(prepared))
    return time.perf_counter() - started, before, len(prepared.pairing.pairs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=12)
    args = ap.parse_args()
    stories = typical_stories(args.stories)
    rows = {}
    variants = (("default", Auditor()), ("default_fp32", Auditor(precision="fp32")),
                ("small_model_alone", Auditor(large=None)),
                ("all_pairs", Auditor(all_pairs=True)))
    for name, auditor in variants:
        timed(auditor, stories[0])  # warm: model, encoder, caches
        runs = [timed(auditor, s) for s in stories]
        rows[name] = {"median_seconds": round(statistics.median(r[0] for r in runs), 3),
                      "median_seconds_before_model": round(statistics.median(r[1] for r in runs),
                                                           3),
                      "median_pairs": statistics.median(r[2] for r in runs)}
    result = {"cpu": cpu(), "stories": len(stories), "claims": "25-35 checkable",
              "default_precision": pick_precision(None, torch.device("cpu")), **rows,
              "default_vs_fp32": round(rows["default_fp32"]["median_seconds"]
                                       / rows["default"]["median_seconds"], 2),
              "default_vs_all_pairs": round(rows["all_pairs"]["median_seconds"]
                                            / rows["default"]["median_seconds"], 2),
              "default_vs_small_model_alone": round(
                  rows["small_model_alone"]["median_seconds"]
                  / rows["default"]["median_seconds"], 2)}
    (ROOT / "bench" / "results" / "audit_speed.json").write_text(
        json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
