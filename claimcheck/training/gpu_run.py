"""Train both NLI models on a lent GPU in one prepared run (the ``device`` tool).

Such a machine has torch and transformers but no network and no ../shared, and a call
carries at most 64 MiB each way. So the work is split in three:

  pack   (here)   write what the run needs under ``.gpu/`` (ignored by git): the MPNet
                  encoder's weights as fp16, cut into four parts that travel one call each,
                  and, in ``.gpu/final``, the NLI sets, the mined BBC neutrals, the BBC
                  candidate pairs to be teacher-labelled and the small model to continue.
  bench  (there)  steps per second of both encoders, from their configs alone, to size
                  the epochs of the run to the time left.
  run    (there)  join the parts; train the large model with low-rank adapters (two
                  learning rates side by side, the one better on the dev splits is kept);
                  label the BBC candidate pairs with it, both ways round; distil those
                  labels into the small model; write both models and the labels to $OUT.

Everything here also runs on a CPU (``--device cpu --limit 64``), which is how it is tested
before a GPU is spent on it. The recipes are train.py's; this module only moves files and
chooses settings.

Example:
    python -m claimcheck.training.gpu_run pack
    python -m claimcheck.training.gpu_run run --out $OUT --epochs 3
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GPU = ROOT / ".gpu"
FINAL = GPU / "final"
N_PARTS = 4
LEARNING_RATES = (2e-4, 5e-4)  # the large model's adapters, side by side; the better on dev
MAX_PIECE = 15 * 2**20  # files back from a lent machine: at most 16 MiB each
STASH = Path("/tmp/claimcheck-parts")  # where each call leaves its part for the last one


def pack(bbc_pairs: Path, mined: Path, small: Path) -> None:
    """Write .gpu/part1..4 (the MPNet weights, fp16) and .gpu/final (everything else)."""
    import torch
    from safetensors.torch import load_file, save_file

    from claimcheck.backbones import mpnet_path

    shutil.rmtree(GPU, ignore_errors=True)
    base = Path(mpnet_path())
    state = {k: v.to(torch.float16).contiguous() for k, v in
             load_file(str(base / "model.safetensors")).items()}
    joined = GPU / "mpnet-fp16.safetensors"
    GPU.mkdir(parents=True)
    save_file(state, str(joined))
    blob = joined.read_bytes()
    joined.unlink()
    size = -(-len(blob) // N_PARTS)
    for i in range(N_PARTS):
        part = GPU / f"part{i + 1}"
        part.mkdir()
        (part / "weights").write_bytes(blob[i * size: (i + 1) * size])
    shutil.copy(base / "config.json", GPU / "part1" / "config.json")  # for bench
    files = FINAL / "mpnet"
    files.mkdir(parents=True)
    for f in base.iterdir():
        if f.is_file() and f.suffix in (".json", ".txt") and f.name != "modules.json":
            shutil.copy(f, files / f.name)
    shutil.copytree(ROOT / "../shared/data/nli", FINAL / "shared" / "nli")
    shutil.copy(bbc_pairs, FINAL / "bbc_pairs.jsonl.gz")
    shutil.copy(mined, FINAL / "mined.json")
    shutil.copytree(small, FINAL / "small")
    for d in sorted(GPU.iterdir()):
        mb = sum(f.stat().st_size for f in d.rglob("*") if f.is_file()) / 2**20
        print(f"{d.name}: {mb:.1f} MiB")


def gather_parts(where: list[Path]) -> Path:
    """The MPNet encoder as a folder transformers can load, joined from the parts (each
    found in the first of ``where`` that holds it) and upcast to fp32."""
    import torch
    from safetensors.torch import load, save_file

    out = Path("/tmp/claimcheck-mpnet")
    if (out / "model.safetensors").exists():
        return out
    blob = b""
    for i in range(N_PARTS):
        found = [w / f"part{i + 1}" / "weights" for w in where
                 if (w / f"part{i + 1}" / "weights").exists()]
        if not found:
            raise SystemExit(f"part{i + 1} of the MPNet weights is missing from {where}")
        blob += found[0].read_bytes()
    state = {k: v.to(torch.float32) for k, v in load(blob).items()}
    out.mkdir(parents=True, exist_ok=True)
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
    for f in (FINAL / "mpnet").iterdir():
        shutil.copy(f, out / f.name)
    return out


def stash(dest: Path) -> None:
    """Copy the parts that came with this call to ``dest``, where later calls find them."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in sorted(GPU.glob("part*")):
        if (part / "weights").exists() and not (dest / part.name / "weights").exists():
            shutil.copytree(part, dest / part.name)
    print("stashed:", sorted(p.name for p in dest.glob("part*")))


