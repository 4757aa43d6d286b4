"""Where the labelled contradictions are lost, stage by stage, with the default cascade.

    python bench/where_lost.py [--splits tuning,heldout] [--show]

For each labelled contradiction of the chosen splits of data/eval: is its pair among the
candidates (pairing), does the small model's forward reading pass the cascade's screen
for it (``flags.screen_of``), what does the large model read (both ways, read here
whatever the screen said), and is it flagged. Also what the large model alone would
decide if it read every pair. The frozen test split may be counted (``--splits test``)
but never shown: ``--show`` prints the cases, for tuning and heldout stories only.
Writes bench/results/where_lost_<splits>.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from claimcheck.evaluate import label_spans, read_labels, spans_hit
from claimcheck.evidence import compare
from claimcheck.flags import decide, screen_of
from claimcheck.ingest import read_document
from claimcheck.nli import CascadeScorer, suspicion
from claimcheck.pipeline import Auditor, prepare

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("unpaired", "screened out", "large reads, no flag", "flagged")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", default="tuning,heldout")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    splits = set(args.splits.split(","))
    show = args.show and "test" not in splits
    auditor = Auditor()
    if not isinstance(auditor.scorer, CascadeScorer):
        raise SystemExit(f"the cascade is off: {auditor.note}")
    small, large, screen = auditor.scorer.small, auditor.scorer.large, auditor.scorer.screen
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    no_screen = Counter()
    rows = []
    for path, label in read_labels(ROOT / "data" / "eval", splits):
        doc = read_document(path)
        prepared = prepare(doc, config=auditor.pairing)
        report = auditor.finish(prepared, auditor.score(prepared))
        for expected in label.get("flags", []):
            spans = label_spans(doc.text, expected, label["story"])
            kind = expected["kind"]
            flagged = any(spans_hit(f.spans, spans) for f in report.flags)
            hits = [p for p in prepared.pairing.pairs
                    if spans_hit(((p.a.start, p.a.end), (p.b.start, p.b.end)), spans)]
            if not hits:
                stage = "flagged" if flagged else "unpaired"
                counts[kind][stage] += 1
                rows.append({"story": label["story"], "kind": kind, "stage": stage})
                continue
            pair = hits[0]
            texts = [(pair.a.text, pair.b.text), (pair.b.text, pair.a.text)]
            s_ab, s_ba = small.score(texts)
            l_ab, l_ba = large.score(texts)
            passed = suspicion(s_ab) >= screen_of(pair, prepared.context, auditor.config)
            stage = ("flagged" if flagged else
                     "screened out" if not passed else "large reads, no flag")
            counts[kind][stage] += 1
            alone = decide(pair, l_ab, l_ba, prepared.context, auditor.config)
            no_screen[kind] += alone is not None
            evidence = compare(pair.a, pair.b, prepared.context)
            verdict = evidence and ("conflict" if evidence.conflict else "agree")
            rows.append({
                "story": label["story"], "kind": kind, "stage": stage,
                "small_c": [round(s_ab.contradiction, 3), round(s_ba.contradiction, 3)],
                "suspicion": round(suspicion(s_ab), 3),
                "large_c": [round(l_ab.contradiction, 3), round(l_ba.contradiction, 3)],
                "evidence": evidence and f"{evidence.kind}/{evidence.strength}/{verdict}",
                "large_alone_flags": alone is not None,
                **({"a": pair.a.text, "b": pair.b.text} if show else {}),
            })
    total = Counter()
    for c in counts.values():
        total.update(c)
    print(f"{'kind':<18}" + "".join(f"{s:>22}" for s in STAGES) + f"{'large, no screen':>18}")
    for kind in sorted(counts) + ["all"]:
        c = total if kind == "all" else counts[kind]
        alone = sum(no_screen.values()) if kind == "all" else no_screen[kind]
        print(f"{kind:<18}" + "".join(f"{c[s]:>22}" for s in STAGES) + f"{alone:>18}")
    if show:
        for r in rows:
            if r["stage"] != "flagged" and "a" in r:
                print(json.dumps(r))
    out = ROOT / "bench" / "results" / f"where_lost_{'_'.join(sorted(splits))}.json"
    out.write_text(json.dumps({"splits": sorted(splits), "screen": screen,
                               "evidence_screen": auditor.config.evidence_screen,
                               "by_kind": {k: dict(v) for k, v in counts.items()},
                               "total": dict(total), "large_no_screen": dict(no_screen),
                               "cases": [r for r in rows if "a" not in r] if not show else rows},
                              indent=1) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
