"""NLI scoring speed on typical claim pairs, against a naive baseline in the same run.

    python bench/nli_speed.py [--pairs 2000] [--threads 2]

Pairs are the candidate claim pairs claimcheck itself makes (``prepare``) from a fixed
sample of BBC stories (../shared/data/news), so lengths are typical claim lengths.
Variants, all on the same pairs:
  naive      one pair per forward pass, in input order (the baseline)
  batched    claimcheck's NLIScorer: length-sorted batches of 16 (the default)
  int8       the same with dynamic int8 quantization of the Linear layers (--int8)
For int8 the label agreement with fp32, the news-dev accuracy and the flag F1 on
data/eval are reported, since int8 is only worth making the default if accuracy
drops by less than a point.
Writes bench/results/nli_speed.json.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import torch
from batch_speed import cpu

from claimcheck.evaluate import evaluate_folder
from claimcheck.ingest import make_document
from claimcheck.loading import NLIModel, load_nli
from claimcheck.nli import NLIScorer
from claimcheck.pipeline import Auditor, prepare
from claimcheck.training.generate import is_dev_story, iter_bbc, news_pairs

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "data" / "news" / "bbc-news-2225.tar.gz"


def story_pairs(n: int, seed: int = 7, every: int = 37) -> list[tuple[str, str]]:
    """Claim pairs as claimcheck makes them, from every ``every``-th BBC story."""
    out: list[tuple[str, str]] = []
    for i, (_, body) in enumerate(iter_bbc(ARCHIVE)):
        if i % every == 0:
            out += prepare(make_document(body)).texts
        if len(out) >= 2 * n:
            break
    random.Random(seed).shuffle(out)
    return out[:n]


def eval_f1(scorer: NLIScorer) -> float:
    auditor = Auditor()
    auditor.scorer = scorer
    return evaluate_folder(ROOT / "data" / "eval", auditor=auditor)["overall"]["f1"]


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def naive(nli: NLIModel, pairs: list[tuple[str, str]]) -> list[int]:
    labels = []
    with torch.inference_mode():
        for a, b in pairs:
            enc = nli.tokenizer(a, b, return_tensors="pt", truncation=True, max_length=256)
            labels.append(int(nli.model(**enc).logits.argmax()))
    return labels


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=1500)
    ap.add_argument("--naive-pairs", type=int, default=300)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    pairs = story_pairs(args.pairs)
    chars = sum(len(a) + len(b) for a, b in pairs) / len(pairs)
    nli = load_nli(None)
    scorer = NLIScorer(nli)
    scorer.score(pairs[:64])  # warm-up

    t_naive, _ = timed(naive, nli, pairs[: args.naive_pairs])
    naive_rate = args.naive_pairs / t_naive
    t_batched, fp32 = timed(scorer.score, pairs)
    batched_rate = len(pairs) / t_batched

    q_scorer = NLIScorer(load_nli(None, None, int8=True))
    q_scorer.score(pairs[:64])
    t_int8, int8 = timed(q_scorer.score, pairs)
    agreement = sum(a.label == b.label for a, b in zip(fp32, int8, strict=True)) / len(pairs)

    dev = [p for p in news_pairs(ARCHIVE, per_story=12) if is_dev_story(p.story)]
    dev_pairs = [(p.premise, p.hypothesis) for p in dev]
    acc = {}
    for name, s in (("fp32", scorer), ("int8", q_scorer)):
        labels = [x.label for x in s.score(dev_pairs)]
        acc[name] = sum(a == p.label for a, p in zip(labels, dev, strict=True)) / len(dev)

    result = {
        "machine": f"{cpu()}, {torch.get_num_threads()} threads, torch "
                   f"{torch.__version__}",
        "pairs": len(pairs), "mean_chars_per_pair": round(chars, 1),
        "naive_pairs_per_s": round(naive_rate, 1),
        "batched_pairs_per_s": round(batched_rate, 1),
        "batched_vs_naive": round(batched_rate / naive_rate, 2),
        "int8_pairs_per_s": round(len(pairs) / t_int8, 1),
        "int8_vs_batched": round(t_batched / t_int8, 2),
        "int8_label_agreement": round(agreement, 4),
        "news_dev_accuracy_fp32": round(acc["fp32"], 4),
        "news_dev_accuracy_int8": round(acc["int8"], 4),
        "eval_flag_f1_fp32": round(eval_f1(scorer), 4),
        "eval_flag_f1_int8": round(eval_f1(q_scorer), 4),
    }
    out = ROOT / "bench" / "results" / "nli_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    width = max(map(len, result))
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