def bench(seconds: float = 8.0) -> None:
    """Training steps per second of MPNet-base with adapters and of MiniLM in full, at the
    batch sizes the run uses, on random weights and pairs of about news-claim length."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    from claimcheck.training.lora import add_lora

    print(torch.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
    small = ROOT / "models" / "claimcheck-nli-minilm"  # its config.json is tracked
    for name, cfg_dir, rank, batch in (("mpnet+lora", GPU / "part1", 32, 32),
                                       ("mpnet+lora", GPU / "part1", 32, 64),
                                       ("minilm", small, 0, 64)):
        if not (cfg_dir / "config.json").exists():
            print(f"{name}: no config at {cfg_dir}")
            continue
        config = AutoConfig.from_pretrained(cfg_dir, num_labels=3)
        model = AutoModelForSequenceClassification.from_config(config).cuda()
        if rank:
            add_lora(model, rank)
            model.cuda()
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        ids = torch.randint(1000, 20000, (batch, 72), device="cuda")
        steps, start = 0, time.time()
        while time.time() - start < seconds:
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = model(input_ids=ids).logits.float().logsumexp(-1).mean()
            loss.backward()
            opt.step()
            opt.zero_grad()
            steps += 1
        torch.cuda.synchronize()
        rate = steps / (time.time() - start)
        print(f"{name} batch {batch}: {rate:.1f} steps/s, {rate * batch:.0f} pairs/s")


def train_large(lr: float, out: Path, epochs: int, batch: int, minutes: float,
                limit: int | None, device: str | None, base_dir: Path) -> None:
    """One run of the large model (a subprocess of ``run``)."""
    from claimcheck import backbones
    from claimcheck.training.train import TrainConfig, story_pairs_key, train

    backbones.BACKBONES["mpnet"] = lambda: str(base_dir)  # the joined parts, not the cache
    cfg = TrainConfig(shared=FINAL / "shared", out=out, work=out.with_name(out.name + ".work"),
                      stage="mixed", base="mpnet", epochs=epochs, batch_size=batch, lr=lr,
                      lora_rank=32,
                      general_cap=10**6, miner=Path("runs/stage2"), max_minutes=minutes,
                      limit=limit, device=device, save_every=10**9)
    # the BBC neutrals were mined here, by runs/stage2 (TrainConfig.miner names it in the
    # card); the list is stored under the key this config gives, so train() mines nothing
    mined = json.loads((FINAL / "mined.json").read_text(encoding="utf-8"))
    cfg.work.mkdir(parents=True, exist_ok=True)
    (cfg.work / "story_pairs.json").write_text(json.dumps(
        {"key": story_pairs_key(cfg), "pairs": mined["pairs"]}), encoding="utf-8")
    train(cfg)


def label(model_dir: Path, n_pairs: int, device: str | None, out: Path,
          source: Path = FINAL / "bbc_pairs.jsonl.gz") -> Path:
    """The large model's probabilities for a sample of the BBC candidate pairs in
    ``source``, both ways round (also run on a CPU: ``label``, about 20 readings a
    second on 2 cores)."""
    import random

    import torch

    from claimcheck.nli import NLIScorer
    from claimcheck.training.data import read_teacher_pairs

    with gzip.open(source, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = random.Random(13).sample(rows, min(n_pairs, len(rows)))
    pairs = [(r["premise"], r["hypothesis"]) for r in rows]
    pairs += [(b, a) for a, b in pairs]
    scorer = NLIScorer(str(model_dir), batch_size=256 if device != "cpu" else 32,
                       max_length=128, device=device)
    dev = scorer.nli.device
    with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
        scores = scorer.score(pairs)
    with gzip.open(out, "wt", encoding="utf-8") as fh:
        for (a, b), s in zip(pairs, scores, strict=True):
            probs = [round(s.entailment, 4), round(s.neutral, 4), round(s.contradiction, 4)]
            fh.write(json.dumps({"premise": a, "hypothesis": b, "probs": probs}) + "\n")
    read_teacher_pairs(out)  # the file must read back as the distil stage reads it
    return out


def distil(teacher: Path, out: Path, epochs: int, minutes: float, limit: int | None,
           device: str | None) -> dict:
    from claimcheck.training.train import TrainConfig, train

    cfg = TrainConfig(shared=FINAL / "shared", out=out, work=out.with_name(out.name + ".work"),
                      stage="distil", init=FINAL / "small", teacher=teacher, epochs=epochs,
                      batch_size=64, lr=5e-5, news_repeat=3, replay=20000,
                      max_minutes=minutes, limit=limit, device=device, save_every=10**9)
    return train(cfg)


def dev_score(metrics: dict) -> float:
    """What picks between the two large runs: MNLI-style and news dev accuracy, equally."""
    return (metrics["mnli_dev"]["accuracy"] + metrics["news_dev"]["accuracy"]) / 2


def run(out: Path, lrs: list[float], epochs: int, batch: int, large_minutes: float,
        distil_epochs: int, distil_minutes: float, teacher_pairs: int, limit: int | None,
        device: str | None) -> None:
    """The whole GPU job; each step's result is written before the next starts."""
    started = time.time()
    out.mkdir(parents=True, exist_ok=True)
    base_dir = gather_parts([GPU, STASH])
    print(f"[{time.time() - started:.0f}s] MPNet joined at {base_dir}", flush=True)

    work = Path("/tmp/claimcheck-gpu")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    procs = []
    for lr in lrs:
        log = open(work / f"large-{lr}.log", "w")  # noqa: SIM115 (closed by the child's end)
        args = [sys.executable, "-m", "claimcheck.training.gpu_run", "train-large",
                "--lr", str(lr), "--model-out", str(work / f"large-{lr}"),
                "--epochs", str(epochs), "--batch", str(batch), "--minutes", str(large_minutes),
                "--base-dir", str(base_dir)]
        args += ["--limit", str(limit)] if limit else []
        args += ["--device", device] if device else []
        procs.append((lr, subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                           cwd=ROOT)))
    results = {}
    for lr, proc in procs:
        proc.wait()
        log_text = (work / f"large-{lr}.log").read_text(errors="replace")
        print(f"--- large lr {lr}: exit {proc.returncode}\n{_tail(log_text)}", flush=True)
        metrics_path = work / f"large-{lr}" / "metrics.json"
        if proc.returncode == 0 and metrics_path.exists():
            results[lr] = json.loads(metrics_path.read_text())
    if not results:
        raise SystemExit("no large model was trained")
    best = max(results, key=lambda lr: dev_score(results[lr]))
    summary = {"large": {str(lr): _brief(m) for lr, m in results.items()}, "chosen_lr": best}
    _write_json(out / "summary.json", summary)
    _tar(work / f"large-{best}", out / "large.tar")
    print(f"[{time.time() - started:.0f}s] large model lr {best} written", flush=True)

    teacher = label(work / f"large-{best}", teacher_pairs, device, out / "teacher.jsonl.gz")
    print(f"[{time.time() - started:.0f}s] teacher labels written", flush=True)

    metrics = distil(teacher, work / "small", distil_epochs, distil_minutes, limit, device)
    summary["small"] = _brief(metrics)
    _write_json(out / "summary.json", summary)
    _tar(work / "small", out / "small.tar")
    print(f"[{time.time() - started:.0f}s] done: {json.dumps(summary)}", flush=True)


