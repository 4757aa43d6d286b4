"""NLI scoring speed on claimcheck's own candidate pairs, each model against the
previously shipped one in the same run; quality beside speed.

    python bench/nli_speed.py [--pairs 1500] [--threads 2]

Pairs are the candidate claim pairs claimcheck itself makes (``prepare``) from a fixed
sample of BBC stories (../shared/data/news), so lengths are typical claim lengths.
Variants, all on the same pairs:
  naive      one pair per forward pass, in input order
  previous   the model shipped before the retraining (git ``BASELINE``), batched fp32:
             the baseline the speed target is stated against
  fp32       the shipped model, batched fp32
  default    the shipped model, batched, at claimcheck's default precision (bf16 where the
             CPU multiplies it faster, loading.auto_precision; else fp32)
  int8       the shipped model with dynamic int8 Linear layers (--precision int8)
Quality beside speed: combined contradiction F1 on the frozen news test split and
flag F1 on data/eval, for each variant.
Writes bench/results/nli_speed.json.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import torch
from batch_speed import cpu

from claimcheck.evaluate import evaluate_folder
from claimcheck.ingest import make_document
from claimcheck.loading import MODELS_DIR, NLIModel, load_nli
from claimcheck.nli import NLIScorer
from claimcheck.pipeline import Auditor, prepare
from claimcheck.training.data import NEWS_PAIRS, read_news_pairs
from claimcheck.training.measure import both_ways, test_report

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "data" / "news" / "bbc-news-2225.tar.gz"
BASELINE = "ba64dce"  # the last commit with the model trained on SICK + generated pairs
MODEL = "models/claimcheck-nli-minilm"


def previous_model(dest: Path) -> Path:
    """The previously shipped model, checked out of git into ``dest``."""
    names = subprocess.run(["git", "ls-tree", "--name-only", f"{BASELINE}:{MODEL}"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in names:
        blob = subprocess.run(["git", "show", f"{BASELINE}:{MODEL}/{name}"], cwd=ROOT,
                              capture_output=True, check=True).stdout
        (dest / name).write_bytes(blob)
    return dest


def story_pairs(n: int, seed: int = 7, every: int = 37) -> list[tuple[str, str]]:
    """Claim pairs as claimcheck makes them, from every ``every``-th BBC story."""
    out: list[tuple[str, str]] = []
    with tarfile.open(ARCHIVE) as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")),
                         key=lambda m: m.name)
        for m in members[::every]:
            body = tar.extractfile(m).read().decode("utf-8", "replace")  # type: ignore[union-attr]
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
    ap.add_argument("--eval", action="store_true", help="also flag F1 on data/eval (slow)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    pairs = story_pairs(args.pairs)
    chars = sum(len(a) + len(b) for a, b in pairs) / len(pairs)
    test = read_news_pairs(NEWS_PAIRS / "test")
    with tempfile.TemporaryDirectory() as tmp:
        variants = {
            "previous": NLIScorer(load_nli(str(previous_model(Path(tmp))), None, "fp32")),
            "fp32": NLIScorer(load_nli(None, None, "fp32")),
            "default": NLIScorer(load_nli(None)),
            "int8": NLIScorer(load_nli(None, None, "int8")),
        }
        t_naive, _ = timed(naive, variants["fp32"].nli, pairs[: args.naive_pairs])
        result: dict = {
            "machine": f"{cpu()}, {torch.get_num_threads()} threads, torch {torch.__version__}",
            "pairs": len(pairs), "mean_chars_per_pair": round(chars, 1),
            "naive_pairs_per_s": round(args.naive_pairs / t_naive, 1),
        }
        rates = {}
        threshold = json.loads((MODELS_DIR / "claimcheck-nli-minilm" / "metrics.json")
                               .read_text())["calibration"]["threshold"]
        for name, scorer in variants.items():
            scorer.score(pairs[:64])  # warm-up
            seconds, _ = timed(scorer.score, pairs)
            rates[name] = len(pairs) / seconds
            news = test_report(both_ways(scorer, test), test, threshold)["combined"]
            result[name] = {"pairs_per_s": round(rates[name], 1),
                            "vs_previous": round(rates[name] / rates["previous"], 2)
                            if "previous" in rates else 1.0,
                            "news_test_contradiction_f1": news["f1"]}
            if args.eval:
                result[name]["eval_flag_f1"] = round(eval_f1(scorer), 4)
    out = ROOT / "bench" / "results" / "nli_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
