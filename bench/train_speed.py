"""Training on the CPU in fp32 against bf16 autocast: step speed, and a short run's dev
accuracy each way.

    python bench/train_speed.py [--steps 12] [--short 6400] [--out FILE]
    python bench/train_speed.py --steps 0 --short 20000 --out bench/results/train_parity_20k.json

Steps: one training step (forward, backward, AdamW) on batches of 32 pairs of the shared
NLI sets, for MiniLM (every layer trained) and MPNet (its top 6 layers, as the cascade's
model was trained), with autocast off and on in turn on the same batches, best of
``--steps``. Short run: ``train-nli --stage general`` on ``--short`` pairs for one epoch,
once in fp32 and once with ``--precision bf16``, then the dev splits as training
measures them (the model read in fp32 both times). On this evidence (and a 20,000-pair
run, README "Precision") ``train-nli``'s default, "auto", trains under bf16 autocast on a
CPU that multiplies bf16 faster. Writes bench/results/train_speed.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
import time
from pathlib import Path

import torch
from batch_speed import ROOT, cpu

from claimcheck.backbones import BACKBONES
from claimcheck.loading import NLI_LABELS
from claimcheck.training.data import shared_pairs
from claimcheck.training.train import (
    TrainConfig,
    freeze_below,
    soft_cross_entropy,
    targets,
    train,
)

SHARED = ROOT.parent / "shared" / "data"


def step_seconds(base: str, top: int | None, batches: list, steps: int) -> dict[str, float]:
    """Best seconds per training step with autocast off and on, alternating."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = BACKBONES[base]()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        path, local_files_only=True, num_labels=3, dtype=torch.float32,
        id2label=dict(enumerate(NLI_LABELS)))
    if top:
        freeze_below(model, top)
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    best = {"fp32": float("inf"), "bf16": float("inf")}
    for n in range(steps + 1):
        batch = batches[n % len(batches)]
        enc = tokenizer([p.premise for p in batch], [p.hypothesis for p in batch],
                        padding=True, truncation=True, max_length=128, return_tensors="pt")
        for name in best:
            started = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=name == "bf16"):
                logits = model(**enc).logits
            soft_cross_entropy(logits.float(), targets(batch, torch.device("cpu"))).backward()
            optimizer.step()
            optimizer.zero_grad()
            if n:  # the first step of each warms up
                best[name] = min(best[name], time.perf_counter() - started)
    return {k: round(v, 3) for k, v in best.items()}


def short_run(n: int, precision: str, tmp: Path) -> dict:
    cfg = TrainConfig(shared=SHARED, stage="general", base="minilm", epochs=1, limit=n,
                      work=tmp / f"work-{precision}", precision=precision)
    cfg.out = tmp / f"model-{precision}"
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        metrics = train(cfg)
    return {"minutes_with_dev_eval": round((time.perf_counter() - started) / 60, 2),
            **{split: round(metrics[split]["accuracy"], 3)
               for split in ("mnli_dev", "snli_heldout", "sick_dev") if split in metrics}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--short", type=int, default=6400)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "train_speed.json")
    args = ap.parse_args()
    pairs, _ = shared_pairs(SHARED / "nli")
    batches = [pairs[i: i + 32] for i in range(0, 32 * 8, 32)]
    result: dict = {"cpu": cpu(), "threads": torch.get_num_threads(), "batch": 32}
    for name, base, top in (("minilm", "minilm", None), ("mpnet_top6", "mpnet", 6)):
        if not args.steps:
            break
        seconds = step_seconds(base, top, batches, args.steps)
        result[name] = {"seconds_per_step": seconds,
                        "bf16_vs_fp32": round(seconds["fp32"] / seconds["bf16"], 2)}
        print(name, result[name], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        result["short_run_minilm"] = {"pairs": args.short, **{
            precision: short_run(args.short, precision, Path(tmp))
            for precision in ("fp32", "bf16")}}
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
