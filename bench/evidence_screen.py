"""Which pairs the cascade's large model should re-read on less suspicion: three rules
compared on calibration data only, quality against large-model reads.

    python bench/evidence_screen.py --cache runs/cal_v5.pkl

Reads the caches ``bench/calibrate.py --large ... --cache`` writes (every candidate pair of
the tuning and heldout stories and 278 BBC dev stories, read both ways by the small model;
the large model's readings of every pair the lowest screens pass, which must include the
pairs with a typed conflict or a hint down to the lowest evidence screen). For each rule,
the pairs it names get ``evidence_screen`` and the rest the plain ``screen``
(``flags.screen_of`` is the "typed" rule):
  both    a typed conflict or a hint (``evidence.hinted``)
  typed   a typed conflict
  hint    a hint
at the cascade's bars and a few hint bars and screens. Reported: flag precision, recall
and F1 on the stories, BBC dev stories with a severe flag, the share of BBC dev pairs
re-read, and the large model's readings per BBC dev pair (reverse readings included, as
``flags.reverse_gate`` asks for them: the cost). Writes
bench/results/evidence_screen_variants.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import calibrate
from calibrate import ROOT, dev_at, measure

from claimcheck.evidence import hinted
from claimcheck.flags import CASCADE, FlagConfig, screen_of
from claimcheck.schema import ClaimPair, StoryContext

Rule = Callable[[ClaimPair, StoryContext, FlagConfig], float]


def _hint(pair: ClaimPair, ctx: StoryContext, config: FlagConfig) -> float:
    return min(config.evidence_screen, config.screen) if hinted(pair.a, pair.b) else config.screen


RULES: dict[str, Rule] = {
    "both": lambda pair, ctx, config: min(screen_of(pair, ctx, config), _hint(pair, ctx, config)),
    "typed": screen_of,  # the shipped rule
    "hint": _hint,
}
POINTS = [(0.5, 0.85), (0.6, 0.85), (0.5, 0.9), (0.6, 0.9), (0.6, 0.98)]  # (hint bar, screen)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, required=True)
    args = ap.parse_args()
    stories, bbc = pickle.loads(args.cache.read_bytes())
    large_stories, large_bbc = pickle.loads(args.cache.with_suffix(".large.pkl").read_bytes())
    rows = []
    for (name, rule), (hint, screen) in itertools.product(RULES.items(), POINTS):
        calibrate.screen_of = rule  # calibrate.cascade routes each pair by it
        config = replace(CASCADE, hint_threshold=hint, evidence_screen=screen)
        dev, load = dev_at(stories, bbc, large_stories, large_bbc, config)
        m = measure(*dev, config)
        rows.append({"rule": name, "hint_threshold": hint, "evidence_screen": screen,
                     "bbc_pairs_reread": round(load.share, 4),
                     "large_reads_per_bbc_pair": round(load.reads, 4),
                     **{k: m[k] for k in ("precision", "recall", "f1", "top_flag_accuracy",
                                          "bbc_dev_severe_rate")}})
        print(json.dumps(rows[-1]), flush=True)
    out = ROOT / "bench" / "results" / "evidence_screen_variants.json"
    out.write_text(json.dumps({"stories": len(stories), "bbc_dev_stories": len(bbc),
                               "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
