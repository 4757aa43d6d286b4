"""False-alarm proxy: flags per story on professionally edited BBC stories.

    python bench/false_alarms.py [--stories 40]

The BBC stories (../shared/data/news) are edited copy, so nearly every flag claimcheck
raises on them is a false alarm. Flags per story, by kind, are therefore a
rough upper bound on the false-alarm rate on real news, complementing the small
labelled set in data/eval. Uses the same fixed sample as bench/batch_speed.py.
Writes bench/results/false_alarms.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from batch_speed import ROOT, sample_folder

from claimcheck.pipeline import Auditor


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=40)
    args = ap.parse_args()
    auditor = Auditor()
    kinds: Counter[str] = Counter()
    flagged = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = sample_folder(60, Path(tmp))[: args.stories]
        for path in paths:
            report = auditor.audit_file(path)
            kinds.update(f.kind for f in report.flags)
            flagged += bool(report.flags)
    total = sum(kinds.values())
    result = {
        "stories": len(paths),
        "flags": total,
        "flags_per_story": round(total / len(paths), 3),
        "stories_with_a_flag": round(flagged / len(paths), 3),
        "flags_by_kind": dict(kinds.most_common()),
    }
    out = ROOT / "bench" / "results" / "false_alarms.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    for k, v in result.items():
        print(f"{k:<20}  {v}")


if __name__ == "__main__":
    main()
