"""Speed and quality of each backbone and of the cascade, side by side, in one run.

    python bench/backbone_speed.py [--pairs 600] [--stories 40] [--repeats 3]

Speed, all on the same machine in the same run (a shared 2-core host is noisy, so every
figure is also a ratio against MiniLM measured beside it):
  minilm    the shipped small model (models/claimcheck-nli-minilm), batched, at the
            default precision (bf16 where the CPU has it natively) and in fp32
  mpnet     the shipped large model (models/claimcheck-nli-mpnet), the same two ways
  cascade   pipeline.Auditor's own scoring of every candidate pair of BBC stories: the
            small model alone in fp32 (the baseline issue 9 names: "today's fp32 MiniLM"),
            the small model alone at the default precision, and the default cascade (the
            small model screens, the large re-reads what reaches ``flags.screen_of``):
            candidate pairs per second and the share the large model read
The raw rates read ``--pairs`` candidate pairs one way; the cascade rates read whole
stories, with the reverse readings the flag rules need. Repeats alternate the two sides.
Quality comes from each model's metrics.json (training.measure) and the flag figures in
bench/results/*. Writes bench/results/backbone_speed.json.
"""

from __future__ import annotations

import argparse
import json
import tarfile
import time

import torch
from batch_speed import ARCHIVE, ROOT, cpu
from nli_speed import story_pairs

from claimcheck.ingest import make_document
from claimcheck.loading import MODELS_DIR, large_model_path, pick_precision
from claimcheck.nli import CascadeScorer, NLIScorer
from claimcheck.pipeline import Auditor, Prepared, prepare
from claimcheck.training.data import bbc_members


def rate(scorer: NLIScorer, pairs: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    scorer.score(pairs)
    return len(pairs) / (time.perf_counter() - started)


def bench_stories(n: int) -> list[Prepared]:
    """Every 11th BBC story at index 0 mod 4 (the bench's share of the archive)."""
    with tarfile.open(ARCHIVE) as tar:
        members = bbc_members(tar)[::4][::11][:n]
        return [prepare(make_document(tar.extractfile(m).read().decode("utf-8", "replace"),  # type: ignore[union-attr]
                                      m.name)) for m in members]


def story_rate(auditor: Auditor, stories: list[Prepared]) -> float:
    started = time.perf_counter()
    pairs = sum(len(auditor.score(p)) for p in stories)
    return pairs / (time.perf_counter() - started)


def quality(model_dir) -> dict:
    metrics = json.loads((model_dir / "metrics.json").read_text())
    out = {split: round(metrics[split]["accuracy"], 3)
           for split in ("mnli_dev", "snli_heldout", "sick_dev", "news_dev") if split in metrics}
    if "news_test" in metrics:
        combined = metrics["news_test"]["combined"]
        out["news_test_combined"] = {k: combined[k] for k in ("precision", "recall", "f1")}
        out["news_test_threshold"] = metrics["calibration"]["threshold"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=600)
    ap.add_argument("--stories", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(2)
    pairs = story_pairs(args.pairs)
    stories = bench_stories(args.stories)
    auditors = {"alone_fp32": Auditor(large=None, precision="fp32"),
                "alone": Auditor(large=None), "cascade": Auditor()}
    cascade = auditors["cascade"]
    if not isinstance(cascade.scorer, CascadeScorer):
        raise SystemExit(f"no cascade: {cascade.note or 'no large model shipped'}")
    scorers = {"minilm": cascade.scorer.small, "mpnet": cascade.scorer.large,
               "minilm_fp32": NLIScorer(None, precision="fp32"),
               "mpnet_fp32": NLIScorer(str(large_model_path()), precision="fp32")}
    for scorer in scorers.values():
        scorer.score(pairs[:32])  # warm-up
    raw: dict[str, list[float]] = {name: [] for name in scorers}
    per_story: dict[str, list[float]] = {name: [] for name in auditors}
    for _ in range(args.repeats):
        for name, scorer in scorers.items():
            raw[name].append(rate(scorer, pairs))
        for name, auditor in auditors.items():
            per_story[name].append(story_rate(auditor, stories))
    best = {k: max(v) for k, v in raw.items()} | {k: max(v) for k, v in per_story.items()}
    reads = cascade.scorer.reads
    candidate = sum(len(p.pairing.pairs) for p in stories)
    result = {
        "cpu": cpu(), "threads": torch.get_num_threads(), "repeats": args.repeats,
        "raw_pairs": len(pairs),
        "precision": pick_precision(None, torch.device("cpu")),
        **{f"{name}_pairs_per_s": round(best[name], 1) for name in scorers},
        "mpnet_vs_minilm": round(best["mpnet"] / best["minilm"], 3),
        "minilm_vs_fp32": round(best["minilm"] / best["minilm_fp32"], 2),
        "mpnet_vs_fp32": round(best["mpnet"] / best["mpnet_fp32"], 2),
        "stories": len(stories), "candidate_pairs": candidate,
        "screen": cascade.config.screen, "evidence_screen": cascade.config.evidence_screen,
        **{f"{name}_candidate_pairs_per_s": round(best[name], 1) for name in auditors},
        "cascade_vs_alone_fp32": round(best["cascade"] / best["alone_fp32"], 3),
        "cascade_vs_alone": round(best["cascade"] / best["alone"], 3),
        "large_share_of_pairs": round(reads["pairs_reread"] / args.repeats / candidate, 4),
        "reads_per_run": {k: v // args.repeats for k, v in reads.items()},
        "quality": {"minilm": quality(MODELS_DIR / "claimcheck-nli-minilm"),
                    "mpnet": quality(large_model_path())},
        "all_rates": {k: [round(x, 1) for x in v] for k, v in (raw | per_story).items()},
    }
    (ROOT / "bench" / "results" / "backbone_speed.json").write_text(
        json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
