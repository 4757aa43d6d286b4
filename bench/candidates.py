"""Recall of candidate generation: do the pairs pairing chooses hold the contradictions?

    python bench/candidates.py [--k 4 --floor 0.4] [--flags]

Two measures, per split of data/eval (the frozen test split only in totals):
- label recall: the labelled contradiction pairs (and sourcing pairs) whose two
  snippets fall in some candidate pair, out of all labelled pairs. No model needed.
- flag recall (``--flags``): the flags an exhaustive ``--all-pairs`` run raises that
  the candidate run also raises, with the share of pairs each run reads.
Writes bench/results/candidates.json.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from claimcheck.evaluate import label_spans, read_labels, spans_hit
from claimcheck.ingest import read_document
from claimcheck.pairing import PairingConfig
from claimcheck.pipeline import Auditor, prepare

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=PairingConfig.k)
    ap.add_argument("--floor", type=float, default=PairingConfig.floor)
    ap.add_argument("--flags", action="store_true", help="also compare with --all-pairs runs")
    args = ap.parse_args()
    config = PairingConfig(k=args.k, floor=args.floor)
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    read: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    flags: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    auditor = Auditor(pairing=config) if args.flags else None
    exhaustive = Auditor(all_pairs=True) if args.flags else None
    started = time.time()
    for path, label in read_labels(ROOT / "data" / "eval"):
        split = label.get("split", "tuning")
        doc = read_document(path)
        prepared = prepare(doc, config=config)
        read[split][0] += len(prepared.pairing.pairs)
        read[split][1] += prepared.pairing.total
        for e in label.get("flags", []):
            spans = label_spans(doc.text, e, path.name)
            hit = any(spans_hit(((p.a.start, p.a.end), (p.b.start, p.b.end)), spans)
                      for p in prepared.pairing.pairs)
            found[split][0] += hit
            found[split][1] += 1
        if auditor is not None and exhaustive is not None:
            ours = {f.claims for f in auditor.audit_document(doc).flags}
            every = {f.claims for f in exhaustive.audit_document(doc).flags}
            flags[split][0] += len(ours & every)
            flags[split][1] += len(every)
    result = {
        "config": {"k": args.k, "floor": args.floor},
        "label_recall": {s: {"found": f, "labelled": n, "recall": round(f / n, 3) if n else None}
                         for s, (f, n) in sorted(found.items())},
        "pairs_read": {s: {"read": r, "all": n, "share": round(r / n, 3) if n else None}
                       for s, (r, n) in sorted(read.items())},
        "minutes": round((time.time() - started) / 60, 1),
    }
    if args.flags:
        result["flag_recall_vs_all_pairs"] = {
            s: {"kept": k, "exhaustive": n, "recall": round(k / n, 3) if n else None}
            for s, (k, n) in sorted(flags.items())}
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "candidates.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