def _brief(metrics: dict) -> dict:
    keep = ("stage", "train_pairs", "minutes", "steps", "device")
    return {k: metrics.get(k) for k in keep} | {
        name: round(m["accuracy"], 4) for name, m in metrics.items()
        if isinstance(m, dict) and "accuracy" in m}


def _tail(text: str, lines: int = 6) -> str:
    return "\n".join(text.replace("\r", "\n").splitlines()[-lines:])


def _write_json(path: Path, obj: object) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(obj, indent=2))
    os.replace(tmp, path)


def _tar(folder: Path, dest: Path) -> None:
    """``folder`` as a tar, cut into pieces of at most MAX_PIECE (dest.00, dest.01, ...)."""
    blob = dest.with_suffix(".tmp")
    with tarfile.open(blob, "w") as tar:
        tar.add(folder, arcname=folder.name)
    data = blob.read_bytes()
    blob.unlink()
    for i in range(0, len(data), MAX_PIECE):
        dest.with_name(f"{dest.name}.{i // MAX_PIECE:02d}").write_bytes(data[i: i + MAX_PIECE])


def untar(pieces: list[Path], dest: Path) -> None:
    """Join the pieces ``_tar`` wrote and unpack them into ``dest``."""
    import io

    data = b"".join(p.read_bytes() for p in sorted(pieces))
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m claimcheck.training.gpu_run")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("--bbc-pairs", type=Path, default=Path("runs/gpu/bbc_pairs.jsonl.gz"))
    p.add_argument("--mined", type=Path, default=Path("runs/nli-mpnet/story_pairs.json"))
    p.add_argument("--small", type=Path, default=ROOT / "models" / "claimcheck-nli-minilm")
    sub.add_parser("stash")
    p = sub.add_parser("label")
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--pairs", type=Path, default=Path("runs/gpu/bbc_pairs.jsonl.gz"))
    p.add_argument("--n", type=int, default=7000)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--device")
    sub.add_parser("bench")
    p = sub.add_parser("run")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--lrs", default=",".join(map(str, LEARNING_RATES)))
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--large-minutes", type=float, default=4.0)
    p.add_argument("--distil-epochs", type=int, default=2)
    p.add_argument("--distil-minutes", type=float, default=1.5)
    p.add_argument("--teacher-pairs", type=int, default=30000)
    p.add_argument("--limit", type=int)
    p.add_argument("--device")
    p = sub.add_parser("train-large")
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--model-out", type=Path, required=True)
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--minutes", type=float, required=True)
    p.add_argument("--base-dir", type=Path, required=True)
    p.add_argument("--limit", type=int)
    p.add_argument("--device")
    a = parser.parse_args(argv)
    if a.cmd == "pack":
        pack(a.bbc_pairs, a.mined, a.small)
    elif a.cmd == "stash":
        stash(STASH)
    elif a.cmd == "label":
        label(a.model, a.n, a.device, a.out, a.pairs)
    elif a.cmd == "bench":
        bench()
    elif a.cmd == "run":
        run(a.out, [float(x) for x in a.lrs.split(",")], a.epochs, a.batch, a.large_minutes,
            a.distil_epochs, a.distil_minutes, a.teacher_pairs, a.limit, a.device)
    else:
        train_large(a.lr, a.model_out, a.epochs, a.batch, a.minutes, a.limit, a.device,
                    a.base_dir)


if __name__ == "__main__":
    main()
