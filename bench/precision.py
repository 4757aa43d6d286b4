"""bf16 against fp32: speed and how far the readings move, for each model and the encoder.

    python bench/precision.py [--stories 40]

The candidate pairs of BBC stories (the backbone bench's share of the archive, which no
bar was fitted to) are read by the small and the large NLI model in fp32 and in bf16,
and the claims are embedded by pairing's encoder both ways. Reported per model: the
speed ratio (best of two runs each, same run), the mean and largest change in the
contradiction score and in ``nli.suspicion`` (the cascade's screen), how many pairs
cross the cascade's screen one way and not the other, and how far a pair's reading
moves with its batch mates (read alone against read in its batch; in fp32 not at all,
and the pipeline reads each story's pairs in batches of their own, so a story always
gets the same readings either way); for the encoder, the largest
change in a cosine similarity and how many candidate pairs differ. And each model alone
on the frozen news-pair test split (data/news_pairs/test), read both ways in each
precision at the threshold its model card calibrated in fp32 (nothing re-tuned). This
is what the "auto" precision (loading.Precision) rests on.
Writes bench/results/precision.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

import torch
from backbone_speed import bench_stories
from batch_speed import ROOT, cpu

from claimcheck.flags import CASCADE
from claimcheck.loading import large_model_path, native_bf16, resolve
from claimcheck.nli import NLIScorer, suspicion
from claimcheck.pairing import PairingConfig, candidate_pairs, embed
from claimcheck.schema import NLIScores
from claimcheck.training.data import NEWS_PAIRS, read_news_pairs
from claimcheck.training.measure import both_ways, test_report


def timed_scores(scorer: NLIScorer, pairs: list[tuple[str, str]]
                 ) -> tuple[list[NLIScores], float]:
    best, out = float("inf"), []
    for _ in range(2):
        started = time.perf_counter()
        out = scorer.score(pairs)
        best = min(best, time.perf_counter() - started)
    return out, best


def drift(fp32: list[NLIScores], bf16: list[NLIScores], screen: float) -> dict:
    con = [abs(a.contradiction - b.contradiction) for a, b in zip(fp32, bf16, strict=True)]
    sus = [abs(suspicion(a) - suspicion(b)) for a, b in zip(fp32, bf16, strict=True)]
    return {"pairs": len(con),
            "contradiction_mean": round(statistics.fmean(con), 5),
            "contradiction_max": round(max(con), 4),
            "suspicion_mean": round(statistics.fmean(sus), 5),
            "suspicion_max": round(max(sus), 4),
            "past_screen_fp32": sum(suspicion(a) >= screen for a in fp32),
            "screen_crossings": sum((suspicion(a) >= screen) != (suspicion(b) >= screen)
                                    for a, b in zip(fp32, bf16, strict=True))}


def batch_mates(scorer: NLIScorer, pairs: list[tuple[str, str]]) -> float:
    """The largest change in a contradiction score between reading a pair in its batch
    and reading it alone."""
    pooled = scorer.score(pairs)
    return max(abs(a.contradiction - scorer.score([p])[0].contradiction)
               for a, p in zip(pooled, pairs, strict=True))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=40)
    args = ap.parse_args()
    stories = bench_stories(args.stories)
    pairs = [t for p in stories for t in p.texts]
    test = read_news_pairs(NEWS_PAIRS / "test")
    result: dict = {"cpu": cpu(), "native_bf16": native_bf16(), "threads": torch.get_num_threads(),
                    "stories": len(stories)}
    for name, path, share in (("minilm", None, 1), ("mpnet", str(large_model_path()), 4)):
        some = pairs[::share]  # the large model reads a quarter: it is 7x slower
        at32, at16 = NLIScorer(path, precision="fp32"), NLIScorer(path, precision="bf16")
        fp32, t32 = timed_scores(at32, some)
        bf16, t16 = timed_scores(at16, some)
        card = json.loads((Path(resolve(path)) / "metrics.json").read_text())["calibration"]
        news = {}
        for precision, scorer in (("fp32", at32), ("bf16", at16)):
            report = test_report(both_ways(scorer, test), test, card["threshold"],
                                 card["direction_thresholds"])
            news[precision] = {reading: {k: report[reading][k] for k in ("precision", "recall")}
                               for reading in ("premise_to_hypothesis", "hypothesis_to_premise",
                                               "combined")}
        result[name] = {"fp32_pairs_per_s": round(len(some) / t32, 1),
                        "bf16_pairs_per_s": round(len(some) / t16, 1),
                        "bf16_vs_fp32": round(t32 / t16, 2), **drift(fp32, bf16, CASCADE.screen),
                        "batch_mates_max_fp32": round(batch_mates(at32, some[:160]), 5),
                        "batch_mates_max_bf16": round(batch_mates(at16, some[:160]), 5),
                        "news_test": news}
    texts = [[c.text for c in p.claims if c.checkable] for p in stories]
    sims, times = {}, {}
    for precision in ("fp32", "bf16"):
        embed(texts[0], precision=precision)  # warm
        started = time.perf_counter()
        sims[precision] = [(e @ e.T) for e in (embed(t, precision=precision) for t in texts)]
        times[precision] = time.perf_counter() - started
    changed = sum(
        {(p.a.id, p.b.id) for p in candidate_pairs(s.claims, replace(
            PairingConfig(), precision="fp32")).pairs}
        != {(p.a.id, p.b.id) for p in candidate_pairs(s.claims, replace(
            PairingConfig(), precision="bf16")).pairs}
        for s in stories)
    result["encoder"] = {
        "bf16_vs_fp32": round(times["fp32"] / times["bf16"], 2),
        "similarity_max_change": round(max(float((a - b).abs().max()) for a, b in zip(
            sims["fp32"], sims["bf16"], strict=True)), 4),
        "stories_whose_candidate_pairs_differ": changed}
    (ROOT / "bench" / "results" / "precision.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
