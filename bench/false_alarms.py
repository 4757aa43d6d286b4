"""False alarms on real news: flags on professionally edited BBC stories.

    python bench/false_alarms.py [--stories 500] [--sample 50]

The BBC stories (../shared/data/news, 2004-2005) are edited copy, so most flags
claimcheck raises on them are false alarms. Reported: the share of stories with a flag
of severity >= 0.5 (the target is at most 8%), flags per story by kind, and a fixed
random sample of flags written out whole (both claims, kind, severity, explanation) to
``bench/results/false_alarm_sample.jsonl`` for a person to classify as a true
inconsistency, a defensible note, or a false alarm. The classified counts are kept in
the README. Every k-th story of the sorted archive is taken, so all five sections are
represented; nothing here was tuned on. Writes bench/results/false_alarms.json.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from batch_speed import ROOT, cpu, sample_folder

from claimcheck.pipeline import Auditor

SEVERE = 0.5


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=500)
    ap.add_argument("--sample", type=int, default=50)
    args = ap.parse_args()
    auditor = Auditor()
    kinds: Counter[str] = Counter()
    severe_kinds: Counter[str] = Counter()
    flagged = severe = 0
    every = []
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        paths = sample_folder(args.stories, Path(tmp))[: args.stories]
        for path in paths:
            report = auditor.audit_file(path)
            by_id = {c.id: c for c in report.claims}
            kinds.update(f.kind for f in report.flags)
            severe_kinds.update(f.kind for f in report.flags if f.severity >= SEVERE)
            flagged += bool(report.flags)
            severe += any(f.severity >= SEVERE for f in report.flags)
            name = str(path.relative_to(tmp))
            every += [{"story": name, "kind": f.kind, "severity": round(f.severity, 3),
                       "a": by_id[f.claims[0]].text, "b": by_id[f.claims[1]].text,
                       "explanation": f.explanation} for f in report.flags]
    total = sum(kinds.values())
    sample = random.Random(13).sample(every, min(args.sample, len(every)))
    result = {
        "cpu": cpu(),
        "stories": len(paths),
        "minutes": round((time.time() - started) / 60, 1),
        "stories_with_a_flag": round(flagged / len(paths), 3),
        f"stories_with_severity_{SEVERE}": round(severe / len(paths), 3),
        "flags": total,
        "flags_per_story": round(total / len(paths), 3),
        "flags_by_kind": dict(kinds.most_common()),
        f"flags_by_kind_severity_{SEVERE}": dict(severe_kinds.most_common()),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "false_alarms.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "false_alarm_sample.jsonl").write_text(
        "".join(json.dumps(f) + "\n" for f in sample))
    for k, v in result.items():
        print(f"{k:<28}  {v}")


if __name__ == "__main__":
    main()
